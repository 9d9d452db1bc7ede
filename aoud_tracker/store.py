"""The store: engine set-up, saving articles into stories, and the queries the publisher and CLI use.

Functions take a Session opened by the caller and never commit, so each caller decides
its transaction (one short transaction per item in the pipeline).
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeAlias

from sqlalchemy import Engine, bindparam, create_engine, delete, event, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from aoud_tracker import clusters, prepared, schema
from aoud_tracker.dedupe import content_hash
from aoud_tracker.ledger import claim_line
from aoud_tracker.models import (
    Article,
    ArticleUrl,
    Claim,
    CrawlRun,
    DedupeEntry,
    HttpValidator,
    Source,
    Story,
    Tag,
    utcnow,
)
from aoud_tracker.upsert import upsert
from aoud_tracker.urls import url_key

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Sequence

    from sqlalchemy.orm import Session, sessionmaker

    from aoud_tracker.items import ArticleItem
    from aoud_tracker.topic import Source as TopicSource

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
# The dedupe index is probed at ~40 random places per article; mapped pages avoid a read() each.
# Mapped pages count in the process's resident memory, once per connection that maps them (a crawl
# holds two): at 1 GiB a crawl's grew with the store file (190 MB of a 450 MB peak over 15,000
# pages); 32 MiB instead of 64 took a 20,000-page crawl from 404 to 356 MB, and it was no slower
# (148 s against 152 s).
SQLITE_MMAP_BYTES: Final = 32 << 20
# Each connection has its own page cache (a crawl holds two: its lookups and its writer thread),
# and pages read through the map need none. 16 MiB: a 20,000-page crawl peaked 40 MB lower than
# with 64 MiB, with the store benchmark's figures at 1,000,000 articles unchanged (SCALING.md).
SQLITE_CACHE_KIB: Final = 16 << 10
# WAL pages after which a commit copies them into the store file (SQLite's default: 1,000). Each
# article adds rows at random places (its 42 LSH buckets; then also their 42 counts), so a
# checkpoint copied nearly every page it saw again, 4 MB at a time: 2,000 generated articles wrote
# 918 MB for a 25 MB store (with the counts). At 10,000 pages (a WAL of up to 40 MB) a page
# written many times is copied once: 648 MB, and the store's writer thread took 1.97-1.99 ms an
# article against 2.21-2.42 (batches of 6).
SQLITE_WAL_CHECKPOINT_PAGES: Final = 10_000
FULL_ARTICLE: Final = 0.8
SUMMARY_CHARS: Final = 1000


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message names the URL and the problem."""


def default_db_url(storage_dir: Path) -> str:
    """The default SQLite store inside the storage folder."""
    return f"sqlite:///{(storage_dir / 'tracker.db').resolve()}"


