"""HTML page to Extracted: the article's text and facts, or a status saying why there is none."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aoud_tracker.extract import MIN_BODY_CHARS, Extracted, clean_title, extract

PAGES = Path(__file__).parent / "fixtures" / "pages"
NOW = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)

HERALD_URL = "https://www.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast"
LEDGER_URL = "https://streamledger.example/yoo-in-soo-all-of-us-are-dead-season-2/"
BLOG_URL = "https://zombiehomeroom.example/posts/season-two-wrap-rumours"
KOREAN_URL = "http://www.kscreennews.example/news/view.html?no=88140"
KOREAN_HEADLINE = "'지금 우리 학교는' 시즌2 촬영 돌입…박지후·윤찬영 다시 뭉친다"


def _page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def _extract(name: str, url: str, **kwargs: str) -> Extracted:
    return extract((PAGES / name).read_bytes(), url, now=NOW, **kwargs)


# --- a news article with JSON-LD in @graph -----------------------------------------------------


@pytest.fixture(scope="module")
def herald() -> Extracted:
    return _extract("hanriverherald_graph.html", HERALD_URL)


def test_graph_article_is_ok_with_its_stated_facts(herald: Extracted) -> None:
    """Everything the page states about itself in JSON-LD reaches the item, times in UTC."""
    assert herald.ok and herald.status == "ok" and herald.reason == ""
    assert herald.title == "All of Us Are Dead Season 2 Brings Back Four Survivors and Adds Four Newcomers"
    assert herald.published_at == datetime(2025, 7, 23, 7, 40, tzinfo=UTC)
    assert herald.modified_at == datetime(2025, 7, 23, 23, 5, tzinfo=UTC)
    assert herald.author == "Seo Da-bin, Marcus Reyes"
    assert herald.site_name == "Han River Herald"
    assert herald.language == "en"
    assert herald.image == "https://cdn.hanriverherald.example/images/2025/07/aoud-s2-cast-1200.jpg"


def test_graph_article_body_is_the_story_without_page_furniture(herald: Extracted) -> None:
    """Cookie banner, navigation, related links to other shows and the footer are not the article."""
    assert "cameras are rolling on the second season of All of Us Are Dead" in herald.body
    assert "Four newcomers join them: Lee Min-jae" in herald.body
    for furniture in ("cookies", "Accept all", "Subscribe", "Squid Game", "Weak Hero", "All rights reserved"):
        assert furniture not in herald.body


def test_body_paragraphs_are_separated_by_blank_lines_and_do_not_repeat_the_headline(
    herald: Extracted,
) -> None:
    """Dedupe and the digest split on blank lines; the headline is stored once, as the title."""
    paragraphs = herald.body.split("\n\n")

    assert len(paragraphs) >= 4
    assert all(p == " ".join(p.split()) for p in paragraphs)
    assert paragraphs[0] != herald.title


def test_canonical_url_on_the_same_site_is_used(herald: Extracted) -> None:
    """The page's own canonical URL is its identity."""
    assert herald.canonical_url == HERALD_URL


def test_canonical_from_the_amp_copy_points_at_the_main_site() -> None:
    """The AMP host belongs to the site, so its canonical link to www is trusted."""
    amp_url = HERALD_URL.replace("www.", "amp.")

    extracted = _extract("hanriverherald_graph.html", amp_url)

    assert extracted.canonical_url == HERALD_URL


def test_canonical_on_another_site_is_ignored() -> None:
    """A reprint naming the original as canonical must not take over the original's identity."""
    reprint_url = "https://www.k-syndicate.example/partners/aoud-s2-cast"

    extracted = _extract("hanriverherald_graph.html", reprint_url)

    assert extracted.canonical_url == reprint_url


# --- OpenGraph only ----------------------------------------------------------------------------


