"""The extraction library: a pure function of (html, url, site profile) -> article dict.

Never imports Scrapy, sqlite-utils, warcio or Datasette (an import-linter contract checks it).
``article`` holds :func:`extract_article`; ``dates`` reads Vietnamese dates; ``related`` finds
and cuts out the "Tin liên quan" blocks; ``evaluate`` scores it on pages with ground truth.
"""
