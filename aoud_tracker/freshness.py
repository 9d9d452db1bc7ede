"""Which stored articles are old enough not to be fetched again, unless their source says changed.

News articles are edited in their first days and rarely after. A crawl every few hours over a
source listing hundreds of articles would otherwise ask for every one of them each time; with
conditional requests that is cheap, but not free (one request each, and servers that ignore
validators send the whole page). So an article stored whose date (publication, or first seen
when it has none) is older than AOUD_REVISIT_DAYS is not requested again, unless the source's
entry for it carries a change time (RSS/Atom `updated`, sitemap `lastmod`) later than our last
fetch of it. 0 turns the rule off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from sqlalchemy import func, select

from aoud_tracker.models import Article, ArticleUrl
from aoud_tracker.urls import url_key

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_REVISIT_DAYS: Final = 14


@dataclass(frozen=True)
class StoredPages:
    """The last fetch time of each stored article older than the revisit age, by URL identity."""

    fetched_at: dict[str, datetime]

    @classmethod
    def load(cls, session: Session, topic: str, revisit_days: int, now: datetime) -> StoredPages:
        """The old articles of `topic`, under their identity and every address they were reached by."""
        if revisit_days <= 0:
            return cls({})
        cutoff = now - timedelta(days=revisit_days)
        dated = func.coalesce(Article.published_at, Article.first_seen_at)
        old = (
            select(Article.id, Article.url_key, Article.fetched_at)
            .where(Article.topic == topic, dated < cutoff)
            .subquery()
        )
        fetched: dict[str, datetime] = {}
        for _, key, fetched_at in session.execute(select(old)):
            fetched[key] = fetched_at
        addresses = select(ArticleUrl.url, old.c.fetched_at).join(old, ArticleUrl.article_id == old.c.id)
        for address, fetched_at in session.execute(addresses):
            fetched.setdefault(url_key(address), fetched_at)
        return cls(fetched)

    def skip(self, url: str, listed_change: datetime | None) -> bool:
        """True when `url` is an old stored article its source does not list as changed since."""
        fetched_at = self.fetched_at.get(url_key(url))
        if fetched_at is None:
            return False
        return listed_change is None or listed_change <= fetched_at
