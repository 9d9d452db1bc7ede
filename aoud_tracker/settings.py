"""Scrapy settings for aoud-tracker: polite defaults for unattended crawling, and our AOUD_* keys.

Every value can be overridden the Scrapy way (`-s NAME=value`, or the environment for the
AOUD_* keys through the CLI); these are the defaults a cron job runs with.
"""

from __future__ import annotations

import os

from scrapy.settings import default_settings as scrapy_defaults

from aoud_tracker import __version__

BOT_NAME = "aoud_tracker"
SPIDER_MODULES = ["aoud_tracker.spiders"]
NEWSPIDER_MODULE = "aoud_tracker.spiders"

# ---- aoud-tracker's own settings (read in from_crawler) ----
AOUD_TOPIC = os.environ.get("AOUD_TOPIC", "")  # empty: the bundled topic file
AOUD_DB_URL = os.environ.get("AOUD_DB_URL", "")  # empty: sqlite in AOUD_STORAGE_DIR
AOUD_STORAGE_DIR = os.environ.get("AOUD_STORAGE_DIR", "storage")
AOUD_MAX_LISTING_PAGES = 3  # how many "next page" links a listing source is followed through
AOUD_MAX_SITEMAP_DEPTH = 2  # sitemap index → sitemap → articles
AOUD_MAX_ARTICLES_PER_SOURCE = 500
AOUD_REVISIT_DAYS = 14  # older stored articles are fetched again only when their source lists a change
AOUD_REDIS_URL = ""  # set by `crawl --redis`: the shared frontier of a distributed crawl
AOUD_WORKER_TTL = 15  # seconds: a distributed worker not heard from for this long is gone
AOUD_PROGRESS = False  # the live progress line; the CLI turns it on when stderr is a terminal
# Processes that extract articles and read them for the pipelines beside the crawl (workpool.py,
# reading.py). 0: the crawl's own process does it. -1 (the default): one where the crawl may use two
# CPUs or more, none on one CPU. A worker holds about 70 MB; with one, a 2,000-page crawl took
# 45.6-49.1 s against 60.0-63.6 s without on 2 slow CPUs, and a 20,000-page crawl peaks at 383 MB
# (docs/SCALING.md).
AOUD_WORK_PROCESSES = -1
# Articles stored per transaction (batching.py): a batch is written when it holds this many or when
# its first article has waited AOUD_STORE_BATCH_SECONDS. 1 writes each article in its own transaction.
# Each commit writes every page its articles touched, and the LSH buckets put them at random places:
# 2,000 generated articles took 2.2-2.7 ms each of the writer's CPU in batches of 6 (what 0.05 s
# gathered in a benchmark crawl), 1.65-2.27 in batches of 32 (1.40-1.66 with store.py's WAL checkpoint),
# no less in batches of 64 or 128.
# 0.3 s gathers 32 at the benchmark's pace; a slower crawl's articles wait no longer than that.
AOUD_STORE_BATCH_ITEMS = 32
AOUD_STORE_BATCH_SECONDS = 0.3
# Scrapy's default, named because the store pipeline's batches wait on asyncio's loop (batching.py).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
AOUD_ERROR_RATE_LIMIT = 0.5  # a crawl with more failed requests than this share has failed

# ---- politeness ----
USER_AGENT = f"aoud-tracker/{__version__} (+https://github.com/aoud-tracker/aoud-tracker; news rumor tracker)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
# Scrapy starts this many asyncio tasks for the output of every callback; an article page yields one
# item (a feed yields requests, handled in a moment): 100 (the default) cost a tenth of the crawl.
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
# Neither Scrapy's telnet console nor its remote control (since Scrapy 2.19: an HTTP server on
# localhost that runs the Python code sent to it, its token in a job file under ~/.local/state)
# belongs in a cron job. The remote control is left out of the base extensions too, so that it
# is not even imported: with its aiohttp, 84 ms after Scrapy; the crawlers' setup took 0.22 s
# with it and 0.13 s without (two spiders, 5 runs each).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {
    path: order
    for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if not path.endswith(".RemoteControl")
}
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en,ko;q=0.8",
}

# ---- pipeline: clean/validate → relevance → dedupe → tag → store ----
ITEM_PIPELINES = {
    "aoud_tracker.pipelines.ValidatePipeline": 100,
    "aoud_tracker.pipelines.RelevancePipeline": 200,
    "aoud_tracker.pipelines.DedupePipeline": 300,
    "aoud_tracker.pipelines.TagPipeline": 400,
    "aoud_tracker.pipelines.StorePipeline": 500,
}
SPIDER_MIDDLEWARES = {
    "aoud_tracker.inflight.InflightDone": 10,  # only in a distributed crawl; outermost, sees all output
}
DOWNLOADER_MIDDLEWARES = {
    # robots.txt as RFC 9309 reads it: unreachable (5xx, timeout) forbids the site; Crawl-delay kept
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "aoud_tracker.robots.StrictRobotsTxt": 100,
    # retries wait as long as Retry-After asks (Scrapy's retry at once)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "aoud_tracker.retry_after.RetryAfterMiddleware": 550,
    "aoud_tracker.conditional.ConditionalRequests": 560,  # sees answers after decompression (590)
    # redirects stay on the publisher's domain, over http(s), out of loops (before Redirect at 600)
    "aoud_tracker.redirect_guard.RedirectGuard": 650,
}
AOUD_RETRY_AFTER_MAX = 120  # seconds: a longer Retry-After is not waited for in this run
AOUD_CRAWL_DELAY_MAX = 30  # seconds: the most a robots.txt Crawl-delay slows a site's requests
AOUD_MAX_BODY_CHARS = 200_000  # an article body beyond this is cut (and counted): a page, not a book
AOUD_CONDITIONAL_REQUESTS = True  # send If-None-Match / If-Modified-Since for pages fetched before
EXTENSIONS = {
    "aoud_tracker.extensions.CrawlRunRecorder": 500,
    "aoud_tracker.progress.ProgressLine": 510,
    "aoud_tracker.inflight.FrontierWatchWhenShared": 520,  # only with AOUD_REDIS_URL (a distributed crawl)
}
LOG_FORMATTER = "aoud_tracker.extensions.QuietDropFormatter"
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"
LOG_LEVEL = "INFO"

FEED_EXPORT_ENCODING = "utf-8"