def test_opengraph_article_title_loses_the_site_name_and_canonical_loses_tracking() -> None:
    """og:title carries ' – Stream Ledger'; the link we followed carried utm_source."""
    extracted = _extract("streamledger_opengraph.html", LEDGER_URL + "?utm_source=twitter&utm_medium=social")

    assert extracted.ok
    assert extracted.title == "Yoo In-soo reportedly in talks to return for All of Us Are Dead season 2"
    assert extracted.canonical_url == LEDGER_URL
    assert extracted.published_at == datetime(2025, 6, 12, 14, 3, 27, tzinfo=UTC)
    assert extracted.author == "Dana Whitfield"
    assert extracted.language == "en"
    assert "Share on Facebook" not in extracted.body
    assert "Hellbound" not in extracted.body  # the sidebar's other shows


# --- bare blog, date only in the text ----------------------------------------------------------


def test_blog_post_takes_its_date_from_the_text_and_its_title_from_the_h2() -> None:
    """No metadata at all: 'Posted on August 4, 2025' is the only date, the <h1> is the blog's name."""
    extracted = _extract("zombiehomeroom_blog.html", BLOG_URL)

    assert extracted.ok
    assert extracted.published_at == datetime(2025, 8, 4, tzinfo=UTC)
    assert extracted.title == "Season two wrap rumours: what we actually know"
    assert extracted.site_name == "Zombie Homeroom"
    assert "Every few days somebody on the forums" in extracted.body
    assert "I refuse to believe" not in extracted.body  # reader comments are not the post


# --- Korean page saved as EUC-KR ---------------------------------------------------------------


@pytest.mark.parametrize("content_type", [None, "text/html; charset=euc-kr"])
def test_korean_euc_kr_page(content_type: str | None) -> None:
    """Legacy Korean CMS pages are EUC-KR; title, body, language and date come through intact."""
    extracted = extract(
        (PAGES / "kscreennews_euckr.html").read_bytes(), KOREAN_URL, content_type=content_type, now=NOW
    )

    assert extracted.ok
    assert extracted.title == KOREAN_HEADLINE
    assert "넷플릭스 시리즈 '지금 우리 학교는' 시즌2가 본격적인 촬영에 들어갔다." in extracted.body
    assert extracted.language == "ko"
    assert extracted.site_name == "케이스크린뉴스"
    assert extracted.published_at == datetime(2025, 7, 23, 2, 20, tzinfo=UTC)
    assert not extracted.encoding_repaired


def test_korean_page_served_with_a_wrong_utf_8_header_is_repaired() -> None:
    """The header lies; the item must still be readable, and say that it was repaired."""
    extracted = _extract("kscreennews_euckr.html", KOREAN_URL, content_type="text/html; charset=utf-8")

    assert extracted.ok
    assert extracted.title == KOREAN_HEADLINE
    assert "\ufffd" not in extracted.body
    assert extracted.encoding_repaired
    assert extracted.encoding_note


# --- pages that are not articles ---------------------------------------------------------------


def test_tag_listing_page_is_not_an_article() -> None:
    """A tag archive is full of relevant headlines but is not itself a story."""
    extracted = _extract("streamledger_tag.html", "https://streamledger.example/tag/all-of-us-are-dead/")

    assert extracted.status == "not_article"
    assert not extracted.ok
    assert "listing" in extracted.reason


def test_javascript_shell_has_no_body() -> None:
    """An app shell with an empty root element has nothing to extract; the reason says how little."""
    extracted = _extract("dramaverse_shell.html", "https://dramaverse.example/shows/all-of-us-are-dead")

    assert extracted.status == "no_body"
    assert not extracted.ok
    assert str(MIN_BODY_CHARS) in extracted.reason


def test_javascript_shell_with_json_ld_article_body_is_rescued() -> None:
    """Server-rendered JSON-LD often carries the full text that the app renders later."""
    text = "Netflix has confirmed that All of Us Are Dead season 2 is in production in Seoul. " * 5
    json_ld = json.dumps(
        {"@type": "NewsArticle", "headline": "AOUD season 2 in production", "articleBody": text}
    )
    page = _page("dramaverse_shell.html").replace(
        "</head>", f'<script type="application/ld+json">{json_ld}</script></head>'
    )

    extracted = extract(page, "https://dramaverse.example/news/aoud-s2", now=NOW)

    assert extracted.ok
    assert extracted.title == "AOUD season 2 in production"
    assert extracted.body.startswith("Netflix has confirmed")


