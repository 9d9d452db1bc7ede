"""Text hygiene (clean_text) and phrase matching for names and titles as the press writes them."""

from __future__ import annotations

import unicodedata

import pytest

from aoud_tracker.phrases import mentions, phrase_pattern, spans, split_sentences
from aoud_tracker.text import clean_text

# --- clean_text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  All of Us\tAre\n Dead  ", "All of Us Are Dead"),
        ("Season\u00a02\u3000confirmed", "Season 2 confirmed"),
        ("Filming\x00 wraps\x0b in\x1f Incheon\x7f", "Filming wraps in Incheon"),
        ("Bad\ufffe char\uffff", "Bad char"),
        ("C1\x85 control\x9f chars", "C1 control chars"),
        ("", ""),
    ],
)
def test_clean_text_collapses_whitespace_and_drops_forbidden_characters(raw: str, expected: str) -> None:
    """Titles go into XML feeds: a single forbidden character would make the whole feed invalid."""
    assert clean_text(raw) == expected


def test_clean_text_accepts_none() -> None:
    """Scraped fields are often missing; cleaning them must not raise."""
    assert clean_text(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("decomposed", "composed"),
    [
        ("Cafe\u0301", "Café"),
        (
            "\u1109\u1175\u110c\u1173\u11ab2",
            "시즌2",
        ),  # Hangul jamo as macOS file names and some CMSs send them
    ],
)
def test_clean_text_composes_to_nfc(decomposed: str, composed: str) -> None:
    """Decomposed Hangul would never match '시즌2' in the topic, nor dedupe with the NFC copy."""
    cleaned = clean_text(decomposed)

    assert cleaned == composed
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_text_keeps_paragraphs_apart_when_asked() -> None:
    """Bodies keep their paragraphs (blank line between), whatever the line endings, but lose ragged space."""
    raw = (
        "First  paragraph\nstill first.\n\n\n   Second\u00a0paragraph.  \r\n\r\nThird.\n \t\nFourth."
        "\n\n\u3000\u2003\n\n\u3000Fifth\u2003one.\u00a0"  # a paragraph of spaces alone is none
    )

    assert clean_text(raw, keep_paragraphs=True) == (
        "First paragraph still first.\n\nSecond paragraph.\n\nThird.\n\nFourth.\n\nFifth one."
    )


def test_clean_text_without_paragraphs_gives_one_line() -> None:
    """Titles and summaries are one line."""
    assert clean_text("One.\n\nTwo.") == "One. Two."


@pytest.mark.parametrize("raw", ["All of Us Are\u200b Dead", "\ufeffAll of Us Are Dead"])
def test_clean_text_removes_zero_width_characters_in_titles(raw: str) -> None:
    """Copy-pasted Korean and CMS titles often carry invisible characters; both modes must drop them."""
    assert clean_text(raw) == "All of Us Are Dead"


# --- phrase matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Park Ji-hu returns",
        "PARK JI HU returns",
        "park jihu returns",
        "Park Ji–hu returns",
        "Park Ji_hu returns",
        "(Park Ji-hu) returns",
        "Park Ji-hu's return",
    ],
)
def test_romanised_name_matches_every_spelling_of_spacing_and_hyphens(text: str) -> None:
    """The press writes one Korean name with a hyphen, a space, nothing, or in capitals."""
    assert mentions(["Park Ji-hu"], text)


@pytest.mark.parametrize("text", ["Park Ji-hun returns", "Lomonosov University", "SParkJi-hu", "Jihu Park"])
def test_latin_phrases_match_whole_words_only(text: str) -> None:
    """'Lomon' must not match 'Lomonosov': a partial word is a different name."""
    assert not mentions(["Park Ji-hu", "Lomon"], text)


@pytest.mark.parametrize(
    "text", ["박지후가 출연한다", "배우 박지후는", "'지금 우리 학교는' 시즌2", "지금우리학교는"]
)
def test_hangul_phrases_match_with_particles_attached(text: str) -> None:
    """Korean attaches particles to the word (박지후가), so Hangul phrases match inside words."""
    assert mentions(["박지후", "지금 우리 학교"], text)


def test_longest_phrase_wins_at_the_same_position() -> None:
    """'All of Us Are Dead' must be one match, not 'All of Us' followed by noise."""
    pattern = phrase_pattern(["All of Us", "All of Us Are Dead"])
    text = "Watch All of Us Are Dead tonight"

    assert spans(pattern, text) == [(6, 24)]


def test_spans_finds_every_mention() -> None:
    """Relevance counts mentions; each one must be found."""
    pattern = phrase_pattern(["Lomon"])

    assert spans(pattern, "Lomon, and again Lomon.") == [(0, 5), (17, 22)]


@pytest.mark.parametrize("phrases", [[], ["", "   "]])
def test_no_phrases_give_no_pattern(phrases: list[str]) -> None:
    """An empty crew list must not compile into a pattern that matches everything."""
    assert phrase_pattern(phrases) is None
    assert spans(phrase_pattern(phrases), "anything at all") == []
    assert not mentions(phrases, "anything at all")


def test_phrases_with_regex_characters_are_literal() -> None:
    """A title like 'Physical: 100' or 'S.W.A.T.' must not be read as a regular expression."""
    assert mentions(["S.W.A.T."], "the S.W.A.T. reboot")
    assert not mentions(["S.W.A.T."], "the SxWxAxTx reboot")


# --- sentences ---------------------------------------------------------------------------------


def test_split_sentences_english_with_quotes_and_paragraphs() -> None:
    """Tagging needs one sentence per claim; quotes close a sentence and paragraphs always do."""
    text = (
        'Netflix confirmed it. "It is back," she said! Is it?\n\nA new paragraph without a stop\nNext line.'
    )

    assert split_sentences(text) == [
        "Netflix confirmed it.",
        '"It is back," she said!',
        "Is it?",
        "A new paragraph without a stop",
        "Next line.",
    ]


def test_a_sentence_may_start_with_a_number_but_vol_2_does_not_end_one() -> None:
    """Korean news opens sentences with the day ("8일 업계에 따르면"); "Vol. 2" and "3. 5" stay whole."""
    text = "유력한 것으로 알려졌다. 8일 방송가에 따르면 촬영은 끝났다. Vol. 2 is out. It grew 3. 5 percent."

    assert split_sentences(text) == [
        "유력한 것으로 알려졌다.",
        "8일 방송가에 따르면 촬영은 끝났다.",
        "Vol. 2 is out.",
        "It grew 3. 5 percent.",
    ]


def test_split_sentences_korean() -> None:
    """Korean news prose ends sentences with '다.'."""
    text = "'지금 우리 학교는' 시즌2가 촬영에 들어갔다. 박지후가 다시 출연한다."

    assert split_sentences(text) == ["'지금 우리 학교는' 시즌2가 촬영에 들어갔다.", "박지후가 다시 출연한다."]


def test_split_sentences_of_blank_text_is_empty() -> None:
    """No text, no sentences."""
    assert split_sentences(" \n\n ") == []


def test_split_sentences_does_not_split_after_common_abbreviations() -> None:
    """'The show returns Jan. 9, 2026, Mr. Lee said.' is one claim and must stay one sentence."""
    assert split_sentences("The show returns Jan. 9, 2026, Mr. Lee said. Fans cheered.") == [
        "The show returns Jan. 9, 2026, Mr. Lee said.",
        "Fans cheered.",
    ]
