"""Scrapy settings for tintuc. Every project knob is a ``TINTUC_*`` setting, overridable with
``-s NAME=VALUE`` on ``tintuc crawl`` and ``scrapy crawl``."""

BOT_NAME = "tintuc"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- project settings -------------------------------------------------------------------
# checked before a crawl starts (crawler/checks.py): a bad value stops it with one line
TINTUC_DB = "archive.db"  # the SQLite archive
TINTUC_SITES_FILE = ""  # an extra site registry (TOML) beside the bundled one
TINTUC_CONTACT = ""  # put your e-mail or URL here: it goes into the User-Agent
TINTUC_BATCH_SIZE = 50  # articles per write transaction
TINTUC_EXTRACT_WORKERS = 0  # extraction processes; 0 = one per CPU core, -1 = in-process
TINTUC_EXTRACT_TIMEOUT = 60  # CPU seconds one page may take to extract, then an error; 0 = none
TINTUC_TRIGGER = "manual"  # recorded in crawls.trigger (the scheduler sets "schedule")
TINTUC_CAPTURE = True  # keep every fetch as WARC records + a captures row
TINTUC_WARC_DIR = ""  # default: warc/ beside the database
TINTUC_WARC_GZIP_LEVEL = 1  # 1 = fastest (the crawl's bottleneck), 9 = smallest files
TINTUC_INCREMENTAL = True  # skip stored articles; stop paginating when a page has nothing new
TINTUC_REVISIT_DAYS = 3.0  # ...but fetch again articles first seen this recently
TINTUC_REVISIT_AFTER_HOURS = 1.0  # ...when last fetched at least this long ago
TINTUC_LOCAL_FAST = True  # sites on 127.0.0.1/localhost: no delay, 16 requests at a time
TINTUC_PROGRESS = True  # a live progress line on an interactive terminal
# a URL shape whose pages show no new headline this many times in a row is a crawl trap
# (a calendar, a filter grid): its links are no longer followed (crawler/spiders/news.py)
TINTUC_TRAP_STREAK = 50
TINTUC_FRONTIER_LEASE = 60  # tintuc worker: seconds before a dead worker's requests return
# tintuc worker: seconds a crawl's frontier stays empty, nothing leased, before a worker leaves
# the crawl (its --until-idle, when given, instead); the crawl ends when a worker leaves it
TINTUC_CRAWL_IDLE = 10

# --- politeness ---------------------------------------------------------------------------
USER_AGENT = "tintuc/0.1 (Vietnamese provincial news archive; +https://github.com/tintuc-archive/tintuc)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Scrapy starts this many asyncio tasks for *each* response's output; a page yields one item
# and a few requests, and the default 100 cost the reactor ~100 tasks (3-5 ms) per page
CONCURRENT_ITEMS = 4
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# --- bad input ----------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 0  # 0: the spider's own priorities decide (crawler/discovery.py: listings first)
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # close to the downloader: sees every response before redirects, decompression, retries
    "crawler.capture.CaptureMiddleware": 800,
    # the hostile web (crawler/middlewares.py): each replaces the Scrapy built-in it extends
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.StrictRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    "crawler.middlewares.HtmlOnlyMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.SafeRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.RecordedMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.PortAwareOffsiteMiddleware": 50,
    # an ASP.NET site's URL session kept per host: one request a page, not a 302 and a request
    "crawler.middlewares.CookielessSessionMiddleware": 60,
}
SPIDER_MIDDLEWARES = {
    # next to the spider: its callbacks' errors become the page's crawl error
    "crawler.middlewares.SpiderErrorMiddleware": 950,
    # an HTTPS host's expired, self-signed or misnamed certificate: crawled, and recorded
    "crawler.middlewares.CertificateNoteMiddleware": 900,
    # a robots.txt that is an HTML page (a login or "not found" page): crawled, and recorded
    "crawler.middlewares.RobotsNoteMiddleware": 890,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "crawler.middlewares.RecordedUrlLengthMiddleware": 800,  # a link left is recorded
}
TINTUC_RETRY_AFTER_MAX = 120  # longer Retry-After waits are not retried: recorded as 429/503
TINTUC_RETRY_BACKOFF = 2.0  # seconds x 2**retry for 429/503 without Retry-After (0 = off)
EXTENSIONS = {
    # owns the crawl's state (crawl id, URLs to skip or revisit): the pipeline fills it, the
    # spider and the capture middleware read it; the crawl cannot run without it
    "crawler.state.CrawlState": 100,
    "crawler.progress.Progress": 500,
}

ITEM_PIPELINES = {
    "pipelines.extract_pipeline.ExtractionPipeline": 300,
    "pipelines.store_pipeline.StoragePipeline": 800,
}

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
