"""The archive library: the SQLite schema and its migrations (``schema``), storing sites,
crawls, articles and links (``store``), WARC writing and reading (``warc``) and checking
captures against their WARC records (``captures``).

Never imports trafilatura or Scrapy (an import-linter contract checks it).
"""
