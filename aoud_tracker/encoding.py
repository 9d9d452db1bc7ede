"""Bytes to text for web pages whose declared charset may be wrong.

The declared charset (HTTP header, BOM, `<meta>`) is trusted first, as browsers do; when it
leaves replacement characters behind, strict UTF-8 and then charset_normalizer's detection
are tried, and the better decoding wins with a note saying so. A page that is UTF-8 but for a
few stray bytes (a Latin-1 "é" or an EUC-KR word pasted in, a broken sequence) stays UTF-8:
only the stray runs are read in another charset or replaced, never the whole page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Final

import charset_normalizer
from w3lib.encoding import html_to_unicode

_REPLACEMENT: Final = "\ufffd"
_STRAY_RUN: Final = re.compile(r"[\udc80-\udcff]+")  # bytes that are not UTF-8, surrogate-escaped
_MAX_STRAY_RUNS: Final = 10_000  # more is no "few stray bytes", and reading each would take seconds
_REACH: Final = 16  # characters read with a stray run on either side: the rest of its word
# Valid UTF-8 is rarely an accident: when a page holds at least one valid multibyte character for
# every this many stray bytes, its author wrote UTF-8 and a whole-page legacy charset would be mojibake.
_UTF8_EVIDENCE: Final = 20
# A whole-page multibyte decoding must leave this many times fewer replacements than UTF-8 did.
_CLEANER: Final = 10
# What a short stray run means when read as Windows-1252: accented letters and typographic
# punctuation, the usual residue of Latin-1 text pasted into a UTF-8 page (not þ, ÿ: BOM residue).
_LATIN_STRAY: Final = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýŒœŠšŽžŸ‘’“”–—…€«»°·"
)
_MAX_LATIN_RUN: Final = 3
_KOREAN_LEGACY: Final = "cp949"  # what browsers read for euc-kr, the legacy charset of this topic's sites
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
    """Page text with the charset that produced it and, when it was not the declared one, why.

    A note with `repaired` set means the text was corrected (another charset, or stray bytes read
    in theirs); a note without it means characters were lost (replaced by U+FFFD).
    """

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
    utf8 = _Utf8Reading.of(body)
    for encoding, alternative in _candidates(body, declared, utf8):
        if _damage(alternative) < damage or (damage == 0 and alternative != text):
            problem = f"left {damage} undecodable characters" if damage else "does not fit the bytes"
            note = f"declared charset {declared} {problem}; decoded as {encoding}"
            return Decoded(alternative, encoding, note, repaired=True)
    if utf8.written_as_utf8 and (utf8.damage < damage or (damage == 0 and _is_single_byte(declared))):
        return utf8.decoded(declared)
    if damage:
        return Decoded(text, declared, f"charset {declared} left {damage} undecodable characters")
    return Decoded(text, declared)


@dataclass(frozen=True)
class _Utf8Reading:
    """The page read as UTF-8, with only its stray (non-UTF-8) bytes read otherwise.

    Stray bytes are tried as Windows-949 Hangul (Korean pasted from a legacy page), then, in short
    runs, as Windows-1252 letters (a Latin-1 "é"); what neither explains becomes U+FFFD.
    """

    text: str
    valid: int  # valid multibyte UTF-8 characters: the evidence that the page is UTF-8
    stray: int  # bytes that are not UTF-8
    replaced: int  # replacement characters added for the stray bytes nothing explains

    @classmethod
    def of(cls, body: bytes) -> _Utf8Reading:
        body = body.removeprefix(codecs.BOM_UTF8)
        escaped = body.decode("utf-8", "surrogateescape")
        clean, runs = _STRAY_RUN.subn("", escaped)
        valid = len(clean) - len(clean.encode("ascii", "ignore"))  # ascii-encode drops non-ASCII
        if runs > _MAX_STRAY_RUNS:  # binary junk, or a legacy page: not worth reading run by run
            text = body.decode("utf-8", "replace")
        else:
            text = _strays_read(escaped) if runs else escaped
        return cls(text, valid, len(escaped) - len(clean), _damage(text) - _damage(clean))

    @property
    def damage(self) -> int:
        """Replacement characters in the text, the page's own included (as `_damage` counts them)."""
        return _damage(self.text)

    @property
    def written_as_utf8(self) -> bool:
        """True when valid UTF-8 characters are too many to be an accident of a legacy charset."""
        return self.valid > 0 and self.valid * _UTF8_EVIDENCE >= self.stray

    def decoded(self, declared: str) -> Decoded:
        """The UTF-8 text with a note for the log; repaired unless some stray bytes had to be replaced."""
        note = (
            f"charset {declared} does not fit a mostly UTF-8 page; decoded as utf-8"
            if codecs.lookup(declared).name != "utf-8"
            else "charset utf-8 kept for a mostly UTF-8 page"
        )
        note += f": {self.stray} stray bytes read as cp949 or cp1252 where they make sense"
        if self.replaced:
            note += f", {self.replaced} undecodable characters replaced"
        return Decoded(self.text, "utf-8", note, repaired=self.replaced == 0)


