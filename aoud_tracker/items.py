"""ArticleItem: the one thing spiders yield, filled in further by the item pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from aoud_tracker.findings import Claims
from aoud_tracker.reading import Reading


@dataclass
class ArticleItem:
    """An article page as extracted by a spider; pipelines add identity, relevance and tags."""

    url: str
    canonical_url: str
    title: str
    body: str
    fetched_at: datetime
    published_at: datetime | None = None
    modified_at: datetime | None = None
    author: str = ""
    site_name: str = ""
    language: str = ""
    summary: str = ""
    source_name: str = ""
    source_url: str = ""
    official: bool = False
    status: str = "ok"
    status_reason: str = ""
    # The page's HTTP validators (the URL asked for, ETag, Last-Modified), kept with the article in
    # one transaction: a later 304 is trusted only for a page whose article was stored.
    validators: tuple[str, str, str] | None = None
    # Set by the pipelines (relevance, dedupe, tag) before the store sees the item.
    url_key: str = ""
    fingerprint: str = ""
    signature: bytes = b""
    relevance: float = 0.0
    tags: tuple[str, ...] = ()
    claims: Claims = field(default_factory=Claims)
    notes: list[str] = field(default_factory=list)
    # The pipelines' work on the text, done ahead in a work process (reading.py); each step takes
    # its part while the text is the one it was worked out from. Gone once the tag step is done.
    reading: Reading | None = field(default=None, repr=False, compare=False)
