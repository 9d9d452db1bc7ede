"""Which story a new article belongs to, and why: same text, or near-duplicate text (LSH in the store).

The index is three tables (article_urls, dedupe_entries, lsh_buckets), so it holds across runs
and processes and needs no memory. Functions take the caller's session and never commit.

The MinHash functions (neardup.py, on numpy) are imported by the functions that use them: the
store imports this module, and the query commands never compare texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    bindparam,
    delete,
    func,
    literal,
    select,
    text,
    union_all,
    update,
)

from aoud_tracker import prepared
from aoud_tracker.models import (
    Article,
    ArticleUrl,
    Claim,
    DedupeEntry,
    LshBucket,
    LshBucketSize,
    Story,
    Tag,
)
from aoud_tracker.upsert import upsert

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlalchemy.orm import Session


DEFAULT_THRESHOLD = 0.35  # chosen with benchmarks/dedupe_threshold.py (docs/dedupe.md)
MAX_CANDIDATES = 64
# A bucket shared by more articles than this holds a background paragraph every outlet pastes
# (all of a band's minimum hashes fell in it), not a piece of news: it is not searched, so its
# rows leave lsh_buckets (lsh_bucket_sizes marks it crowded) and a lookup probes one table.
CROWDED_BUCKET = 32
CROWDED_MARK = -1  # a bucket's count in `_bucket_counts` when lsh_bucket_sizes marks it crowded


SAME_TEXT_HITS = 1_000_000  # ranks an exact-text twin above any LSH candidate
_SAME_TEXT = (
    select(Article.id.label("article_id"), literal(SAME_TEXT_HITS).label("hits"))
    .where(Article.topic == bindparam("topic"), Article.fingerprint == bindparam("fingerprint"))
    .limit(1)
)


@lru_cache(maxsize=8)
def _lookup(bands: int) -> Select[tuple[int, int, bytes | None, int]]:
    """One round trip: an exact-text twin, else candidates ranked by shared bands, with their
    signatures and stories (a match then needs no second query to name its story).

    The band keys are bound parameters (`_in_buckets`).
    """
    bucket_hits = (
        select(LshBucket.article_id, func.count().label("hits"))
        .where(_in_buckets(LshBucket, bands))
        .group_by(LshBucket.article_id)
    )
    ranked = (
        union_all(_SAME_TEXT.subquery().select(), bucket_hits)
        .order_by(text("hits DESC"))
        .limit(MAX_CANDIDATES)
    ).subquery()
    return (
        select(ranked.c.article_id, ranked.c.hits, DedupeEntry.signature, Article.story_id)
        .join_from(ranked, Article, Article.id == ranked.c.article_id)
        .join(DedupeEntry, DedupeEntry.article_id == ranked.c.article_id, isouter=True)
    )


def _in_buckets(table: type[LshBucket] | type[LshBucketSize], bands: int) -> ColumnElement[bool]:
    """The table's rows of the topic in one of `bands` buckets, each key a parameter of its own
    (`k0`…, given by `_key_values`): a fixed statement SQLAlchemy compiles once, where an
    expanding IN list would be re-rendered for every item."""
    keys: list[BindParameter[int]] = [bindparam(f"k{band}") for band in range(bands)]
    return and_(table.topic == bindparam("topic"), table.bucket.in_(keys))


def _key_values(keys: Sequence[int]) -> dict[str, int]:
    """The band keys as `_in_buckets` binds them."""
    return {f"k{band}": key for band, key in enumerate(keys)}


class _LookupRow(NamedTuple):
    article_id: int
    hits: int
    signature: bytes | None
    story_id: int


def _run_lookup(session: Session, bands: int, parameters: dict[str, object]) -> list[_LookupRow]:
    """The lookup, run on the driver (prepared.py: it runs for every item of every crawl), planned
    for its values each time: the best way to find a fingerprint depends on how many articles hold
    it, and the buckets' table grows from nothing in a new store, so a plan kept from its first
    articles (a scan of the whole table) would stay one as it grows."""
    rows = prepared.run(session.connection(), _lookup(bands), parameters, per_values=True)
    return [_LookupRow(*row) for row in rows]


@dataclass(frozen=True)
class Match:
    """A story an article joins, with the reason and, for near-duplicates, the similarity."""

    story_id: int
    reason: str
    article_id: int
    similarity: float | None = None
    others: tuple[Match, ...] = ()  # other stories the article is as close to: the same news, to fold in


def find_story(
    session: Session, topic: str, fingerprint: str, text_signature: bytes, threshold: float
) -> Match | None:
    """The story holding a copy of this text: same fingerprint first, then the closest near-duplicate.

    When the text is close to articles of several stories, those stories are one piece of news
    that arrived out of order (two rewrites stored before their original): the match names the
    oldest of them, and `absorb` folds the others into it.
    """
    if not fingerprint and not text_signature:
        return None
    from aoud_tracker.neardup import banding, buckets, similarities

    keys = buckets(text_signature, banding(threshold)) if text_signature else (0,)
    # Prebuilt statements (this runs for every item of every crawl). Candidates are ranked by
    # how many bands they share: a rewrite shares several, a shared background paragraph one.
    session.flush()  # the raw lookup below must see articles saved earlier in this transaction
    parameters = {"topic": topic, "fingerprint": fingerprint or "-", **_key_values(keys)}
    rows = _run_lookup(session, len(keys), parameters)
    twin = next((row for row in rows if row.hits >= SAME_TEXT_HITS), None)
    if twin is not None:
        return Match(twin.story_id, "fingerprint", twin.article_id)
    if not text_signature:
        return None
    story_of = {row.article_id: row.story_id for row in rows}
    candidates = [(row.article_id, row.signature) for row in rows if row.signature]
    scores = similarities(text_signature, [stored for _, stored in candidates])
    close = sorted(
        (
            (float(score), article_id)
            for score, (article_id, _) in zip(scores, candidates, strict=True)
            if score >= threshold
        ),
        reverse=True,
    )
    if not close:
        return None
    best_by_story: dict[int, tuple[float, int]] = {}
    for score, article_id in close:
        best_by_story.setdefault(story_of[article_id], (score, article_id))
    oldest = min(best_by_story)
    others = tuple(
        Match(story_id, "near_duplicate", article_id, round(score, 3))
        for story_id, (score, article_id) in best_by_story.items()
        if story_id != oldest
    )
    return Match(oldest, "near_duplicate", close[0][1], round(close[0][0], 3), others)


def absorb(session: Session, match: Match, via_article_id: int) -> None:
    """Fold the other stories a new article bridged into the match's (oldest) story.

    The articles move with their tags and claims (both keep their article's story id for
    queries); the first article of each folded story is marked `bridged`, via the new one.
    """
    connection = session.connection()
    for other in match.others:
        moved = list(connection.scalars(select(Article.id).where(Article.story_id == other.story_id)))
        connection.execute(update(Article).where(Article.id.in_(moved)).values(story_id=match.story_id))
        for model in (Tag, Claim):
            connection.execute(
                update(model).where(model.article_id.in_(moved)).values(story_id=match.story_id)
            )
        connection.execute(
            update(DedupeEntry)
            .where(DedupeEntry.article_id.in_(moved), DedupeEntry.reason == "first")
            .values(reason="bridged", similarity=other.similarity, matched_article_id=via_article_id)
        )
        connection.execute(delete(Story).where(Story.id == other.story_id))


def index_article(
    session: Session,
    topic: str,
    article_id: int,
    text_signature: bytes,
    match: Match | None,
    threshold: float,
    *,
    new: bool = False,
) -> None:
    """Record the article's signature, its LSH buckets and why it joined its story (`new`: the
    article was just inserted, so it has no entry and no buckets yet). Plain statements on the
    session's connection: nothing for the unit of work to track and flush."""
    connection = session.connection()
    row: dict[str, object] = {"article_id": article_id, "signature": text_signature}
    if match is not None:
        row |= {
            "reason": match.reason,
            "similarity": match.similarity,
            "matched_article_id": match.article_id,
        }
    if new:
        prepared.run(connection, prepared.insert_of(DedupeEntry, tuple(row)), row)
    else:  # an edited article: its old buckets go (a crowded one stays crowded), its signature is replaced
        connection.execute(delete(LshBucket).where(LshBucket.article_id == article_id))
        upsert(session, DedupeEntry, row, ("article_id",))
    _index_buckets(session, topic, article_id, text_signature, threshold)


