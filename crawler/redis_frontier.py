"""The shared frontier of ``tintuc worker``: leased requests and per-site slots in Redis.

scrapy-redis pops a request off the shared queue; a worker killed with SIGKILL would take its
popped requests with it. Here a pop *leases* the request instead (one Lua script, atomic): it
moves to the crawl's in-flight set with a deadline that its worker renews while it lives. When
the request is done (its callback's output consumed and its items through the pipelines, its
errback run, or the request handed back to the frontier as a redirect or retry) the lease is
released; leases past their deadline, those of a dead worker, go back to the queue
(:meth:`FrontierLeases.requeue_expired`, run by every worker). A worker leases no more of one
site's requests than it can fetch soon (:meth:`LeasedScheduler._take`): the rest stays in the
queue for the other workers.

Politeness across workers: before a request is downloaded, :class:`SiteSlots` takes a slot of
its site (host) in Redis: at most the site's concurrency (``CONCURRENT_REQUESTS_PER_DOMAIN``)
held at once by all workers together, and starts at least ``DOWNLOAD_DELAY`` apart, timed by
Redis' own clock. A request whose slot is busy waits (the crawl's other requests go on); a
slot whose holder died frees itself after the download timeout.

Components find the leases with :meth:`FrontierLeases.of` (an extension), as they find the
crawl's state.

One page at several URLs: the spider's tables of what each page showed (``spellings``,
``fingerprints`` of :class:`crawler.spiders.news.NewsSpider`) are the crawl's, in Redis hashes
beside its queue (:class:`SharedTable`), so that a page that one worker stored is an alias
when another fetches it at another URL.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.checks import setting
from crawler.url_shapes import ItemParts, Mirrors

logger = logging.getLogger(__name__)

LEASE_META = "tintuc_lease"  # request.meta: the lease id of a request taken from the frontier
SLOT_META = "tintuc_site_slot"  # request.meta: the holder id of its site slot
# request.meta: a redirect whose target this worker added to the shared dupefilter itself
# (FrontierLeases.first_to_ask): the scheduler queues it without asking the dupefilter again
CLAIMED_META = "tintuc_claimed"
REAP_EVERY = 2.0  # seconds between two looks for expired leases, per worker
# a worker leases at most the site's concurrency plus this many of one site's requests not yet
# downloaded: what it cannot fetch soon stays in the frontier for the other workers
SITE_LEASE_AHEAD = 1
# how far down the queue a worker looks for a request of a site it may still lease
LOOK_AHEAD = 32
# a crawl's shared tables outlive their last write by this long (a crawl left so long is over)
TABLE_TTL = 3 * 24 * 3600

# Redis' clock in milliseconds: one clock for all workers, whatever their own say
NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "


def clocked(script: str) -> str:
    """A Lua script with ``now``, Redis' clock in ms, defined first."""
    return NOW + script


# KEYS: queue, in-flight (id -> deadline), leased (id -> "score|request"); ARGV: lease ms, a
# request of the queue as ZRANGE gave it: leased to the caller unless another worker took it.
LEASE = clocked("""
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not score then return nil end
redis.call('ZREM', KEYS[1], ARGV[2])
local id = redis.sha1hex(ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), id)
redis.call('HSET', KEYS[3], id, score .. '|' .. ARGV[2])
return id
""")
# KEYS: as LEASE; ARGV: lease ms, then the ids to renew
RENEW = clocked("""
for i = 2, #ARGV do redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return #ARGV - 1
""")
# KEYS: as LEASE: every lease past its deadline goes back to the queue, with its priority
REQUEUE = clocked("""
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(ids) do
  local leased = redis.call('HGET', KEYS[3], id)
  if leased then
    local bar = string.find(leased, '|', 1, true)
    redis.call('ZADD', KEYS[1], tonumber(string.sub(leased, 1, bar - 1)),
               string.sub(leased, bar + 1))
  end
  redis.call('HDEL', KEYS[3], id)
  redis.call('ZREM', KEYS[2], id)
end
return #ids
""")
# KEYS: holders (id -> deadline), next start; ARGV: holder, concurrency, delay ms, lease ms.
# Returns 0 when the slot is taken, else how many ms to wait before trying again.
ACQUIRE = clocked("""
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_start > now then return next_start - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 50 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3]))
end
return 0
""")