def make_engine(url: str, *, create: bool = True, check_schema: bool = True) -> Engine:
    """An engine for the URL with the schema in place; SQLite gets WAL and a busy timeout.

    With `create=False` (the query commands) a SQLite file that does not exist is an error
    rather than a new empty store, so a mistyped path is reported instead of answered with nothing.
    A new store is made at the newest schema revision; an older one is refused (schema.py) unless
    `check_schema=False` (`db upgrade`, which migrates it).
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError and ValueError variants
        raise StoreError(f"{url}: not a database URL ({exc})") from None
    on_disk = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
    store_file = Path(parsed.database or "")
    if on_disk and not create and not store_file.is_file():
        raise StoreError(f"{url}: no store at {store_file} yet (run `aoud-tracker run` first, or check --db)")
    if on_disk:
        try:
            store_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{url}: cannot create the folder for the store ({exc.strerror})") from None
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        # A server's connections can die under the pool (a restart, a failover, an idle timeout):
        # each checkout is tested first, so one dead connection does not fail a batch of articles.
        engine = create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise StoreError(
            f"{parsed.render_as_string(hide_password=True)}: unsupported database ({exc})"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
    shown_url = parsed.render_as_string(hide_password=True)
    try:
        if check_schema:  # may build a new store: a read, then writes
            schema.ensure_current(writer(engine) if create else engine, shown_url)
        else:
            engine.connect().close()
    except schema.SchemaBehind as exc:
        engine.dispose()
        raise StoreError(str(exc)) from None
    except Exception as exc:  # connection refused, permission denied, bad path, …
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"{shown_url}: cannot open the store ({reason})") from exc
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    connection.isolation_level = None  # the driver begins no transaction itself: _begin_* do
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")  # index pages read in place, not copied
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_WAL_CHECKPOINT_PAGES}")
    cursor.close()


WRITE_LOCK: Final = "aoud_write_lock"  # execution option: this transaction reads, then writes


def _begin(connection: Any) -> None:
    """SQLite: a transaction that reads, then writes, takes the write lock when it begins
    (IMMEDIATE), waiting up to the busy timeout for another writer. Begun deferred, it would
    fail at once with "database is locked" when another process wrote between its read and its
    write (the busy timeout does not apply to that upgrade). Every other transaction begins
    deferred: a read never waits for a writer (WAL gives it a snapshot), and a lone write statement
    waits for the lock as it needs it."""
    immediate = connection.get_execution_options().get(WRITE_LOCK)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The engine, for transactions that read, then write (`_begin`); the same on PostgreSQL."""
    return engine.execution_options(**{WRITE_LOCK: True})


@contextmanager
def write_transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session in a transaction that reads, then writes: on SQLite it holds the write lock from
    its start (`_begin`)."""
    with sessions.begin() as session:
        session.connection(execution_options={WRITE_LOCK: True})
        yield session


# ---- writing -------------------------------------------------------------------------------


def sync_sources(session: Session, topic: str, sources: Sequence[TopicSource]) -> dict[str, int]:
    """Make the configured sources rows of the store (upserts: workers start together); return
    their ids by URL."""
    for source in sources:
        row = {"topic": topic, "url": source.url, "name": source.name, "kind": source.kind,
               "official": source.official}  # fmt: skip
        upsert(session, Source, row, ("topic", "url"))
    ids = session.execute(select(Source.url, Source.id).where(Source.topic == topic))
    return {url: source_id for url, source_id in ids}


def store_item(
    sessions: sessionmaker[Session],
    topic: str,
    item: ArticleItem,
    source_id: int | None = None,
    threshold: float = clusters.DEFAULT_THRESHOLD,
) -> str:
    """Save one item, with its page's validators, in one transaction; return save_article's outcome.

    Another process storing the same article at the same moment makes the unique constraint on
    (topic, url_key) fail one of the two inserts: that one is rolled back whole and run again,
    and finds the other's row. So a row is never stored twice, and nothing is lost.
    """
    try:
        return _save_together(sessions, topic, [(item, source_id)], threshold)[0]
    except IntegrityError:
        logger.info("%s: stored by another process meanwhile; saving again", item.url)
        return _save_together(sessions, topic, [(item, source_id)], threshold)[0]


def store_items(
    sessions: sessionmaker[Session],
    topic: str,
    entries: Sequence[tuple[ArticleItem, int | None]],
    threshold: float = clusters.DEFAULT_THRESHOLD,
) -> list[str | Exception]:
    """Save several items (each with its source id) in one transaction; return each one's outcome.

    When the transaction fails (another process stored one of the articles meanwhile, or one item
    cannot be stored), it is rolled back whole and each item is saved on its own with
    `store_item`: the others are stored, and only a bad item fails, with its own error.
    """
    try:
        return list(_save_together(sessions, topic, entries, threshold))
    except Exception as error:  # each item is retried alone and keeps its own error
        if len(entries) == 1 and not isinstance(error, IntegrityError):
            return [error]
        logger.info("a batch of %d articles failed (%s); saving them one by one", len(entries), error)
    outcomes: list[str | Exception] = []
    for item, source_id in entries:
        try:
            outcomes.append(store_item(sessions, topic, item, source_id, threshold))
        except Exception as error:  # handed to that item's own await
            outcomes.append(error)
    return outcomes


def _save_together(
    sessions: sessionmaker[Session],
    topic: str,
    entries: Sequence[tuple[ArticleItem, int | None]],
    threshold: float,
) -> list[str]:
    with write_transaction(sessions) as session:
        _one_writer_per_topic(session, topic)
        outcomes = []
        for item, source_id in entries:
            outcomes.append(save_article(session, topic, item, source_id, threshold))
            if item.validators:  # no 304 is trusted later for a page whose article was not stored
                keep_validators(session, topic, item.validators)
    return outcomes


def _one_writer_per_topic(session: Session, topic: str) -> None:
    """On PostgreSQL, one transaction at a time decides which story a topic's article joins.

    Two workers saving copies of one piece of news at the same moment would each miss the other's
    uncommitted article and start two stories. SQLite writers are one at a time already
    (BEGIN IMMEDIATE); PostgreSQL takes a transaction-scoped advisory lock on the topic.
    """
    if session.get_bind().dialect.name == "postgresql":
        key = int.from_bytes(
            hashlib.blake2b(f"aoud:{topic}".encode(), digest_size=8).digest(), "big", signed=True
        )
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def keep_validators(session: Session, topic: str, validators: tuple[str, str, str]) -> None:
    """Remember a page's validators (URL asked for, ETag, Last-Modified) for the next conditional request."""
    url, etag, modified = validators
    row = {"topic": topic, "url": url, "etag": etag, "last_modified": modified, "seen_at": utcnow()}
    upsert(session, HttpValidator, row, ("topic", "url"))