def test_json_ld_collection_page_is_not_an_article() -> None:
    """A page that calls itself a CollectionPage is a listing, whatever its length."""
    json_ld = '{"@context": "https://schema.org", "@type": "CollectionPage", "name": "All of Us Are Dead"}'
    page = _page("hanriverherald_graph.html").replace(
        '<script type="application/ld+json">',
        f'<script type="application/ld+json">{json_ld}</script><script>',
        1,
    )

    extracted = extract(page, "https://www.hanriverherald.example/tag/aoud", now=NOW)

    assert extracted.status == "not_article"
    assert "CollectionPage" in extracted.reason


def test_site_page_without_date_or_byline_is_not_an_article() -> None:
    """An 'About us' page (og:type website) has prose but is not news."""
    paragraph = (
        "<p>K-Drama Desk was started by three friends who wanted to write about Korean TV properly.</p>"
    )
    page = (
        '<html><head><meta property="og:type" content="website"><title>About K-Drama Desk</title></head>'
        f"<body><h1>About K-Drama Desk</h1>{paragraph * 4}</body></html>"
    )

    extracted = extract(page, "https://kdramadesk.example/about", now=NOW)

    assert extracted.status == "not_article"
    assert "website" in extracted.reason


def test_site_wide_website_node_does_not_make_an_article_a_listing() -> None:
    """Every WordPress page carries a WebSite node describing the site, not the page."""
    graph = json.dumps(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": LEDGER_URL},
                {"@type": "WebSite", "@id": "https://streamledger.example/#website", "name": "Stream Ledger"},
            ],
        }
    )
    page = _page("streamledger_opengraph.html").replace(
        "</head>", f'<script type="application/ld+json">{graph}</script></head>'
    )

    extracted = extract(page, LEDGER_URL, now=NOW)

    assert extracted.status == "ok", extracted.reason


# --- dates that cannot be trusted --------------------------------------------------------------


def test_future_date_published_is_dropped_not_replaced_by_a_guess() -> None:
    """A datePublished years ahead is a CMS error; no publication date is better than a wrong one."""
    extracted = _extract("poppulse_future_date.html", "https://poppulse.example/k-drama/aoud-s2-new-cast")

    assert extracted.ok
    assert extracted.published_at is None
    assert extracted.modified_at is None
    assert extracted.title == "Lee Min-jae and Kim Si-eun join All of Us Are Dead season 2"


def test_day_in_the_url_dates_an_undated_page() -> None:
    """With no date in the page, the publication day in the path is the next best evidence."""
    extracted = _extract(
        "kdramadesk_undated.html",
        "https://kdramadesk.example/2025/07/23/all-of-us-are-dead-season-2-explained",
    )

    assert extracted.published_at == datetime(2025, 7, 23, tzinfo=UTC)


def test_undated_page_gets_no_date_from_its_copyright_line() -> None:
    """'© 2025' is when the site's footer was last edited, not when this article was published."""
    extracted = _extract(
        "kdramadesk_undated.html", "https://kdramadesk.example/explainers/all-of-us-are-dead-season-2"
    )

    assert extracted.ok
    assert extracted.published_at is None


# --- robustness --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    ["", "   ", b"", b"\x00\xff\xfe", "<<<>>>", "<html></html>", "<!-- nothing here -->", "just a sentence"],
)
def test_pages_without_html_content_never_raise(page: str | bytes) -> None:
    """Crawls hit empty responses and garbage; each gets a status, never an exception."""
    extracted = extract(page, "https://k.example/a", now=NOW)

    assert extracted.status == "no_body"
    assert extracted.reason


def test_control_characters_are_removed_from_title_and_body() -> None:
    """One stray control character in a title makes the XML feed writer refuse the whole feed."""
    paragraph = "Filming on the second season of All of Us Are Dead\x0b has wrapped in Incheon, crew said. "
    page = (
        "<html><head><title>Filming\x07 wraps | Undead Diaries</title></head>"
        f"<body><h1>Filming\x07 wraps</h1><p>{paragraph * 4}</p></body></html>"
    )

    extracted = extract(page, "https://undeaddiaries.example/filming-wraps", now=NOW)

    assert extracted.title == "Filming wraps"
    assert "\x0b" not in extracted.body and "\x07" not in extracted.body


