"""Identity of an article's text: a fingerprint equal for verbatim copies on other sites.

Only paragraphs of some length count: bylines, photo credits, "Advertisement" and "This
article first appeared on…" lines differ between a wire story and its reprints, the
reported paragraphs do not.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Final

MIN_PARAGRAPH_WORDS: Final = 8
MIN_FINGERPRINT_WORDS: Final = 40
FURNITURE_MAX_CHARS: Final = 300  # a credit or promo line is short; reporting paragraphs are not checked
_WORD: Final = re.compile(r"\w+")
# ASCII bytes that are no word character (\w: letters, digits, underscore) become spaces
_ASCII_WORDS: Final = bytes(c if chr(c).isalnum() or chr(c) == "_" else 0x20 for c in range(128)) + bytes(128)
# Lines that differ between a wire story and its reprints although the reporting is the same.
_FURNITURE: Final = re.compile(
    r"\b(?:originally|first) (?:appeared|published) (?:on|in|at)\b|\brepublished with permission\b"
    r"|\breprinted with permission\b|\ball rights reserved\b|\bsign up for (?:our|the)\b"
    r"|\bsubscribe to (?:our|the)\b|\bfollow us on\b|\bclick here\b|\bread more:|무단 ?전재|재배포 금지",
    re.IGNORECASE,
)


_FURNITURE_WORDS: Final = (
    "appeared",
    "published",
    "permission",
    "rights reserved",
    "sign up",
    "subscribe",
    "follow us",
    "click here",
    "read more",
    "무단",
    "재배포",
)


def normalized_words(text: str) -> bytes:
    """The text's words with case, width and punctuation folded away, one space apart, in UTF-8
    (as the fingerprint and the shingles hash them).

    Most news text is ASCII: its words are then cut out by `bytes.translate`, where a regex made a
    string of every word (a generated article's paragraphs: 34 against 99 µs), and the Unicode
    normalisation is skipped.
    """
    if text.isascii():
        return b" ".join(text.lower().encode("ascii").translate(_ASCII_WORDS).split())
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold())).encode("utf-8")


def _is_furniture(paragraph: str) -> bool:
    """A short credit or promo line; the keyword test spares the regex on ordinary prose."""
    if len(paragraph) > FURNITURE_MAX_CHARS:
        return False
    lowered = paragraph.lower()
    return any(word in lowered for word in _FURNITURE_WORDS) and _FURNITURE.search(paragraph) is not None


@lru_cache(maxsize=64)  # the fingerprint and the MinHash signature read the same body in turn
def content_paragraphs(body: str) -> tuple[bytes, ...]:
    """Normalized paragraphs (`normalized_words`) long enough to be reporting rather than page
    furniture."""
    kept = (p for p in re.split(r"\n\s*\n", body) if not _is_furniture(p))
    paragraphs = (normalized_words(p) for p in kept)
    return tuple(p for p in paragraphs if _word_count(p) >= MIN_PARAGRAPH_WORDS)


def _word_count(normalized: bytes) -> int:
    return normalized.count(b" ") + 1 if normalized else 0


def body_fingerprint(body: str) -> str:
    """SHA-256 of the normalized reporting paragraphs; "" when too little text to be sure."""
    paragraphs = content_paragraphs(body)
    if sum(map(_word_count, paragraphs)) < MIN_FINGERPRINT_WORDS:
        return ""
    return hashlib.sha256(b"\n".join(paragraphs)).hexdigest()


def content_hash(*parts: object) -> str:
    """A hash of everything stored about an article, to tell an edited page from an unchanged one."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()