_KNOWN_ARTICLE: Final = select(Article.id, Article.story_id, Article.content_hash, Article.gone_at).where(
    Article.topic == bindparam("topic"), Article.url_key == bindparam("url_key")
)


class _Known(NamedTuple):
    """A stored article as the lookup by URL finds it, read on the driver (prepared.py)."""

    id: int
    story_id: int
    content_hash: str
    gone_at: object  # as the driver gives it (text on SQLite): only whether there is one is read

    @classmethod
    def of(cls, rows: Any) -> _Known | None:
        row = rows.fetchone()
        return None if row is None else cls(*row)


def save_article(
    session: Session,
    topic: str,
    item: ArticleItem,
    source_id: int | None = None,
    threshold: float = clusters.DEFAULT_THRESHOLD,
) -> str:
    """Store one article; return new, merged (a copy joined a story), updated or unchanged.

    Every write is a plain statement on the session's connection: a crawl saves thousands of
    articles, and the ORM's unit of work (objects built, tracked, sorted and flushed) cost more
    than the statements themselves.
    """
    digest = content_hash(
        item.title, item.body, item.published_at, item.modified_at, item.author, item.summary,
        ",".join(item.tags), item.official,
    )  # fmt: skip
    connection = session.connection()
    known = _Known.of(prepared.run(connection, _KNOWN_ARTICLE, {"topic": topic, "url_key": item.url_key}))
    if known is not None:
        clusters.remember_url(session, known.id, item.url, item.fetched_at)
        if known.content_hash == digest:
            if known.gone_at is not None:  # its page is back, as it was
                connection.execute(
                    update(Article).where(Article.id == known.id).values(gone_at=None, gone_status=None)
                )
            return "unchanged"
        changed = _article_columns(item, digest) | {"updated_at": item.fetched_at}
        connection.execute(update(Article).where(Article.id == known.id).values(changed))
        _set_tags(session, known.story_id, known.id, item.tags)
        _set_claims(session, topic, known.story_id, known.id, item)
        _refresh_story(session, known.story_id, item.fetched_at)
        clusters.index_article(session, topic, known.id, item.signature, None, threshold)
        return "updated"  # the article keeps its story (and the story its id) whatever the edit
    match = clusters.find_story(session, topic, item.fingerprint, item.signature, threshold)
    story_id = match.story_id if match else _insert_story(session, topic, item)
    article_id = prepared.inserted_id(
        connection, Article,
        _article_columns(item, digest) | {"topic": topic, "story_id": story_id, "url_key": item.url_key,
                                          "source_id": source_id, "first_seen_at": item.fetched_at,
                                          "updated_at": item.fetched_at},
    )  # fmt: skip
    _set_tags(session, story_id, article_id, item.tags, new=True)
    _set_claims(session, topic, story_id, article_id, item, new=True)
    if match is not None:
        if match.others:
            clusters.absorb(session, match, article_id)
        _refresh_story(session, story_id, item.fetched_at)
    clusters.index_article(session, topic, article_id, item.signature, match, threshold, new=True)
    clusters.remember_url(session, article_id, item.url, item.fetched_at)
    return "new" if match is None else "merged"


