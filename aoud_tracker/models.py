"""The store's tables, as SQLAlchemy 2.0 typed models; nothing here runs a query."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """The current time, aware and in UTC: the only kind of time the store accepts."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """SQLite keeps no UTC offset, so store naive UTC and hand back aware UTC; refuse naive input."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.utcoffset() is None:
            raise TypeError(f"naive datetime {value!r}: attach a timezone first")
        return None if value is None else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base; Alembic and `create_all` read `Base.metadata`."""


class Source(Base):
    """A configured place to crawl (feed, sitemap, listing) and what the last visit learned."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("topic", "url", name="uq_sources_topic_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2048))
    kind: Mapped[str] = mapped_column(String(16))
    official: Mapped[bool] = mapped_column(default=False)
    last_crawled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)


class Story(Base):
    """One piece of news: an article and every copy of it, under an id that never changes."""

    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_topic_updated", "topic", "updated_at"),
        Index("ix_stories_topic_newest", "topic", "newest_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(2048))
    summary: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # published_at, or first_seen_at when no source dates it: the order `latest` and the feeds list
    # stories in, kept as a column so an index answers "the 20 newest" without sorting them all.
    newest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    articles: Mapped[list[Article]] = relationship(back_populates="story", order_by="Article.id")


class Article(Base):
    """A page as fetched, keyed by its URL identity; copies elsewhere are separate rows, one story."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("topic", "url_key", name="uq_articles_topic_url_key"),
        Index("ix_articles_topic_fingerprint", "topic", "fingerprint"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(String(2048))
    url_key: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(400), default="")
    site_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    relevance: Mapped[float] = mapped_column(Float, default=0.0)
    official: Mapped[bool] = mapped_column(default=False)
    # When its page last answered 404 or 410 (and which): the article is kept, as the record of what
    # was said, and marked; a later successful fetch clears both.
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gone_status: Mapped[int | None] = mapped_column(SmallInteger)

    story: Mapped[Story] = relationship(back_populates="articles")
    tags: Mapped[list[Tag]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Tag.name"
    )


class Tag(Base):
    """A tag an article earned; a story's tags are those of its articles (story_id kept for queries)."""

    __tablename__ = "tags"
    __table_args__ = (
        UniqueConstraint("article_id", "name", name="uq_tags_article_name"),
        Index("ix_tags_story_name", "story_id", "name"),
        Index("ix_tags_name_story", "name", "story_id"),  # `latest --tag`: a tag's stories
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    name: Mapped[str] = mapped_column(String(32))

    article: Mapped[Article] = relationship(back_populates="tags")


class ArticleUrl(Base):
    """Every address an article was reached under (tracking links, AMP, mobile): why they are one."""

    __tablename__ = "article_urls"
    __table_args__ = (UniqueConstraint("article_id", "url", name="uq_article_urls_article_url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DedupeEntry(Base):
    """An article's MinHash signature and how it joined its story (first, fingerprint, near_duplicate)."""

    __tablename__ = "dedupe_entries"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    reason: Mapped[str] = mapped_column(String(16), default="first")
    similarity: Mapped[float | None] = mapped_column(Float)
    matched_article_id: Mapped[int | None] = mapped_column(Integer)


class LshBucket(Base):
    """One LSH band bucket of an article: equal buckets make two articles candidates to compare."""

    __tablename__ = "lsh_buckets"
    # The primary key is the lookup index; on SQLite the table *is* that B-tree (WITHOUT ROWID), so a
    # lookup reads one tree and an insert writes one. The bucket leads (revision 0007): a lookup names
    # its buckets, and led by the topic PostgreSQL could read all of a topic's rows instead.
    __table_args__ = (
        PrimaryKeyConstraint("bucket", "topic", "article_id"),
        Index("ix_lsh_buckets_article", "article_id"),
        {"sqlite_with_rowid": False},
    )

    topic: Mapped[str] = mapped_column(String(64))
    bucket: Mapped[int] = mapped_column(BigInteger)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    band: Mapped[int] = mapped_column(SmallInteger)


class LshBucketSize(Base):
    """How many articles share a bucket: a crowded bucket is a shared background paragraph, not news."""

    __tablename__ = "lsh_bucket_sizes"
    __table_args__ = (PrimaryKeyConstraint("bucket", "topic"), {"sqlite_with_rowid": False})

    topic: Mapped[str] = mapped_column(String(64))
    bucket: Mapped[int] = mapped_column(BigInteger)
    articles: Mapped[int] = mapped_column(Integer, default=0)


class Claim(Base):
    """One claim an article makes (a release window, a cast member, a plot line) and its sentence."""

    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_topic_kind", "topic", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # release_date, cast, plot
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    precision: Mapped[str | None] = mapped_column(String(16))
    hedge: Mapped[str | None] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(200))
    character: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(16))
    spoiler: Mapped[bool] = mapped_column(default=False)
    phrase: Mapped[str] = mapped_column(Text, default="")
    sentence: Mapped[str] = mapped_column(Text, default="")
    as_of: Mapped[date] = mapped_column(Date)
    site: Mapped[str] = mapped_column(String(200), default="")
    official: Mapped[bool] = mapped_column(default=False)


class HttpValidator(Base):
    """The ETag and Last-Modified a URL last answered with, for the next crawl's conditional request."""

    __tablename__ = "http_validators"

    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    etag: Mapped[str] = mapped_column(String(512), default="")
    last_modified: Mapped[str] = mapped_column(String(64), default="")
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SourceCopy(Base):
    """A source document (feed, sitemap, listing page) as last read, with its validators.

    A source that answers 304 is parsed again from this copy, so the articles it lists are still
    each considered: an unchanged feed says nothing about whether its articles were edited.
    """

    __tablename__ = "source_copies"

    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    etag: Mapped[str] = mapped_column(String(512), default="")
    last_modified: Mapped[str] = mapped_column(String(64), default="")
    content_type: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CrawlRun(Base):
    """One spider run: when, how it ended, and what it counted."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    spider: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    finish_reason: Mapped[str] = mapped_column(String(64), default="")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    items_new: Mapped[int] = mapped_column(Integer, default=0)
    items_updated: Mapped[int] = mapped_column(Integer, default=0)
    items_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    items_dropped: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