def site_of(request: Request) -> str:
    """The site of a request as its slot knows it: the host."""
    return urlsplit(request.url).hostname or ""


def frontier_keys(queue_key: str) -> list[str]:
    """The queue of a crawl, its in-flight leases and their requests."""
    return [queue_key, f"{queue_key}:inflight", f"{queue_key}:leased"]


class FrontierLeases:
    """The requests this worker holds from one crawl's frontier: renewed while it lives,
    released when done. Enabled in a worker's ``EXTENSIONS``."""

    def __init__(self, crawler):
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        self.conn: redis.Redis = get_redis_from_settings(settings)
        self.keys = frontier_keys(settings.get("SCHEDULER_QUEUE_KEY"))
        self.lease_ms = int(setting(settings, "TINTUC_FRONTIER_LEASE") * 1000)
        self.held: set[str] = set()
        self.last_reap = 0.0
        self.lease_script = self.conn.register_script(LEASE)
        self.renew_script = self.conn.register_script(RENEW)
        self.requeue_script = self.conn.register_script(REQUEUE)
        self.renewal = task.LoopingCall(self.renew)
        self.dupefilter = None  # the crawl's shared dupefilter, set by LeasedScheduler.open

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("SCHEDULER_QUEUE_KEY"):
            raise NotConfigured("FrontierLeases runs in tintuc worker only")
        leases = cls(crawler)
        crawler.signals.connect(leases.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(leases.on_closed, signal=signals.spider_closed)
        return leases

    @classmethod
    def of(cls, crawler) -> FrontierLeases:
        leases = crawler.get_extension(cls)
        if leases is None:
            raise RuntimeError("crawler.redis_frontier.FrontierLeases is not enabled")
        return leases

    def on_opened(self, spider):
        self.renewal.start(self.lease_ms / 3000, now=False)

    def on_closed(self, spider, reason):
        if self.renewal.running:
            self.renewal.stop()

    def pop(self, take: Callable[[bytes], Any] = bytes) -> tuple[str, Any] | None:
        """The first request of the queue that ``take`` takes, leased to this worker: (lease id,
        what ``take`` made of the encoded request). ``take`` returns None for a request to leave
        to the other workers; it sees the first :data:`LOOK_AHEAD` requests at most."""
        if time.monotonic() - self.last_reap >= REAP_EVERY:
            self.requeue_expired()
        for encoded in self.conn.zrange(self.keys[0], 0, LOOK_AHEAD - 1):
            taken = take(encoded)
            if taken is None:
                continue
            lease = self.lease_script(keys=self.keys, args=[self.lease_ms, encoded])
            if lease is None:  # another worker's now
                continue
            lease = lease.decode() if isinstance(lease, bytes) else lease
            self.held.add(lease)
            return lease, taken
        return None

    def release(self, lease: str | None) -> None:
        if lease is None or lease not in self.held:
            return
        self.held.discard(lease)
        pipe = self.conn.pipeline()
        pipe.zrem(self.keys[1], lease).hdel(self.keys[2], lease)
        pipe.execute()

    def release_later(self, lease: str | None, seconds: float = 2.0) -> None:
        """Release once the errback that follows a failed download has sent its result."""
        from twisted.internet import reactor  # the crawl's (never imported before it is chosen)

        if lease is not None:
            reactor.callLater(seconds, self.release, lease)

    def renew(self) -> None:
        if not self.held:
            return
        try:
            self.renew_script(keys=self.keys, args=[self.lease_ms, *self.held])
        except redis.RedisError as exc:
            logger.error("cannot renew the frontier leases (%s); retrying", exc)

    def requeue_expired(self) -> int:
        """Put the leases past their deadline (a dead worker's) back in the queue."""
        self.last_reap = time.monotonic()
        count = self.requeue_script(keys=self.keys)
        if count:
            logger.info("%d requests of a stopped worker put back in the frontier", count)
        return count

    def first_to_ask(self, request: Request) -> bool:
        """Whether no worker of the crawl has asked for ``request`` yet (a redirect's target):
        then it is this worker's, added to the shared dupefilter now (one ``SADD``, atomic:
        of two workers following two redirects to one page, one is first) and queued
        without a second look (:data:`CLAIMED_META`). Else the dupefilter would drop it
        without a word, and its chain's captures would say nowhere where they sent their
        visitor (``crawler.middlewares.RefusesLoops``)."""
        if self.dupefilter is None:  # no scheduler of ours: the dupefilter decides later
            return True
        if self.dupefilter.request_seen(request):
            return False
        request.meta[CLAIMED_META] = True
        return True

    def in_flight(self) -> int:
        """Requests leased by any worker of this crawl, not done yet."""
        return self.conn.zcard(self.keys[1])


class LeasedScheduler(Scheduler):
    """The scrapy-redis scheduler, popping leased requests (:class:`FrontierLeases`)."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.leases = FrontierLeases.of(crawler)
        concurrency = max(1, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        scheduler.site_lease_limit = concurrency + SITE_LEASE_AHEAD
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.leases.dupefilter = self.df

    def enqueue_request(self, request):
        """A request back to the frontier (a redirect, a retry) ends the lease it came with."""
        lease = request.meta.pop(LEASE_META, None)
        if request.meta.pop(CLAIMED_META, False):  # in the dupefilter already: this worker's
            self.queue.push(request)
            queued = True
        else:
            queued = super().enqueue_request(request)
        self.leases.release(lease)
        return queued

    def next_request(self):
        popped = self.leases.pop(self._take)
        if popped is None:
            return None
        lease, request = popped
        request.meta[LEASE_META] = lease
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _take(self, encoded: bytes) -> Request | None:
        """The request, unless this worker already has as many of its site's requests in its
        downloader (waiting for the site's slot or downloading) as the site lets it fetch soon:
        its concurrency plus :data:`SITE_LEASE_AHEAD`. Leasing more would only keep them from
        the other workers (the first worker of a one-site crawl took nearly all of it)."""
        request = self.queue._decode_request(encoded)
        host = site_of(request)
        in_downloader = sum(site_of(r) == host for r in self.crawler.engine.downloader.active)
        return None if in_downloader >= self.site_lease_limit else request


class LeaseRelease:
    """Ends a request's lease when it is done. As a spider middleware (outermost): once its
    callback's output has gone by *and* each item of it has left the item pipelines (the
    extraction runs in a process pool, so an item is still on its way when the callback is
    over; a worker killed then would lose it with its lease gone). As a downloader middleware
    (outermost): shortly after a failed download, once the errback has run."""

    def __init__(self, leases: FrontierLeases):
        self.leases = leases
        self.items_on_the_way: dict[str, int] = {}  # lease -> its items still in the pipelines
        self.output_over: set[str] = set()  # leases whose callback output has gone by

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(FrontierLeases.of(crawler))
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(middleware.on_item_done, signal=signal)
        return middleware

    def on_item_done(self, item, response, spider, **kwargs):
        lease = response.request.meta.get(LEASE_META) if response is not None else None
        if lease in self.items_on_the_way:
            self.items_on_the_way[lease] -= 1
            self._release_if_done(lease)

    def _count(self, lease, output) -> None:
        if lease is not None and not isinstance(output, Request):
            self.items_on_the_way[lease] = self.items_on_the_way.get(lease, 0) + 1

    def _output_over(self, lease) -> None:
        if lease is None:
            return
        self.output_over.add(lease)
        self._release_if_done(lease)

    def _release_if_done(self, lease) -> None:
        if lease in self.output_over and not self.items_on_the_way.get(lease):
            self.output_over.discard(lease)
            self.items_on_the_way.pop(lease, None)
            self.leases.release(lease)

    def process_spider_output(self, response, result):
        lease = response.request.meta.get(LEASE_META)
        for output in result:
            self._count(lease, output)
            yield output
        self._output_over(lease)

    async def process_spider_output_async(self, response, result):
        lease = response.request.meta.get(LEASE_META)
        async for output in result:
            self._count(lease, output)
            yield output
        self._output_over(lease)

    def process_spider_exception(self, response, exception):
        self._output_over(response.request.meta.get(LEASE_META))

    def process_exception(self, request, exception):
        self.leases.release_later(request.meta.get(LEASE_META))


class SiteSlots:
    """A downloader middleware: per-site slots in Redis shared by all workers (see the module
    docstring). Runs last before the download, so a request that another middleware drops
    never takes a slot."""

    def __init__(self, crawler):
        from scrapy_redis.connection import get_redis_from_settings

        settings = crawler.settings
        self.conn = get_redis_from_settings(settings)
        self.acquire_script = self.conn.register_script(ACQUIRE)
        self.concurrency = max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        self.delay_ms = int(settings.getfloat("DOWNLOAD_DELAY") * 1000)
        # a holder that died frees its slot once its download would have timed out
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + 10) * 1000)
        self.holder = f"{settings.get('TINTUC_WORKER_NAME')}:{id(self)}:"
        self.counter = itertools.count()
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("SCHEDULER_QUEUE_KEY"):
            raise NotConfigured("SiteSlots runs in tintuc worker only")
        return cls(crawler)

    @staticmethod
    def slot_keys(host: str) -> list[str]:
        return [f"tintuc:site:{host}:holders", f"tintuc:site:{host}:next"]

    async def process_request(self, request):
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor

        host = site_of(request)
        holder = self.holder + str(next(self.counter))
        args = [holder, self.concurrency, self.delay_ms, self.lease_ms]
        while True:
            wait_ms = self.acquire_script(keys=self.slot_keys(host), args=args)
            if not wait_ms:
                break
            self.crawler.stats.inc_value("tintuc/site_slot_waits")
            await maybe_deferred_to_future(task.deferLater(reactor, wait_ms / 1000, lambda: None))
        request.meta[SLOT_META] = (host, holder)
        self._no_local_delay(request)
        return None

    def _no_local_delay(self, request) -> None:
        """The shared slot is the site's delay: Scrapy's own per-site delay (or AutoThrottle's)
        would hold the request back after the slot was taken, so that another worker's later
        slot could reach the site first, closer than the delay."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        downloader.per_slot_settings.setdefault(key, {})["delay"] = 0  # a slot made from now
        if key in downloader.slots:
            downloader.slots[key].delay = 0

    def release(self, request) -> None:
        held = request.meta.pop(SLOT_META, None)
        if held:
            self.conn.zrem(self.slot_keys(held[0])[0], held[1])

    def process_response(self, request, response):
        self.release(request)
        return response

    def process_exception(self, request, exception):
        self.release(request)


class SharedTable:
    """A table of one crawl, shared by its workers: a Redis hash, its keys and values JSON,
    expiring :data:`TABLE_TTL` after its last write. The three calls the spider makes on its
    dicts, ``setdefault`` atomic (the first worker's value wins)."""

    def __init__(self, conn: redis.Redis, key: str):
        self.conn, self.key = conn, key

    def get(self, name, default=None):
        value = self.conn.hget(self.key, json.dumps(name))
        return default if value is None else json.loads(value)

    def __setitem__(self, name, value) -> None:
        self.conn.pipeline().hset(self.key, json.dumps(name), json.dumps(value)).expire(
            self.key, TABLE_TTL).execute()  # fmt: skip

    def setdefault(self, name, value):
        """The value first stored under ``name`` by any worker (``value`` if none was)."""
        field = json.dumps(name)
        pipe = self.conn.pipeline()  # MULTI/EXEC: no other write in between
        pipe.hsetnx(self.key, field, json.dumps(value)).hget(self.key, field)
        return json.loads(pipe.expire(self.key, TABLE_TTL).execute()[1])


class SharedItemParts(ItemParts):
    """:class:`crawler.url_shapes.ItemParts` of one crawl, shared by its workers: what one
    learns from the teaser links of its pages, all use, so that an article one worker meets in
    one context and another worker in another is one item for both (each worker learning
    alone, one that has fetched no listing teaching it knew no item part and stored its copy).
    Two Redis sets: ``<key>:context`` (part names) and ``<key>:varying`` (JSON lists of names),
    expiring as the crawl's tables; only what is new is written, and each :meth:`item_of`
    reads both in one round trip."""

    def __init__(self, conn: redis.Redis, key: str):
        super().__init__()
        self.conn, self.keys = conn, (f"{key}:context", f"{key}:varying")

    def learn(self, urls: list[str]) -> None:
        known = set(self.context), set(self.varying)
        super().learn(urls)
        context, varying = self.context - known[0], self.varying - known[1]
        if not context and not varying:
            return
        pipe = self.conn.pipeline()
        if context:
            pipe.sadd(self.keys[0], *sorted(context))
        if varying:
            pipe.sadd(self.keys[1], *(json.dumps(sorted(names)) for names in varying))
        for key in self.keys:
            pipe.expire(key, TABLE_TTL)
        pipe.execute()

    def item_of(self, url: str) -> list[tuple[str, str]]:
        context, varying = self.conn.pipeline().smembers(self.keys[0]).smembers(
            self.keys[1]).execute()  # fmt: skip
        self.context |= {name.decode() for name in context}
        self.varying |= {frozenset(json.loads(names)) for names in varying}
        return super().item_of(url)


class SharedMirrors(Mirrors):
    """:class:`crawler.url_shapes.Mirrors` of one crawl, shared by its workers: one worker
    asked for a page, another for its mobile copy, each worker learning alone (54 of 115
    requests of a local portal on ``m.`` with two workers). Two Redis sets, ``<key>:families``
    and ``<key>:requested`` (a family and a path with its query, a newline between), expiring
    as the crawl's tables. Each :meth:`ask` is one round trip, whatever the number of keys:
    the families read and every key added (``SADD`` says whether another worker had asked for
    it)."""

    def __init__(self, conn: redis.Redis, key: str):
        super().__init__()
        self.conn, self.keys = conn, (f"{key}:families", f"{key}:requested")

    def mirrored(self, family: str) -> None:
        if family not in self.families:
            super().mirrored(family)
            self.conn.pipeline().sadd(self.keys[0], family).expire(self.keys[0],
                                                                   TABLE_TTL).execute()

    def ask(self, keys: list[tuple[str, str]]) -> list[bool]:
        if not keys:
            return []
        pipe = self.conn.pipeline()  # MULTI/EXEC: the families as they were when keys were added
        pipe.smembers(self.keys[0])
        for family, path in keys:
            pipe.sadd(self.keys[1], f"{family}\n{path}")
        families, *added = pipe.expire(self.keys[1], TABLE_TTL).execute()[:-1]
        self.families |= {family.decode() for family in families}
        return [key[0] in self.families and not new for key, new in zip(keys, added, strict=True)]


def shared_tables(crawler, *names: str) -> list[SharedTable]:
    """The crawl's tables ``names``, keyed beside its queue (as its leases: ``<queue>:<name>``)."""
    queue_key = crawler.settings.get("SCHEDULER_QUEUE_KEY")
    conn = FrontierLeases.of(crawler).conn
    return [SharedTable(conn, f"{queue_key}:{name}") for name in names]


def shared_item_parts(crawler) -> SharedItemParts:
    """The crawl's :class:`SharedItemParts`, keyed beside its queue (``<queue>:item_parts``)."""
    queue_key = crawler.settings.get("SCHEDULER_QUEUE_KEY")
    return SharedItemParts(FrontierLeases.of(crawler).conn, f"{queue_key}:item_parts")


def shared_mirrors(crawler) -> SharedMirrors:
    """The crawl's :class:`SharedMirrors`, keyed beside its queue (``<queue>:mirrors``)."""
    queue_key = crawler.settings.get("SCHEDULER_QUEUE_KEY")
    return SharedMirrors(FrontierLeases.of(crawler).conn, f"{queue_key}:mirrors")