def _article_columns(item: ArticleItem, digest: str) -> dict[str, object]:
    """The article's columns that come from its page (all but its identity and first sighting)."""
    return {
        "url": item.url, "canonical_url": item.canonical_url, "title": item.title, "body": item.body,
        "summary": item.summary, "author": item.author, "site_name": item.site_name,
        "language": item.language, "published_at": item.published_at, "modified_at": item.modified_at,
        "fetched_at": item.fetched_at,
        "fingerprint": item.fingerprint, "relevance": item.relevance, "official": item.official,
        "content_hash": digest, "gone_at": None, "gone_status": None,
    }  # fmt: skip


def _insert_story(session: Session, topic: str, item: ArticleItem) -> int:
    """A new story of one article, which is its representative; return its id."""
    row = {
        "topic": topic, "title": item.title, "url": item.canonical_url,
        "summary": _summary(item.summary, item.body), "published_at": item.published_at,
        "first_seen_at": item.fetched_at, "updated_at": item.fetched_at,
        "newest_at": item.published_at or item.fetched_at,
    }  # fmt: skip
    return prepared.inserted_id(session.connection(), Story, row)


def _summary(summary: str, body: str) -> str:
    """A story's summary: its representative's own, else that article's first paragraph; at most
    SUMMARY_CHARS (a page of one endless paragraph would make every feed entry a book)."""
    text = summary or body.split("\n\n", 1)[0]
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(None, 1)[0] + " …"


def _set_tags(
    session: Session, story_id: int, article_id: int, names: Sequence[str], *, new: bool = False
) -> None:
    """Replace the article's tags (`new`: it has none to delete yet)."""
    connection = session.connection()
    if not new:
        connection.execute(delete(Tag).where(Tag.article_id == article_id))
    rows = [{"story_id": story_id, "article_id": article_id, "name": name} for name in sorted(set(names))]
    if rows:
        prepared.run_many(connection, prepared.insert_of(Tag, tuple(rows[0])), rows)


def _set_claims(
    session: Session, topic: str, story_id: int, article_id: int, item: ArticleItem, *, new: bool = False
) -> None:
    """Replace the article's claims with those of its current text (`new`: it has none yet)."""
    connection = session.connection()
    if not new:
        connection.execute(delete(Claim).where(Claim.article_id == article_id))
    as_of = (item.published_at or item.fetched_at).date()
    common = {"topic": topic, "story_id": story_id, "article_id": article_id, "as_of": as_of,
              "site": item.site_name, "official": item.official}  # fmt: skip
    blank = {"start": None, "end": None, "precision": None, "hedge": None, "actor": None, "character": None,
             "status": None, "spoiler": False, "phrase": ""}  # fmt: skip
    rows = [
        *(blank | common | {"kind": "release_date", "start": c.start, "end": c.end, "precision": c.precision,
                            "hedge": c.hedge, "phrase": c.phrase, "sentence": c.sentence}
          for c in item.claims.release_dates),
        *(blank | common | {"kind": "cast", "actor": c.actor, "character": c.character, "status": c.status,
                            "sentence": c.sentence} for c in item.claims.cast),
        *(blank | common | {"kind": "plot", "spoiler": c.spoiler, "sentence": c.sentence}
          for c in item.claims.plot),
    ]  # fmt: skip
    if rows:  # one executemany; every row has every column
        prepared.run_many(connection, prepared.insert_of(Claim, tuple(rows[0])), rows)


