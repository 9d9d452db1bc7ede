"""Which story a new article belongs to, and why: same text, or near-duplicate text (LSH in the store).

The index is three tables (article_urls, dedupe_entries, lsh_buckets), so it holds across runs
and processes and needs no memory. Functions take the caller's session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select

from aoud_tracker.models import Article, ArticleUrl, DedupeEntry, LshBucket, Story
from aoud_tracker.neardup import banding, buckets, signature, similarity

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session


DEFAULT_THRESHOLD = 0.35  # chosen with benchmarks/dedupe_threshold.py (docs/dedupe.md)
MAX_CANDIDATES = 500


_SAME_TEXT = (
    select(Article.id)
    .where(Article.topic == bindparam("topic"), Article.fingerprint == bindparam("fingerprint"))
    .limit(1)
)
_CANDIDATES = (
    select(DedupeEntry.article_id, DedupeEntry.signature)
    .where(
        DedupeEntry.article_id.in_(
            select(LshBucket.article_id).where(
                LshBucket.topic == bindparam("topic"), LshBucket.bucket.in_(bindparam("keys", expanding=True))
            )
        )
    )
    .limit(MAX_CANDIDATES)
)


@dataclass(frozen=True)
class Match:
    """A story an article joins, with the reason and, for near-duplicates, the similarity."""

    story: Story
    reason: str
    article_id: int
    similarity: float | None = None


def find_story(
    session: Session, topic: str, fingerprint: str, text_signature: bytes, threshold: float
) -> Match | None:
    """The story holding a copy of this text: same fingerprint first, then the closest near-duplicate."""
    connection = session.connection()  # prebuilt Core statements: this runs for every crawled item
    if fingerprint:
        twin_id = connection.execute(_SAME_TEXT, {"topic": topic, "fingerprint": fingerprint}).scalar()
        if twin_id is not None:
            return Match(session.get_one(Article, twin_id).story, "fingerprint", twin_id)
    if not text_signature:
        return None
    keys = buckets(text_signature, banding(threshold))
    candidates = connection.execute(_CANDIDATES, {"topic": topic, "keys": keys}).all()
    scored = [(similarity(text_signature, stored), article_id) for article_id, stored in candidates]
    best = max(scored, default=(0.0, 0))
    if best[0] < threshold:
        return None
    twin = session.get_one(Article, best[1])
    return Match(twin.story, "near_duplicate", twin.id, round(best[0], 3))


def index_article(
    session: Session,
    topic: str,
    article: Article,
    text_signature: bytes,
    match: Match | None,
    threshold: float,
) -> None:
    """Record the article's signature, its LSH buckets and why it joined its story."""
    entry = session.get(DedupeEntry, article.id)
    if entry is None:
        entry = DedupeEntry(article_id=article.id)
    else:  # an edited article: its old buckets go
        session.execute(delete(LshBucket).where(LshBucket.article_id == article.id))
    entry.signature = text_signature
    if match is not None:
        entry.reason, entry.similarity, entry.matched_article_id = (
            match.reason,
            match.similarity,
            match.article_id,
        )
    session.add(entry)
    if text_signature:
        layout = banding(threshold)
        session.add_all(
            LshBucket(topic=topic, bucket=key, band=band, article_id=article.id)
            for band, key in enumerate(buckets(text_signature, layout))
        )


def remember_url(session: Session, article_id: int, url: str, seen_at: datetime) -> None:
    """Record another address of an article (once per address)."""
    known = session.scalar(
        select(ArticleUrl.id).where(ArticleUrl.article_id == article_id, ArticleUrl.url == url)
    )
    if known is None:
        session.add(ArticleUrl(article_id=article_id, url=url, first_seen_at=seen_at))


def backfill(session: Session, topic: str, threshold: float) -> int:
    """Index the articles stored before the near-duplicate index existed; return how many."""
    missing = session.scalars(
        select(Article).where(Article.topic == topic, ~Article.id.in_(select(DedupeEntry.article_id)))
    ).all()
    for article in missing:
        index_article(session, topic, article, signature(article.body), None, threshold)
        remember_url(session, article.id, article.url, article.first_seen_at)
    return len(missing)