def _index_buckets(
    session: Session, topic: str, article_id: int, text_signature: bytes, threshold: float
) -> None:
    """List the article in its LSH buckets that are not crowded; a bucket it would take past
    CROWDED_BUCKET is marked crowded in lsh_bucket_sizes instead, and its rows leave the lookup.

    A bucket is counted by its rows, read, not by an upsert of a count per bucket: those upserts
    wrote 42 more random pages an article, and at 20,000 stored articles the counts cost 1.3 ms of
    the store's 3.7 ms an article (batches of 32, SQLite). Two writers of one PostgreSQL store may
    both list an article in a bucket at 32 (SQLite has one writer at a time): the next article
    there finds it past the bound and marks it.
    """
    if not text_signature:
        return
    from aoud_tracker.neardup import banding, buckets

    keys = buckets(text_signature, banding(threshold))
    counts = _bucket_counts(session, topic, keys)
    rows = [
        {"topic": topic, "bucket": key, "band": band, "article_id": article_id}
        for band, key in enumerate(keys)
        if 0 <= counts.get(key, 0) < CROWDED_BUCKET
    ]
    if rows:  # one executemany on the driver
        prepared.run_many(session.connection(), prepared.insert_of(LshBucket, tuple(rows[0])), rows)
    if just_crowded := {key for key in keys if counts.get(key, 0) >= CROWDED_BUCKET}:
        for key in sorted(just_crowded):  # in key order: two writers lock rows in the same order
            mark = {"topic": topic, "bucket": key, "articles": counts[key] + 1}
            upsert(session, LshBucketSize, mark, ("topic", "bucket"))
        prune_crowded(session, topic, just_crowded)


