"""Bytes to text: the declared charset first, repaired when it is missing or wrong."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from aoud_tracker.encoding import decode_html

PAGES = Path(__file__).parent / "fixtures" / "pages"
KOREAN_HEADLINE = "'지금 우리 학교는' 시즌2 촬영 돌입…박지후·윤찬영 다시 뭉친다"
EUC_KR_PAGE = (PAGES / "kscreennews_euckr.html").read_bytes()


def _codec(name: str) -> str:
    return codecs.lookup(name).name


def _korean_page_without_meta() -> bytes:
    """The EUC-KR fixture with its <meta charset> removed, as some old CMS templates serve it."""
    return EUC_KR_PAGE.replace(b'<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">', b"")


def test_fixture_is_really_euc_kr() -> None:
    """Guard for the tests below: the Korean page must not be valid UTF-8."""
    with pytest.raises(UnicodeDecodeError):
        EUC_KR_PAGE.decode("utf-8")


@pytest.mark.parametrize("content_type", [None, "text/html", "text/html; charset=euc-kr"])
def test_euc_kr_page_with_a_correct_or_no_header_decodes_cleanly(content_type: str | None) -> None:
    """The page's own <meta> (or a matching header) is enough; nothing needs repairing."""
    decoded = decode_html(EUC_KR_PAGE, content_type)

    assert KOREAN_HEADLINE in decoded.text
    assert "\ufffd" not in decoded.text
    assert _codec(decoded.encoding) in {"cp949", "euc_kr"}
    assert decoded.note == ""
    assert not decoded.repaired


def test_euc_kr_page_served_as_utf_8_is_repaired_with_a_note() -> None:
    """Korean servers often send a site-wide `charset=utf-8` for legacy EUC-KR pages."""
    decoded = decode_html(EUC_KR_PAGE, "text/html; charset=utf-8")

    assert KOREAN_HEADLINE in decoded.text
    assert "\ufffd" not in decoded.text
    assert _codec(decoded.encoding) in {"cp949", "euc_kr"}
    assert decoded.repaired
    assert "utf-8" in decoded.note and "undecodable" in decoded.note


def test_euc_kr_page_without_any_declaration_is_detected() -> None:
    """No header, no <meta>: the default UTF-8 fails, so the charset must be detected from the bytes."""
    decoded = decode_html(_korean_page_without_meta())

    assert KOREAN_HEADLINE in decoded.text
    assert "\ufffd" not in decoded.text
    assert decoded.repaired


def test_declared_euc_kr_decodes_the_cp949_extension_syllables() -> None:
    """Browsers read `euc-kr` as Windows-949; syllables outside KS X 1001 must not turn into U+FFFD."""
    page = '<html><head><meta charset="euc-kr"><title>똠방각하</title></head><body>쀍</body></html>'

    decoded = decode_html(page.encode("cp949"))

    assert "똠방각하" in decoded.text
    assert "쀍" in decoded.text


@pytest.mark.parametrize("content_type", [None, "text/html; charset=UTF-8"])
def test_utf_8_page_decodes_as_utf_8(content_type: str | None) -> None:
    """The common case stays untouched, Hangul and typographic quotes included."""
    page = "<html><body><p>Park Ji-hu’s return — “지금 우리 학교는” 시즌2</p></body></html>"

    decoded = decode_html(page.encode("utf-8"), content_type)

    assert decoded.text == page
    assert _codec(decoded.encoding) == "utf-8"
    assert not decoded.repaired


def test_utf_8_page_served_as_euc_kr_is_repaired() -> None:
    """A page migrated to UTF-8 behind an old `charset=euc-kr` header must still read as UTF-8."""
    page = f"<html><head><title>{KOREAN_HEADLINE}</title></head><body><p>박지후</p></body></html>"

    decoded = decode_html(page.encode("utf-8"), "text/html; charset=euc-kr")

    assert decoded.text == page
    assert _codec(decoded.encoding) == "utf-8"
    assert decoded.repaired
    assert decoded.note


def test_byte_order_mark_beats_a_wrong_header() -> None:
    """A UTF-8 BOM is the strongest statement a file can make about itself (WHATWG)."""
    page = "<html><body><p>지금 우리 학교는 시즌2</p></body></html>"

    decoded = decode_html(codecs.BOM_UTF8 + page.encode("utf-8"), "text/html; charset=euc-kr")

    assert "지금 우리 학교는 시즌2" in decoded.text
    assert not decoded.text.startswith("\ufeff")


def test_undecodable_bytes_are_reported_not_hidden() -> None:
    """When no charset decodes the page cleanly, the caller is told how much was lost."""
    decoded = decode_html(
        b"<html><body><p>ok \xff\xfe\xff\xfe\xff ok</p></body></html>", "text/html; charset=utf-8"
    )

    assert "ok" in decoded.text
    assert decoded.note


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<html><body><p>Park Ji-hu’s café scene is back</p></body></html>".encode(),
            "Park Ji-hu’s café scene is back",
        ),
        (EUC_KR_PAGE, KOREAN_HEADLINE),
    ],
    ids=["utf-8-as-latin-1", "euc-kr-as-latin-1"],
)
def test_page_served_as_latin_1_is_repaired(body: bytes, expected: str) -> None:
    """A wrong `iso-8859-1` header (a server default) is the most common charset error on the web."""
    decoded = decode_html(body, "text/html; charset=iso-8859-1")

    assert expected in decoded.text
