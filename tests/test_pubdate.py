"""Publication dates as a careful reader takes them: the page's word, checked against its URL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from lxml import html as lxml_html

from aoud_tracker.metadata import read_metadata
from aoud_tracker.pubdate import publication_date

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PARAGRAPH = (
    "<p>Season 1 premiered on January 28, 2022, and the cast met again on 23 July 2025 "
    "for the table read.</p>"
)


def page(head: str = "", body: str = PARAGRAPH) -> str:
    article = f"<article><h1>Headline</h1>{body}</article>"
    return f"<html><head><title>t</title>{head}</head><body>{article}</body></html>"


def date_of(html: str, url: str = "https://news.example/story"):  # type: ignore[no-untyped-def]
    tree = lxml_html.document_fromstring(html)
    return publication_date(tree, url, read_metadata(tree), NOW)


def meta(published: str) -> str:
    return f'<meta property="article:published_time" content="{published}">'


def test_stated_offset_keeps_the_publishers_day_and_stores_utc() -> None:
    found = date_of(page(meta("2025-07-24T01:30:00+09:00")))
    assert found.at == datetime(2025, 7, 23, 16, 30, tzinfo=UTC)
    assert found.day == date(2025, 7, 24), "Seoul's 24 July, though it was still the 23rd in UTC"


def test_url_day_names_the_day_of_a_utc_stamp() -> None:
    found = date_of(page(meta("2023-11-09T03:28:35Z")), "https://paper.example/2023/11/08/story/")
    assert found.day == date(2023, 11, 8)
    assert found.at == datetime(2023, 11, 9, 3, 28, 35, tzinfo=UTC)


def test_a_utc_stamp_takes_the_day_of_the_same_instant_written_in_the_publishers_zone() -> None:
    """A Boston station's page states 02:11 UTC on the 9th; its video object gives the same instant
    as 21:11 on the 8th, Boston time: the 8th is the day its readers saw."""
    video = (
        '<script type="application/ld+json">'
        '{"@type": "VideoObject", "uploadDate": "2023-11-08T21:11:03-05:00"}</script>'
    )
    found = date_of(page(meta("2023-11-09T02:11:03+00:00") + video))
    assert found.day == date(2023, 11, 8)
    assert found.at == datetime(2023, 11, 9, 2, 11, 3, tzinfo=UTC)


def test_a_stated_date_far_from_the_url_date_is_a_later_edit() -> None:
    found = date_of(page(meta("2019-06-17T18:28:00+02:00")), "https://blog.example/home/2017/7/12/post")
    assert found.day == date(2017, 7, 12)
    assert "later edit" in found.source


def test_future_date_is_no_date_and_no_guess_replaces_it() -> None:
    found = date_of(page(meta("2031-07-24T10:00:00+09:00")))
    assert (found.at, found.day) == (None, None)


def test_time_only_value_is_not_a_statement_so_the_text_decides() -> None:
    html = page(
        '<meta itemprop="datePublished" content="2:33 PM">',
        "<p class='byline'>Posted on March 3, 2025</p>" + PARAGRAPH,
    )
    assert date_of(html).day == date(2025, 3, 3)


def test_dates_of_other_events_in_the_body_are_not_the_publication_date() -> None:
    """Only the premiere and the table read are written in the text: no trustworthy date at all."""
    found = date_of(page())
    assert found.day not in (date(2022, 1, 28), date(2025, 7, 23))


@pytest.mark.parametrize(
    "footer", ["<footer>© 2025 News Example</footer>", "<footer>Copyright 2024</footer>"]
)
def test_a_copyright_year_is_not_a_publication_day(footer: str) -> None:
    assert (
        date_of(page(body="<p>Undated text about nothing in particular, long enough.</p>" + footer)).day
        is None
    )


def bare(body: str, title: str = "Storm closes the harbour") -> str:
    """A page with no date metadata at all: only its words can date it."""
    return f"<html><head><title>{title} | Example Times</title></head><body>{body}</body></html>"


RELATED = (
    "<aside><h3>More news</h3><ul>"
    "<li><a href='/a'>Ferry timetable changes</a> <span>21. Januar 2022</span></li>"
    "<li><a href='/b'>New lighthouse keeper</a> <span>12.01.2022</span></li>"
    "<li><a href='/c'>Harbour fees</a> <span>January 5, 2022</span></li></ul></aside>"
)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde 4 Minuten", date(2019, 8, 16)),
        ("Published: Monday, March 3, 2025", date(2025, 3, 3)),
        ("Publié le 3 déc. 2021 à 10h", date(2021, 12, 3)),
        (
            "Dieser Beitrag wurde am 19. Mai 2010 um 23:03 Uhr gepostet und unter Hafen abgelegt.",
            date(2010, 5, 19),
        ),
    ],
)
def test_a_day_the_page_calls_its_publication_day_is_taken(words: str, expected: date) -> None:
    """'Published on …' in the page's own words names which of its many dates is the article's."""
    html = bare(RELATED + "<h1>Storm closes the harbour</h1>" + PARAGRAPH * 3 + f"<p>{words}</p>")
    assert date_of(html).day == expected


def test_a_comments_dates_are_not_the_articles() -> None:
    """A blog theme wraps each reader comment in <article> with a <time>: that is the comment's day."""
    comments = (
        "<div id='comments' class='comments-area'><ol class='comment-list'><li class='comment'>"
        "<article class='comment-body'><footer class='comment-meta'>"
        "<time datetime='2019-08-24T03:36:11+02:00'>24. August 2019</time></footer>"
        "<p>Great episode!</p></article></li></ol></div>"
    )
    html = bare(
        "<main><article><h1>Storm closes the harbour</h1>"
        "<p>Veröffentlicht am 16.08.2019</p>" + PARAGRAPH + "</article>" + comments + "</main>"
    )
    assert date_of(html).day == date(2019, 8, 16)