_STORY_ARTICLES: Final = select(
    Article.id, Article.official, func.length(Article.body).label("length"), Article.published_at,
    Article.first_seen_at,
).where(Article.story_id == bindparam("story_id"))  # fmt: skip


def _refresh_story(session: Session, story_id: int, changed_at: datetime) -> None:
    """Representative article (official first, then the earliest full one), dates and title.

    "Full" is at least 80% as long as the story's longest text: a trimmed reprint published an
    hour before the complete article does not represent the story. Read as rows, the lead's
    text only.
    """
    connection = session.connection()
    articles = connection.execute(_STORY_ARTICLES, {"story_id": story_id}).all()
    longest = max(article.length for article in articles)
    lead_id = min(
        articles,
        key=lambda a: (
            not a.official,
            a.length < FULL_ARTICLE * longest,
            a.published_at or a.first_seen_at,
            a.id,
        ),
    ).id
    lead = connection.execute(
        select(Article.title, Article.canonical_url, Article.summary, Article.body).where(
            Article.id == lead_id
        )
    ).one()
    dates = [article.published_at for article in articles if article.published_at is not None]
    published = min(dates) if dates else None
    first_seen, updated = connection.execute(
        select(Story.first_seen_at, Story.updated_at).where(Story.id == story_id)
    ).one()
    connection.execute(
        update(Story)
        .where(Story.id == story_id)
        .values(
            title=lead.title, url=lead.canonical_url, summary=_summary(lead.summary, lead.body),
            published_at=published, newest_at=published or first_seen, updated_at=max(updated, changed_at),
        )
    )  # fmt: skip


def error_reason(error: DBAPIError) -> str:
    """A database error's reason in one line (a driver's message can run to a page)."""
    return (str(error.orig or error).strip().splitlines() or ["?"])[0]


def mark_gone(session: Session, topic: str, url: str, status: int, at: datetime) -> bool:
    """Mark the stored article behind `url` as gone (its page answered 404 or 410); return whether
    one was stored. The article is kept: what a source said stays on record after it deletes it."""
    result = session.connection().execute(
        update(Article)
        .where(Article.topic == topic, Article.url_key == url_key(url))
        .values(gone_at=at, gone_status=status)
    )
    return bool(getattr(result, "rowcount", 0))


# ---- crawl runs ----------------------------------------------------------------------------


INTERRUPTED: Final = "interrupted"


def start_run(session: Session, topic: str, spider: str) -> int:
    """Record that a spider run began; return its id.

    Runs of the same spider left unfinished are closed as interrupted first: the run lock lets one
    run at a time use this store, so an unfinished one belongs to a process that was killed.
    """
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.topic == topic, CrawlRun.spider == spider, CrawlRun.status == "running")
        .values(status=INTERRUPTED, finish_reason="the process ended before the crawl finished")
    )
    run = CrawlRun(topic=topic, spider=spider, started_at=utcnow())
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, status: str, reason: str, stats: dict[str, Any]) -> None:
    """Record how a run ended and what it counted."""
    run = session.get_one(CrawlRun, run_id)
    run.finished_at, run.status, run.finish_reason = utcnow(), status, reason
    run.pages = int(stats.get("response_received_count", 0))
    run.items_new = int(stats.get("aoud/stored/new", 0)) + int(stats.get("aoud/stored/merged", 0))
    run.items_updated = int(stats.get("aoud/stored/updated", 0))
    run.items_unchanged = int(stats.get("aoud/stored/unchanged", 0))
    run.items_dropped = int(stats.get("item_dropped_count", 0))
    run.errors = int(stats.get("log_count/ERROR", 0)) + int(stats.get("aoud/errors", 0))
    run.stats = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in stats.items()}


