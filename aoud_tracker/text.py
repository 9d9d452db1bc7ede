"""Text hygiene for scraped strings: no control characters, no stray whitespace, NFC."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# XML 1.0 forbids these; one of them in a title makes lxml refuse a whole feed.
_FORBIDDEN: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Zero-width characters, BOM, soft hyphen; a zero-width joiner is kept between two pictographs,
# where it makes one emoji of them (🧟 + ZWJ + ♀ is one zombie woman, not two symbols).
_INVISIBLE: Final = re.compile(
    r"[\u200b\u200c\u2060\ufeff\u00ad]"
    r"|(?<![\u2600-\u27bf\U0001f300-\U0001faff\ufe0f])\u200d|\u200d(?![\u2600-\u27bf\U0001f300-\U0001faff])"
)


def clean_text(value: str, *, keep_paragraphs: bool = False) -> str:
    """NFC text without forbidden characters; paragraphs kept apart by one blank line if asked."""
    text = _INVISIBLE.sub("", _FORBIDDEN.sub("", unicodedata.normalize("NFC", value or "")))
    if not keep_paragraphs:
        return " ".join(text.split())
    # str.split() splits at every Unicode space (no-break, em, ideographic…) and drops the ends
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text))
    return "\n\n".join(p for p in paragraphs if p)