@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_xhtml_page_with_an_xml_declaration_is_read(as_bytes: bool) -> None:
    """Older CMSs still serve XHTML with an XML declaration; browsers and trafilatura read it."""
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + _page("streamledger_opengraph.html")

    extracted = extract(page.encode() if as_bytes else page, LEDGER_URL, now=NOW)

    assert extracted.ok, extracted.reason


# --- title cleaning ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Cast list grows | Pop Pulse Korea", "Pop Pulse Korea", "Cast list grows"),
        ("Pop Pulse Korea - Cast list grows", "Pop Pulse Korea", "Cast list grows"),
        ("Cast list grows — POP PULSE KOREA", "Pop Pulse Korea", "Cast list grows"),
        ("Cast list grows :: Pop Pulse", "Pop Pulse Korea", "Cast list grows :: Pop Pulse"),
        ("Park Ji-hu - back for season 2", "Pop Pulse Korea", "Park Ji-hu - back for season 2"),
        (
            "All of Us Are Dead: season 2 is filming",
            "Pop Pulse Korea",
            "All of Us Are Dead: season 2 is filming",
        ),
        ("  Cast list grows  ", "", "Cast list grows"),
    ],
)
def test_clean_title_removes_only_the_site_name(title: str, site: str, expected: str) -> None:
    """The site's name goes; dashes and colons that belong to the headline stay."""
    assert clean_title(title, site) == expected


def test_clean_title_recognises_the_site_name_in_the_host() -> None:
    """Without og:site_name the host is the only name we have; 'Stream Ledger' is plainly that host."""
    assert clean_title("Cast list grows | Stream Ledger", "streamledger.example") == "Cast list grows"


ARTICLE_TEXT = (
    "<p>Netflix has released the first teaser for the second season of the zombie series, "
    "showing Nam On-jo on a university campus in Seoul as a new outbreak begins.</p>" * 4
)


@pytest.mark.parametrize(
    ("head", "body", "why"),
    [
        ('<meta property="og:type" content="video.other">', ARTICLE_TEXT, "video"),
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "VideoObject",'
            ' "name": "Teaser", "uploadDate": "2026-11-20"}</script>',
            ARTICLE_TEXT,
            "VideoObject",
        ),
        (
            '<script type="application/ld+json">{"@type": "SearchResultsPage", "name": "Search"}</script>',
            ARTICLE_TEXT,
            "SearchResultsPage",
        ),
        (
            "",
            "".join(
                f'<div class="teaser"><h3><a href="/news/{i}">All of Us Are Dead season 2 story {i}</a></h3>'
                "<p>A short standfirst for the story, one line long as home pages show them.</p></div>"
                for i in range(8)
            ),
            "linked headlines",
        ),
    ],
    ids=["og-video", "json-ld-video", "search-results", "home-page"],
)
def test_pages_that_are_not_articles_say_so(head: str, body: str, why: str) -> None:
    page = f"<html><head><title>Page | Site</title>{head}</head><body>{body}</body></html>"
    extracted = extract(page, "https://site.example/page", now=NOW)
    assert extracted.status == "not_article"
    assert why in extracted.reason


def test_text_above_the_headline_and_the_byline_line_are_not_the_story() -> None:
    """A blog's tagline sits between its masthead and the post's headline; the story starts below."""
    paragraph = (
        "Several Korean outlets report that All of Us Are Dead season 2 has wrapped filming in Incheon."
    )
    page = (
        "<html><head><title>season 2 wrapped?? - Zombie Homeroom</title></head><body>"
        "<h1><a href='/'>Zombie Homeroom</a></h1><p><i>a fan blog about zombies, school and feelings</i></p>"
        "<h2>season 2 wrapped??</h2><p><small>Posted on May 12, 2026 by minji_k</small></p>"
        + f"<p>{paragraph}</p>" * 4
        + "</body></html>"
    )
    extracted = extract(page, "https://homeroom.example/posts/wrapped.html", now=NOW)
    assert extracted.title == "season 2 wrapped??"
    assert extracted.body.startswith("Several Korean outlets")
    assert "fan blog" not in extracted.body and "Posted on" not in extracted.body
