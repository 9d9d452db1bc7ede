"""Bytes to text for web pages whose declared charset may be wrong.

The declared charset (HTTP header, BOM, `<meta>`) is trusted first, as browsers do; when it
leaves replacement characters behind, strict UTF-8 and then charset_normalizer's detection
are tried, and the better decoding wins with a note saying so.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final

import charset_normalizer
from w3lib.encoding import html_to_unicode

_REPLACEMENT: Final = "\ufffd"
_SINGLE_BYTE: Final = frozenset({"ascii", "latin-1", "iso8859-1", "cp1252", "windows-1252"})
_MULTIBYTE: Final = frozenset(
    {
        "cp949",
        "euc_kr",
        "johab",
        "shift_jis",
        "cp932",
        "euc_jp",
        "iso2022_jp",
        "gb2312",
        "gbk",
        "gb18030",
        "big5",
        "big5hkscs",
        "cp950",
        "utf-8",
        "utf-16",
        "utf-32",
    }
)


@dataclass(frozen=True)
class Decoded:
    """Page text with the charset that produced it and, when it was not the declared one, why."""

    text: str
    encoding: str
    note: str = ""
    repaired: bool = False


def _damage(text: str) -> int:
    return text.count(_REPLACEMENT)


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page, repairing a wrong or missing charset declaration."""
    declared, text = html_to_unicode(content_type, body)
    damage = _damage(text)
    if damage == 0 and not (_is_single_byte(declared) and not body.isascii()):
        return Decoded(text, declared)
    for encoding, alternative in _candidates(body, declared):
        if _damage(alternative) < damage or (damage == 0 and alternative != text):
            problem = f"left {damage} undecodable characters" if damage else "does not fit the bytes"
            note = f"declared charset {declared} {problem}; decoded as {encoding}"
            return Decoded(alternative, encoding, note, repaired=True)
    if damage:
        return Decoded(text, declared, f"charset {declared} left {damage} undecodable characters")
    return Decoded(text, declared)


def _is_single_byte(encoding: str) -> bool:
    """Charsets that decode any byte, so a wrong one leaves mojibake but no replacement characters."""
    name = codecs.lookup(encoding).name
    return name in _SINGLE_BYTE or name.startswith(("iso8859", "cp125", "latin", "mac-"))


def _candidates(body: bytes, declared: str) -> list[tuple[str, str]]:
    """Strict UTF-8 first (valid UTF-8 by chance is rare); else the detector's multibyte guess."""
    try:
        return [("utf-8", body.decode("utf-8"))]
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    if best is None or not best.encoding:
        return []
    if _is_single_byte(declared) and codecs.lookup(best.encoding).name not in _MULTIBYTE:
        return []  # one single-byte guess is no better than the declared one
    return [(best.encoding, str(best))]
