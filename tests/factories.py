"""Builders for ArticleItems as the pipelines hand them to the store (for store, feed and digest tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.items import ArticleItem
from aoud_tracker.urls import url_key

FETCHED = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

BODY = (
    "Netflix confirmed on Wednesday that All of Us Are Dead Season 2 has begun filming in Seoul, "
    "with Park Ji-hu returning as Nam On-jo and Lomon back as Lee Su-hyeok.\n\n"
    "The new season follows On-jo, now a university student, when a new wave of infection hits the "
    "capital and the survivors of Hyosan High are scattered across the city.\n\n"
    "Roh Jae-won joins the cast as Han Du-seok, the leader of a National Intelligence Service team "
    "sent to contain the outbreak before it reaches the rest of the country."
)


def article(
    url: str = "https://seoulscreen.example/entertainment/2025/07/aoud-s2-filming.html",
    *,
    title: str = "All of Us Are Dead Season 2 starts filming",
    body: str = BODY,
    published: datetime | None = datetime(2025, 7, 23, 9, 0, tzinfo=UTC),
    fetched: datetime = FETCHED,
    site: str = "Seoul Screen Daily",
    tags: tuple[str, ...] = ("cast", "official", "production"),
    official: bool = False,
    author: str = "Kim Min-seo",
) -> ArticleItem:
    """An ArticleItem with its identities filled in, as after the dedupe pipeline."""
    return ArticleItem(
        url=url,
        canonical_url=url,
        title=title,
        body=body,
        fetched_at=fetched,
        published_at=published,
        author=author,
        site_name=site,
        language="en",
        summary=body.split("\n\n")[0][:200],
        official=official,
        url_key=url_key(url),
        fingerprint=body_fingerprint(body),
        relevance=9.0,
        tags=tags,
    )
