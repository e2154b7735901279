"""The extraction library: a pure function of (html, url, site profile) -> article dict.

Never imports Scrapy, sqlite-utils, warcio or Datasette (an import-linter contract checks it).
``article`` holds :func:`extract_article`, which runs the steps of the other modules in order:
``source`` (bytes to a tree), ``fonts`` (legacy Vietnamese fonts), ``headline``, ``boxes``
(tool bars, promotions), ``related`` (the "Tin liên quan" blocks), ``lines`` (the body as
lines), ``recovery`` (trafilatura's passes, never worse than plain trafilatura), ``metadata``
(authors, language copies), ``dates``, ``classify`` (article, listing or other) and
``confidence`` (flags); ``tree`` holds the small readers they share. ``evaluate`` scores the
extraction on pages with ground truth.
"""
