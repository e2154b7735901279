"""The Scrapy item pipelines (``extract_pipeline``, ``store_pipeline``) and the libraries they
wrap: ``extractor`` (html, url, profile -> article) and ``archive`` (schema, storing, WARC).
``text`` (NFC, folding) and ``clock`` are dependency-free leaves both sides use."""
