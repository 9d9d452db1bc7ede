"""Full-text search over stored articles, on whichever back-end the store is (migration 0003).

A query is words, all of which must appear (in the title or the body): whole words first, then,
if that finds too few stories, each word as a prefix: Korean attaches particles to words (학교 in
학교는), and a reader typing "trail" wants "trailer".
Punctuation is not syntax here: the words are quoted before they reach FTS5 or tsquery, so a
query can never be a syntax error. Hits are grouped by story, best first among the newest
RANK_WINDOW matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

from sqlalchemy import text

from aoud_tracker.models import UTCDateTime

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session

_WORD: Final = re.compile(r"\w+", re.UNICODE)
MAX_WORDS: Final = 12
SNIPPET_WORDS: Final = 16

RANK_WINDOW: Final = 2_000

# Ranking is done among the newest RANK_WINDOW matching articles, not all of them: with a million
# stored, a common word matches half the store, and scoring every match took 1.4 s on SQLite. The
# newest matches are found in index order without scoring (FTS5 walks rowids backwards; PostgreSQL
# chooses between the GIN index and a backward scan of the primary key, so the query is written out
# where the planner sees it: from a CTE it guessed 1,228 matches for 144,000 and took the index),
# then only they are ranked.
# A tracker's reader looks for what is being said now; an old article is found with more words.
_SQLITE: Final = text("""
    WITH recent AS (
        SELECT articles_fts.rowid AS id FROM articles_fts JOIN articles b ON b.id = articles_fts.rowid
        WHERE articles_fts MATCH :query AND b.topic = :topic
        ORDER BY articles_fts.rowid DESC LIMIT :window)
    SELECT a.id, a.story_id, a.title, a.url, a.site_name, a.published_at,
           snippet(articles_fts, 1, '[', ']', '…', :snippet_words) AS snippet,
           bm25(articles_fts, 5.0, 1.0) AS rank
    FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
    WHERE articles_fts MATCH :query AND a.topic = :topic
      AND articles_fts.rowid >= (SELECT min(id) FROM recent)
    ORDER BY rank LIMIT :limit
""").columns(published_at=UTCDateTime)
_POSTGRESQL: Final = text("""
    WITH recent AS (
        SELECT a.id FROM articles a
        WHERE a.search_vector @@ to_tsquery('simple', :query) AND a.topic = :topic
        ORDER BY a.id DESC LIMIT :window)
    SELECT a.id, a.story_id, a.title, a.url, a.site_name, a.published_at,
           ts_headline('simple', a.body, to_tsquery('simple', :query),
                       'StartSel=[, StopSel=], MaxFragments=1, MaxWords=' || :snippet_words
                       || ', MinWords=5, FragmentDelimiter=…') AS snippet,
           -ts_rank(a.search_vector, to_tsquery('simple', :query)) AS rank
    FROM recent JOIN articles a ON a.id = recent.id
    ORDER BY rank LIMIT :limit
""").columns(published_at=UTCDateTime)


@dataclass(frozen=True)
class SearchHit:
    """The best-matching article of one story."""

    story_id: int
    article_id: int
    title: str
    url: str
    site: str
    published_at: datetime | None
    snippet: str


def query_words(query: str) -> list[str]:
    """The words of a query, lower-cased, at most MAX_WORDS; punctuation dropped."""
    return [w.lower() for w in _WORD.findall(query)][:MAX_WORDS]


def fts5_query(words: list[str], *, prefix: bool = True) -> str:
    """All words, each quoted (a quote inside a word is doubled), as prefixes: `"word"*`."""
    star = "*" if prefix else ""
    return " ".join('"' + w.replace('"', '""') + '"' + star for w in words)


def tsquery(words: list[str], *, prefix: bool = True) -> str:
    """All words, each quoted, joined with &, as prefixes: `'word':*`."""
    star = ":*" if prefix else ""
    return " & ".join("'" + w.replace("'", "''").replace("\\", "") + "'" + star for w in words)


def search(
    session: Session, topic: str, query: str, limit: int = 20, window: int = RANK_WINDOW
) -> list[SearchHit]:
    """Stories whose articles contain every word of `query`, best match first (among the newest
    `window` matching articles), one hit per story.

    The words are looked up whole first, and as prefixes only when that finds fewer than `limit`
    stories: a prefix is the union of every word it begins, read in full (with a million articles
    stored, "lomon teaser" as prefixes took 270 ms on SQLite, as words 80 ms).
    """
    words = query_words(query)
    if not words:
        return []
    hits: dict[int, SearchHit] = {}
    for prefix in (False, True):
        for hit in _matches(session, topic, words, limit, window, prefix=prefix):
            hits.setdefault(hit.story_id, hit)  # a copy of a story already listed ranks lower
            if len(hits) == limit:
                return list(hits.values())
    return list(hits.values())


def _matches(
    session: Session, topic: str, words: list[str], limit: int, window: int, *, prefix: bool
) -> Iterator[SearchHit]:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        statement, query_text = _SQLITE, fts5_query(words, prefix=prefix)
    elif dialect == "postgresql":
        statement, query_text = _POSTGRESQL, tsquery(words, prefix=prefix)
    else:
        raise NotImplementedError(f"full-text search on {dialect}")
    parameters = {"query": query_text, "topic": topic, "limit": limit * 5, "window": window,
                  "snippet_words": SNIPPET_WORDS}  # fmt: skip
    for row in session.execute(statement, parameters):
        snippet = " ".join(row.snippet.split())
        yield SearchHit(row.story_id, row.id, row.title, row.url, row.site_name, row.published_at, snippet)