def _strays_read(escaped: str) -> str:
    """The surrogate-escaped text with each stray run read, together with the word around it."""
    pieces, done = [], 0
    for stray in _STRAY_RUN.finditer(escaped):
        if stray.end() <= done:
            continue  # read with the word of an earlier stray run
        start, end = stray.start(), stray.end()
        while start > max(done, stray.start() - _REACH) and not escaped[start - 1].isascii():
            start -= 1
        while end < len(escaped) and (end < stray.end() + _REACH or _STRAY_RUN.match(escaped, end)):
            if escaped[end].isascii():
                break
            end += 1  # past the reach only to finish a stray run: none may be left half read
        pieces += [escaped[done:start], _repaired(escaped[start:end])]
        done = end
    pieces.append(escaped[done:])
    return "".join(pieces)


def _repaired(run: str) -> str:
    """A run of non-ASCII characters (a word) with its stray bytes read otherwise.

    An EUC-KR word read as UTF-8 is mostly stray bytes, but a byte pair here and there happens to
    be valid UTF-8 ("최고" has one): when stray bytes are half the run or more, the run is tried
    whole as Korean; else each stray run on its own, and the valid UTF-8 around it stays.
    """
    strays = _STRAY_RUN.findall(run)
    raw = run.encode("utf-8", "surrogateescape")
    if 2 * sum(map(len, strays)) >= len(raw) and (korean := _korean(raw)):
        return korean
    return _STRAY_RUN.sub(lambda stray: _read_stray(stray.group(0).encode("utf-8", "surrogateescape")), run)


def _korean(raw: bytes) -> str | None:
    """The bytes read as Windows-949 when that gives Hangul (and the punctuation around it); else None."""
    try:
        text = raw.decode(_KOREAN_LEGACY)
    except UnicodeDecodeError:
        return None
    hangul = [c for c in text if "\uac00" <= c <= "\ud7a3"]
    return text if hangul and all("\uac00" <= c <= "\ud7a3" or c in "·‘’“”" for c in text) else None


def _read_stray(raw: bytes) -> str:
    """A stray run read as Korean or as Latin-1 letters, when either makes sense of it; else U+FFFD."""
    if korean := _korean(raw):
        return korean
    latin = raw.decode("cp1252", "replace")
    if len(raw) <= _MAX_LATIN_RUN and all(c in _LATIN_STRAY for c in latin):
        return latin
    return raw.decode("utf-8", "replace")


def _is_single_byte(encoding: str) -> bool:
    """Charsets that decode any byte, so a wrong one leaves mojibake but no replacement characters."""
    name = codecs.lookup(encoding).name
    return name in _SINGLE_BYTE or name.startswith(("iso8859", "cp125", "latin", "mac-"))


def _candidates(body: bytes, declared: str, utf8: _Utf8Reading) -> list[tuple[str, str]]:
    """Strict UTF-8 first (valid UTF-8 by chance is rare); else whole-page legacy charsets.

    The detector's guess comes first, then the Korean legacy charset (the detector gives up on an
    EUC-KR page with a single stray byte and guesses a Cyrillic one). A guess is refused when it
    would turn a mostly UTF-8 page into mojibake: a single-byte charset when the page holds real
    UTF-8 characters, a multibyte one that is not much cleaner than UTF-8 (a stray EUC-KR word
    must not turn every "é" of a UTF-8 page into Hangul).
    """
    try:
        return [("utf-8", body.decode("utf-8"))]
    except UnicodeDecodeError:
        pass
    found = []
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding and codecs.lookup(best.encoding).name != "utf-8":
        multibyte = codecs.lookup(best.encoding).name in _MULTIBYTE
        guess = str(best)
        if multibyte and _damage(guess) * _CLEANER <= utf8.stray:
            found.append((best.encoding, guess))
        elif not multibyte and not _is_single_byte(declared) and not utf8.written_as_utf8:
            found.append((best.encoding, guess))  # one single-byte guess is no better than another
    if not found or codecs.lookup(found[0][0]).name not in _MULTIBYTE:
        korean = body.decode(_KOREAN_LEGACY, "replace")
        if _damage(korean) * _CLEANER <= utf8.stray:
            found.insert(0, (_KOREAN_LEGACY, korean))
    return found