# ---- reading -------------------------------------------------------------------------------

AnyRow: TypeAlias = Any  # a Core result row, read by column name (SQLAlchemy types rows by position)


@dataclass(frozen=True)
class SourceView:
    """One article of a story as the reader sees it (where, when, by whom) and why it is there."""

    url: str
    site: str
    title: str
    published_at: datetime | None
    author: str
    official: bool
    article_id: int = 0
    joined_because: str = "first"  # first, fingerprint (same text), near_duplicate
    similarity: float | None = None
    matched_article_id: int | None = None
    urls: tuple[str, ...] = ()
    gone_at: datetime | None = None  # its page answered 404/410 then (kept as the record)
    gone_status: int | None = None


@dataclass(frozen=True)
class StoryView:
    """A story with its tags and sources, detached from the session."""

    id: int
    title: str
    url: str
    summary: str
    published_at: datetime | None
    first_seen_at: datetime
    updated_at: datetime
    tags: tuple[str, ...]
    sources: tuple[SourceView, ...]
    claims: tuple[str, ...] = ()  # what its articles claim, one line each (ledger.claim_line)

    @property
    def date(self) -> datetime:
        """When the story happened as far as the tracker knows: published, else first seen."""
        return self.published_at or self.first_seen_at

    @property
    def source_count(self) -> int:
        return len(self.sources)


@dataclass(frozen=True)
class StoryBrief:
    """What a digest counts of a story it does not list: its days, its tags, how many sources."""

    id: int
    published_at: datetime | None
    first_seen_at: datetime
    updated_at: datetime
    tags: tuple[str, ...]
    source_count: int

    @property
    def date(self) -> datetime:
        return self.published_at or self.first_seen_at


def story_briefs(session: Session, topic: str, since: datetime | None) -> list[StoryBrief]:
    """Every story of a topic updated since `since`, briefly: three queries however many there are
    (a big store's week has thousands; the digest lists a few dozen of them in full)."""
    chosen = select(Story.id).where(Story.topic == topic)
    if since is not None:
        chosen = chosen.where(Story.updated_at >= since)
    stories = session.execute(
        select(Story.id, Story.published_at, Story.first_seen_at, Story.updated_at).where(
            Story.id.in_(chosen)
        )
    ).all()
    tags: dict[int, set[str]] = {}
    for story_id, name in session.execute(select(Tag.story_id, Tag.name).where(Tag.story_id.in_(chosen))):
        tags.setdefault(story_id, set()).add(name)
    counted = select(Article.story_id, func.count()).where(Article.story_id.in_(chosen))
    counts = {story_id: count for story_id, count in session.execute(counted.group_by(Article.story_id))}
    return [
        StoryBrief(
            row.id,
            row.published_at,
            row.first_seen_at,
            row.updated_at,
            tuple(sorted(tags.get(row.id, ()))),
            counts.get(row.id, 0),
        )
        for row in stories
    ]


