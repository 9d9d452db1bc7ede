"""What extraction makes of a page (`Extracted`), and how long a body must be to be an article.

Apart from extract.py, which makes them with trafilatura and htmldate: the crawl's process receives
these from its work process, and reading them must not load the extraction there
(tests/test_startup.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

MIN_BODY_CHARS: Final = 250
_DENSE_SCRIPT: Final = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")


@dataclass(frozen=True)
class Extracted:
    """What one page says, and whether it is an article (`status` ok, no_body or not_article)."""

    url: str
    title: str = ""
    body: str = ""
    published_at: datetime | None = None
    published_day: date | None = None  # the publisher's own calendar day (its time zone)
    modified_at: datetime | None = None
    author: str = ""
    site_name: str = ""
    language: str = ""
    canonical_url: str = ""
    description: str = ""
    image: str = ""
    status: str = "ok"
    reason: str = ""
    encoding: str = ""
    encoding_note: str = ""
    encoding_repaired: bool = False
    refused_date: datetime | None = None  # a publication date the page states that cannot be (2099, 1970)
    control_chars: int = 0  # characters XML forbids (control characters, U+FFFE/U+FFFF), removed

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def body_size(body: str) -> int:
    """Length of a text in Latin-character equivalents: a Hangul, kana or Han character says as
    much as two or three Latin ones, so Korean articles are not judged too short."""
    if body.isascii():  # most articles: no scan for those characters (15 µs a body, a few a page)
        return len(body)
    return len(body) + len(_DENSE_SCRIPT.findall(body))