def test_a_dateline_opening_a_paragraph_dates_the_article() -> None:
    """German and French press releases open the text with the day and a dash."""
    html = bare(
        RELATED + "<h1>Storm closes the harbour</h1><p>Von Anna Beispiel</p>"
        "<p>27.1.2022 – Der Hafen bleibt nach dem Sturm bis auf Weiteres für alle Schiffe gesperrt, "
        "teilte die Behörde mit.</p>"
    )
    assert date_of(html).day == date(2022, 1, 27)


def test_the_byline_under_the_headline_dates_the_article_not_the_masthead_or_sidebar() -> None:
    """Today's date in the masthead and teasers' dates come first on the page; the byline is under
    the headline, which is the <h1> the <title> repeats, not the logo's <h1>."""
    html = bare(
        "<header><h1>Example Times</h1><span>Dienstag, 08.12.2020</span></header>"
        + RELATED
        + "<div class='post'><h1>Storm closes the harbour</h1>"
        "<ul class='meta'><li><a href='/day'>13 Oct 2020 18:29</a></li></ul></div>" + PARAGRAPH
    )
    assert date_of(html).day == date(2020, 10, 13)


def test_a_blogs_h2_headline_is_the_one_its_byline_sits_under() -> None:
    """Blog themes put the blog's name in <h1> (with today's date beside it) and the post's headline
    in <h2>: the headline the metadata found decides, not the <h1>."""
    html = bare(
        "<header><h1>Example Times</h1><p>Dienstag, 08.12.2020</p></header>"
        "<div class='post'><h2>Storm closes the harbour</h2>"
        "<div class='meta'>Anna Beispiel · 13 Oct 2020</div></div>" + PARAGRAPH
    )
    assert date_of(html).day == date(2020, 10, 13)


@pytest.mark.parametrize(
    ("headline_block", "expected"),
    [
        ("<h1>Storm closes the harbour <small>02.02.2022 • Press</small></h1>", date(2022, 2, 2)),
        (
            "<h1>Storm closes the harbour</h1><div>Von Hafenamt 4.&thinsp;2.&thinsp;2022.</div>",
            date(2022, 2, 4),
        ),
        ("<h1>Storm closes the harbour</h1><p>1. Februar 2022, Anna Beispiel</p>", date(2022, 2, 1)),
    ],
)
def test_a_day_in_the_headline_block_is_read_in_its_language(headline_block: str, expected: date) -> None:
    """Dotted days are day first (4.2.2022 is 4 February) and German month names are months; a day
    in a later sentence ('in force since 28.01.2022') is another event's."""
    later = (
        "<p>Die am 28.01.2022 in Kraft getretene Verordnung erlaubt wieder mehr Zuschauer in den Hallen.</p>"
    )
    assert date_of(bare(RELATED + headline_block + later)).day == expected
