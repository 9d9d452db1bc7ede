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
    """No header, no <meta>: the default UTF-8 fails, so the charset must be detected from the bytes
    (by w3lib itself from 2.6 on, which leaves nothing to repair; by our repair before)."""
    decoded = decode_html(_korean_page_without_meta())

    assert KOREAN_HEADLINE in decoded.text
    assert "\ufffd" not in decoded.text
    assert _codec(decoded.encoding) in {"cp949", "euc_kr"}


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


# --- pages that are UTF-8 but for a few stray bytes -------------------------------------------------

UTF_8_TITLE = "All of Us Are Dead season 2: the été shoot in Incheon"
# Latin-1, junk, then EUC-KR where one byte pair of "최고" happens to be valid UTF-8 (U+05B0)
STRAY = "café".encode("latin-1") + b" \xff\xfe\xc3\x28 " + "시즌2 최고".encode("euc-kr")


def _utf_8_page(paragraph_tail: bytes, *, meta: str = '<meta charset="utf-8">') -> bytes:
    """A short UTF-8 news page whose paragraphs end with `paragraph_tail` (raw bytes, maybe not UTF-8)."""
    paragraph = "Park Ji-hu returns as Nam On-jo — and Cho Yi-hyun is back — as filming starts in Incheon. "
    body = b"".join(b"<p>" + paragraph.encode() + paragraph_tail + b"</p>" for _ in range(4))
    head = f"<html><head>{meta}<title>{UTF_8_TITLE}</title></head><body>".encode()
    return head + body + b"</body></html>"


@pytest.mark.parametrize("content_type", [None, "text/html; charset=utf-8"])
def test_stray_bytes_in_a_utf_8_page_do_not_turn_it_into_mojibake(content_type: str | None) -> None:
    """A Latin-1 word, an EUC-KR word and junk bytes in a UTF-8 page: the page stays UTF-8.

    Decoding it all as the detector's single-byte guess (iso8859_2) once stored "ĂŠtĂŠ" for "été".
    """
    decoded = decode_html(_utf_8_page(STRAY), content_type)

    assert _codec(decoded.encoding) == "utf-8"
    assert UTF_8_TITLE in decoded.text
    assert (
        "café \ufffd\ufffd\ufffd( 시즌2 최고" in decoded.text
    )  # strays read in their charset, junk replaced
    assert decoded.text.count("\ufffd") == 12
    assert "charset" in decoded.note and "undecodable" in decoded.note
    assert not decoded.repaired  # bytes were lost: the spider counts the page as undecodable


def test_stray_bytes_that_all_make_sense_are_read_in_their_charset() -> None:
    """A Korean UTF-8 page with a pasted Latin-1 "café": nothing lost, counted as a charset repair."""
    page = f"<html><head><title>{KOREAN_HEADLINE}</title></head><body><p>박지후 조이현 로몬</p>"
    decoded = decode_html(page.encode() + "café".encode("latin-1") + b"</body></html>", None)

    assert KOREAN_HEADLINE in decoded.text
    assert "café" in decoded.text
    assert "\ufffd" not in decoded.text
    assert decoded.repaired
    assert "charset" in decoded.note


@pytest.mark.parametrize("content_type", ["text/html; charset=iso-8859-1", "text/html; charset=euc-kr"])
def test_mostly_utf_8_page_behind_a_wrong_legacy_header_is_read_as_utf_8(content_type: str) -> None:
    """A stray byte keeps strict UTF-8 from fitting, but the page's own UTF-8 text must still win."""
    decoded = decode_html(_utf_8_page("café".encode("latin-1"), meta=""), content_type)

    assert _codec(decoded.encoding) == "utf-8"
    assert UTF_8_TITLE in decoded.text
    assert "Nam On-jo — and" in decoded.text
    assert decoded.repaired


def test_euc_kr_page_with_a_stray_byte_served_as_utf_8_is_still_read_as_korean() -> None:
    """One junk byte made the detector guess a Cyrillic charset for a whole EUC-KR page."""
    decoded = decode_html(EUC_KR_PAGE.replace(b"</body>", b"\xff</body>"), "text/html; charset=utf-8")

    assert KOREAN_HEADLINE in decoded.text
    assert _codec(decoded.encoding) in {"cp949", "euc_kr"}
    assert decoded.repaired


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Второй сезон сериала «Мы все мертвы» выйдет на Netflix, съёмки уже начались. ", "cp1251"),
        ("ネットフリックスのドラマ「今際の国のアリス」のシーズン2が配信される。", "shift_jis"),
    ],
    ids=["cp1251", "shift_jis"],
)
def test_legacy_pages_served_as_utf_8_are_still_read_whole(text: str, charset: str) -> None:
    """Pages with no real UTF-8 in them are legacy pages: the stray-byte repair must leave them alone."""
    page = f"<html><head><title>news</title></head><body><p>{text * 5}</p></body></html>"

    decoded = decode_html(page.encode(charset), "text/html; charset=utf-8")

    assert text in decoded.text
    assert decoded.repaired
