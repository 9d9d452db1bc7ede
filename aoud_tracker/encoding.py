"""Bytes to text for web pages whose declared charset may be wrong.

The declared charset (HTTP header, BOM, `<meta>`) is trusted first, as browsers do; when it
leaves replacement characters behind, strict UTF-8 and then charset_normalizer's detection
are tried, and the better decoding wins with a note saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import charset_normalizer
from w3lib.encoding import html_to_unicode

_REPLACEMENT: Final = "\ufffd"


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
    if damage == 0:
        return Decoded(text, declared)
    candidates: list[tuple[str, str]] = []
    try:
        candidates.append(("utf-8", body.decode("utf-8")))
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(body).best()
        if best is not None and best.encoding:
            candidates.append((best.encoding, str(best)))
    for encoding, alternative in candidates:
        if _damage(alternative) < damage:
            note = f"declared charset {declared} left {damage} undecodable characters; decoded as {encoding}"
            return Decoded(alternative, encoding, note, repaired=True)
    return Decoded(text, declared, f"charset {declared} left {damage} undecodable characters")