def _bucket_counts(session: Session, topic: str, keys: Sequence[int]) -> dict[int, int]:
    """How many articles each bucket lists, CROWDED_MARK for one marked crowded (a bucket absent
    lists none). Planned for its values, as the lookup is: a plan kept from when the table was
    small is a scan of the whole table for good."""
    parameters = {"topic": topic, "crowded": CROWDED_BUCKET, **_key_values(keys)}
    rows = prepared.run(session.connection(), _counts_statement(len(keys)), parameters, per_values=True)
    counts: dict[int, int] = {}
    for bucket, listed in rows:  # a mark wins over rows a crowded bucket may still have
        counts[bucket] = CROWDED_MARK if CROWDED_MARK in (listed, counts.get(bucket)) else listed
    return counts


@lru_cache(maxsize=8)
def _counts_statement(bands: int) -> CompoundSelect[tuple[int, int]]:
    """One round trip: each bucket's listed articles, and a CROWDED_MARK row for each bucket
    lsh_bucket_sizes marks crowded (more than CROWDED_BUCKET articles; stores written before the
    counts were read counted every bucket there)."""
    listed = (
        select(LshBucket.bucket, func.count().label("listed"))
        .where(_in_buckets(LshBucket, bands))
        .group_by(LshBucket.bucket)
    )
    crowded = select(LshBucketSize.bucket, literal(CROWDED_MARK).label("listed")).where(
        _in_buckets(LshBucketSize, bands), LshBucketSize.articles > bindparam("crowded")
    )
    return union_all(listed, crowded)


def prune_crowded(session: Session, topic: str, keys: set[int] | None = None) -> int:
    """Remove the rows of crowded buckets (these keys, or every crowded one) from the lookup table.

    Run for every key that just became crowded, and once per crawl for stores written before
    crowded buckets were pruned; return how many rows went.
    """
    crowded = select(LshBucketSize.bucket).where(
        LshBucketSize.topic == topic, LshBucketSize.articles > CROWDED_BUCKET
    )
    if keys is not None:
        crowded = crowded.where(LshBucketSize.bucket.in_(keys))
    result = session.execute(
        delete(LshBucket).where(LshBucket.topic == topic, LshBucket.bucket.in_(crowded.scalar_subquery()))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def remember_url(session: Session, article_id: int, url: str, seen_at: datetime) -> None:
    """Record another address of an article (once per address)."""
    row = {"article_id": article_id, "url": url, "first_seen_at": seen_at}
    upsert(session, ArticleUrl, row, ("article_id", "url"), update=False)


def backfill(session: Session, topic: str, threshold: float) -> int:
    """Index the articles stored before the near-duplicate index existed, and drop crowded buckets'
    rows a store of an earlier version still has; return how many articles were indexed."""
    from aoud_tracker.neardup import signature

    prune_crowded(session, topic)
    missing = session.scalars(
        select(Article).where(Article.topic == topic, ~Article.id.in_(select(DedupeEntry.article_id)))
    ).all()
    for article in missing:
        index_article(session, topic, article.id, signature(article.body), None, threshold, new=True)
        remember_url(session, article.id, article.url, article.first_seen_at)
    return len(missing)