def list_stories(
    session: Session,
    topic: str,
    *,
    tag: str | None = None,
    since: datetime | None = None,
    limit: int | None = 50,
    order: str = "published",
    ids: Collection[int] | None = None,
) -> list[StoryView]:
    """Stories of a topic, newest first (by publication or by last update), optionally filtered.

    Read as plain rows, five queries in all: the digest lists a week of stories, thousands in a
    big store, and loading them as ORM objects (with every article's text) took seconds.
    """
    query = select(
        Story.id, Story.title, Story.url, Story.summary, Story.published_at, Story.first_seen_at,
        Story.updated_at,
    ).where(Story.topic == topic)  # fmt: skip
    if tag:
        # EXISTS, not IN: the newest stories are walked in index order and each one's tag looked
        # up, where IN first gathered every story with the tag (100 ms with a million stored).
        query = query.where(select(Tag.id).where(Tag.story_id == Story.id, Tag.name == tag).exists())
    if since is not None:
        query = query.where(Story.updated_at >= since)
    if ids is not None:
        query = query.where(Story.id.in_(list(ids)))
    newest = Story.updated_at if order == "updated" else Story.newest_at
    stories = session.execute(query.order_by(newest.desc(), Story.id.desc()).limit(limit)).all()
    story_ids = [story.id for story in stories]
    articles: dict[int, list[AnyRow]] = {}
    for article in session.execute(
        select(
            Article.id,
            Article.story_id,
            Article.canonical_url,
            Article.site_name,
            Article.title,
            Article.published_at,
            Article.first_seen_at,
            Article.author,
            Article.official,
            Article.gone_at,
            Article.gone_status,
        ).where(Article.story_id.in_(story_ids))
    ):
        articles.setdefault(article.story_id, []).append(article)
    tags: dict[int, set[str]] = {}
    for story_id, name in session.execute(select(Tag.story_id, Tag.name).where(Tag.story_id.in_(story_ids))):
        tags.setdefault(story_id, set()).add(name)
    article_ids = [article.id for members in articles.values() for article in members]
    joins = {
        join.article_id: join
        for join in session.execute(
            select(
                DedupeEntry.article_id,
                DedupeEntry.reason,
                DedupeEntry.similarity,
                DedupeEntry.matched_article_id,
            ).where(DedupeEntry.article_id.in_(article_ids))
        )
    }
    urls: dict[int, list[str]] = {}
    for article_id, url in session.execute(
        select(ArticleUrl.article_id, ArticleUrl.url)
        .where(ArticleUrl.article_id.in_(article_ids))
        .order_by(ArticleUrl.id)
    ):
        urls.setdefault(article_id, []).append(url)
    claims: dict[int, dict[str, None]] = {}
    for claim in session.execute(
        select(*Claim.__table__.columns).where(Claim.story_id.in_(story_ids)).order_by(Claim.id)
    ):
        if (line := claim_line(claim)) is not None:
            claims.setdefault(claim.story_id, {})[line] = None
    return [
        _view(
            story,
            articles.get(story.id, []),
            tuple(sorted(tags.get(story.id, ()))),
            joins,
            urls,
            tuple(claims.get(story.id, ())),
        )
        for story in stories
    ]


def _source(article: AnyRow, join: AnyRow | None, urls: list[str]) -> SourceView:
    return SourceView(
        article.canonical_url, article.site_name, article.title, article.published_at, article.author,
        article.official, article.id, join.reason if join else "first", join.similarity if join else None,
        join.matched_article_id if join else None, tuple(urls), article.gone_at, article.gone_status,
    )  # fmt: skip


def _view(
    story: AnyRow,
    articles: list[AnyRow],
    tags: tuple[str, ...],
    joins: dict[int, AnyRow],
    urls: dict[int, list[str]],
    claims: tuple[str, ...],
) -> StoryView:
    ordered = sorted(articles, key=lambda a: (not a.official, a.published_at or a.first_seen_at, a.id))
    return StoryView(
        id=story.id,
        title=story.title,
        url=story.url,
        summary=story.summary,
        published_at=story.published_at,
        first_seen_at=story.first_seen_at,
        updated_at=story.updated_at,
        tags=tags,
        sources=tuple(_source(a, joins.get(a.id), urls.get(a.id, [])) for a in ordered),
        claims=claims,
    )


def last_activity(session: Session, topic: str) -> datetime | None:
    """When the topic's stories last changed: the anchor for the digest's window."""
    return session.scalar(select(func.max(Story.updated_at)).where(Story.topic == topic))


def count_rows(session: Session, topic: str) -> dict[str, int]:
    """How many stories, articles and tags the topic has (for summaries and tests)."""

    def count(model: type[Story] | type[Article]) -> int:
        return session.scalar(select(func.count()).select_from(model).where(model.topic == topic)) or 0

    tags = session.scalar(select(func.count()).select_from(Tag).join(Story).where(Story.topic == topic)) or 0
    return {"stories": count(Story), "articles": count(Article), "tags": tags}
