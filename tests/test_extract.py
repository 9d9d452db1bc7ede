"""HTML page to Extracted: the article's text and facts, or a status saying why there is none."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aoud_tracker.extract import MAX_TEXT_CHARS, clean_title, extract, without_control_chars
from aoud_tracker.extracted import MIN_BODY_CHARS, Extracted

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


@pytest.mark.parametrize(
    ("text", "kept", "removed"),
    [
        ("plain ASCII, tab\tnewline\ncarriage return\r", "plain ASCII, tab\tnewline\ncarriage return\r", 0),
        ("\x00null\x1fand\x7fdel", "nullanddel", 3),
        ("넷플릭스\x0b 시즌2 é “quoted”", "넷플릭스 시즌2 é “quoted”", 1),
        ("noncharacters \ufffe\uffff\ufffe gone", "noncharacters  gone", 3),
        ("a lone surrogate \ud800 stays\x01", "a lone surrogate \ud800 stays", 1),
        ("\x80 and \x9f are C1, which XML allows", "\x80 and \x9f are C1, which XML allows", 0),
    ],
)
def test_control_characters_are_counted_as_they_go(text: str, kept: str, removed: int) -> None:
    """The characters XML forbids go from anywhere in the page, whatever its script, and are counted."""
    assert without_control_chars(text) == (kept, removed)


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


# --- hostile pages: broken markup, huge pages, error pages served with status 200 ---------------

STORY = [
    f"Paragraph {n}: Netflix confirmed that All of Us Are Dead season 2 has finished its table read in "
    f"Seoul, and the {n} cast members met the crew for the first time since the outbreak episode aired."
    for n in ("one", "two", "three", "four", "five", "six")
]


def _news_page(
    article_html: str, title: str = "All of Us Are Dead season 2 table read | Hostile News"
) -> str:
    """A news page as CMS templates make them: masthead, nav, the article, a related box, a footer."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{title}</title><meta property="og:site_name" content="Hostile News">'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2025-07-25T10:00:00+09:00"></head>'
        '<body><header><a href="/">Hostile News</a><nav><a href="/tv">TV</a> <a href="/film">Film</a></nav>'
        f"</header>{article_html}"
        '<aside><h3>Most read</h3><ul><li><a href="/a">Another story about television</a></li></ul></aside>'
        "<footer><p>© 2025 Hostile News</p></footer></body></html>"
    )


def _paragraphs_kept(extracted: Extracted) -> list[str]:
    return [p.split(":")[0] for p in STORY if p in extracted.body]


@pytest.mark.parametrize("stray", ["</html>", "</body>", "</body></html>", "</BODY>\n</HTML>"])
def test_a_stray_end_of_document_mid_page_loses_no_paragraph(stray: str) -> None:
    """Glued CMS templates leave `</html>` mid-page; lxml stopped there and dropped the rest of the story."""
    paragraphs = [f"<p>{p}</p>" for p in STORY]
    article = (
        f"<article><h1>Table read</h1>{''.join(paragraphs[:2])}{stray}{''.join(paragraphs[2:])}</article>"
    )

    extracted = extract(_news_page(article), "https://hostile.example/stray.html", now=NOW)

    assert extracted.ok, extracted.reason
    assert len(_paragraphs_kept(extracted)) == len(STORY), extracted.body


@pytest.mark.parametrize(
    "top",
    [
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html lang="en">',
        '<!DOCTYPE html>\n<html lang="en" />',
        '<html xmlns="http://www.w3.org/1999/xhtml"/>',
    ],
    ids=["xhtml-doctype", "self-closed-html", "self-closed-html-first-line"],
)
def test_a_faulty_document_start_loses_no_paragraph(top: str) -> None:
    """An XHTML doctype or a self-closed `<html/>`: libxml2 would lose the page after it, so
    both are mended before the one parse that extraction and trafilatura share."""
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    page = _news_page(f"<article><h1>Table read</h1>{paragraphs}</article>")
    page = page.replace('<!DOCTYPE html><html lang="en">', top, 1)

    extracted = extract(page, "https://hostile.example/xhtml.html", now=NOW)

    assert extracted.ok, extracted.reason
    assert extracted.title == "Table read"
    assert len(_paragraphs_kept(extracted)) == len(STORY), extracted.body


@pytest.mark.parametrize(
    "article",
    [
        "<article><h1>Table read</h1>" + "".join(f"<p>{p}" for p in STORY) + "</article>",
        "<article><h1>Table read</h1>" + "".join(f"<div class='para'>{p}" for p in STORY) + "</article>",
        "<article><h1>Table read</h1>" + "".join(f"<p><span><b>{p}" for p in STORY) + "</article>",
        # a poll form nested in the form around the story: lxml closes the outer form at the inner one
        "<article><h1>Table read</h1><form>"
        f"<p>{STORY[0]}</p><form><p>{STORY[1]}</p></form><p>{STORY[2]}</p></form>"
        + "".join(f"<p>{p}</p>" for p in STORY[3:])
        + "</article>",
        # ASP.NET wraps the page in one form; here a search and a newsletter form sit inside it
        '<form id="aspnetForm" action="/x.aspx"><article><h1>Table read</h1>'
        f'<p>{STORY[0]}</p><form action="/search"><input name="q"></form><p>{STORY[1]}</p><p>{STORY[2]}</p>'
        f'<div class="newsletter"><form action="/signup"><input name="email"></form></div>'
        + "".join(f"<p>{p}</p>" for p in STORY[3:])
        + "</article></form>",
        "<form><form><table><tr><td><h1>Table read</h1>" + "".join(f"<p>{p}</p>" for p in STORY),
    ],
    ids=["unclosed-p", "unclosed-div", "unclosed-p-span-b", "nested-forms", "aspnet-form", "form-form-table"],
)
def test_unclosed_tags_and_nested_forms_lose_no_paragraph(article: str) -> None:
    """Browsers ignore a form inside a form; lxml split the outer one, and trafilatura dropped the pieces."""
    extracted = extract(_news_page(article), "https://hostile.example/malformed.html", now=NOW)

    assert extracted.ok, extracted.reason
    assert len(_paragraphs_kept(extracted)) == len(STORY), extracted.body


def test_a_page_of_every_malformation_at_once_keeps_its_story() -> None:
    """A title never closed swallowed the page (lxml reads it raw to the end), then forms, a table
    and a stray `</html>` before the paragraphs, each left open; text after the last `</html>` too."""
    paragraphs = "".join(f"<p>{p}<div><b><i>" for p in STORY)
    page = (
        "<html><head><title>All of Us Are Dead season 2 table read | Hostile News<body>"
        "<form><form><table><tr><td><h1>All of Us Are Dead season 2 table read</h1></html>"
        f"{paragraphs}</html></html><p>A last paragraph, after the stray end tags, is in the story too.</p>"
    )

    extracted = extract(page.encode(), "https://hostile.example/malformed.html", now=NOW)

    assert extracted.ok, extracted.reason
    assert extracted.title == "All of Us Are Dead season 2 table read"
    assert len(_paragraphs_kept(extracted)) == len(STORY), extracted.body
    assert "after the stray end tags" in extracted.body


@pytest.mark.timeout(20)
def test_a_five_megabyte_one_line_body_is_read_up_to_a_bound() -> None:
    """One paragraph per sentence on a single 5 MB line took 7 s on the reactor thread; now a bounded cut.

    Metadata after the flood (JSON-LD at the end of the body) is still read: it comes from the whole page.
    """
    sentence = "<p>{} All of Us Are Dead season 2 begins filming, and Park Ji-hu returns to the set.</p>"
    flood = "".join(sentence.format(n) for n in range(60_000))
    json_ld = json.dumps({"@type": "NewsArticle", "headline": "Flood", "author": {"name": "Lee Ha-eun"}})
    page = _news_page(
        f"<article><h1>Table read</h1><p>{STORY[0]}</p>{flood}</article>"
        f'<script type="application/ld+json">{json_ld}</script>'
    )
    assert len(page) > 5_000_000

    extracted = extract(page.encode(), "https://hostile.example/bigbody.html", now=NOW)

    assert extracted.ok, extracted.reason
    assert extracted.body.startswith(STORY[0])
    assert MAX_TEXT_CHARS / 2 < len(extracted.body) < MAX_TEXT_CHARS * 1.1
    assert extracted.author == "Lee Ha-eun"


@pytest.mark.timeout(20)
def test_a_flood_of_empty_elements_is_cut_at_a_bound() -> None:
    """Half a million empty tags after the story cost seconds in every stage; the story itself is kept."""
    article = "<article><h1>Table read</h1>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"
    page = _news_page(article + "<span></span>" * 400_000)

    extracted = extract(page, "https://hostile.example/flood.html", now=NOW)

    assert extracted.ok, extracted.reason
    assert len(_paragraphs_kept(extracted)) == len(STORY)


def test_a_ten_thousand_character_title_is_read_whole() -> None:
    """The pipeline cuts titles to 500 characters (and counts it); extraction itself keeps the page's word."""
    title = "All of Us Are Dead season 2 " + "very long title " * 625
    article = f"<article><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"

    extracted = extract(_news_page(article, title=title), "https://hostile.example/longtitle.html", now=NOW)

    assert extracted.ok, extracted.reason
    assert extracted.title == title.strip()


def test_stray_bytes_in_a_utf_8_page_leave_its_title_intact() -> None:
    """A Latin-1 "café" and an EUC-KR "시즌2" in a UTF-8 page once made the whole page iso8859_2."""
    title = "All of Us Are Dead season 2: the été shoot"
    stray = "café".encode("latin-1") + b" \xff\xfe " + "시즌2".encode("euc-kr")
    article = f"<article><h1>{title}</h1>" + "".join(f"<p>{p} STRAY</p>" for p in STORY) + "</article>"
    page = _news_page(article, title=f"{title} | Hostile News").encode().replace(b"STRAY", stray)

    extracted = extract(page, "https://hostile.example/mixed.html", content_type="text/html; charset=utf-8")

    assert extracted.title == title
    assert f"{STORY[0]} café \ufffd\ufffd 시즌2" in extracted.body
    assert extracted.encoding == "utf-8"
    assert "charset" in extracted.encoding_note


SHOW_TEXT = "".join(f"<p>{p}</p>" for p in STORY[:3])
CONSENT = (
    "We and our 842 partners store and/or access information on a device, such as cookies, and process "
    "personal data for personalised advertising and content, ad and content measurement and research."
)


@pytest.mark.parametrize(
    ("title", "body", "status"),
    [
        (
            "Page not found | Hostile News",
            "<h1>Page not found</h1><p>Sorry, the page you are looking for does not exist. Try a search.</p>",
            "soft_404",
        ),
        (  # long: the error page lists related stories about the show
            "Page not found | Hostile News",
            "<h1>Page not found</h1><p>Sorry, the page you are looking for does not exist.</p>"
            f"<h2>You may also like</h2>{SHOW_TEXT}",
            "soft_404",
        ),
        ("404 | Hostile News", "<h1>Error 404</h1><p>We couldn't find that page.</p>", "soft_404"),
        (
            "Hostile News",
            "<h1>Oops! That page can’t be found.</h1><p>It looks like nothing was found at this location. "
            f"Maybe try one of the links below or a search?</p>{SHOW_TEXT}",
            "soft_404",
        ),
        (
            "페이지를 찾을 수 없습니다 - 한강뉴스",
            "<h1>요청하신 페이지를 찾을 수 없습니다</h1><p>주소가 잘못되었거나 페이지가 삭제되었습니다.</p>",
            "soft_404",
        ),
        (
            "Sign in to continue reading | Hostile News",
            "<h1>Sign in</h1><form><input name='u'><input type='password' name='p'></form>"
            "<p>Subscribers only. Log in to continue reading this article about All of Us Are Dead.</p>",
            "login_wall",
        ),
        (
            "All of Us Are Dead season 2: what we know | Hostile News",
            "<h1>All of Us Are Dead season 2: what we know</h1><p>Netflix confirmed the table read.</p>"
            "<p>This article is for subscribers only. Log in to continue reading.</p>",
            "login_wall",
        ),
        (
            "Hostile News",
            "<form><label>Email <input name='e'></label><label>Password <input type='password'></label>"
            "<button>Go</button></form>",
            "login_wall",
        ),
        (
            "로그인 | 한강뉴스",
            "<h1>로그인</h1><form><input name='id'><input type='password' name='pw'></form>"
            "<p>이 기사는 유료 회원 전용입니다. 로그인 후 이용해 주세요.</p>",
            "login_wall",
        ),
        (
            "Before you continue to Hostile News",
            f"<h1>Before you continue</h1><p>{CONSENT}</p><p>{CONSENT}</p>"
            "<button>Accept all</button><button>Reject all</button>",
            "interstitial",
        ),
        (
            "Just a moment...",
            "<h1>Checking if the site connection is secure</h1><p>Enable JavaScript and cookies.</p>",
            "interstitial",
        ),
    ],
    ids=[
        "soft-404",
        "long-soft-404",
        "404-heading",
        "wordpress-oops",
        "korean-404",
        "login-wall",
        "paywall-teaser",
        "password-form",
        "korean-login",
        "consent",
        "bot-check",
    ],
)
def test_error_pages_served_with_status_200_are_not_articles(title: str, body: str, status: str) -> None:
    """Sites answer 200 for missing pages, login walls and consent screens; none of them is a story."""
    page = f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>{body}</body></html>'

    extracted = extract(page, "https://hostile.example/error.html", now=NOW)

    assert extracted.status == status, extracted.reason
    assert extracted.reason


@pytest.mark.parametrize(
    ("title", "extra"),
    [
        ("Not found: the missing episode of All of Us Are Dead", ""),
        ("Not found - the missing episode of All of Us Are Dead", ""),
        (
            "Netflix outage: fans saw a 404 page instead of All of Us Are Dead",
            "<p>Viewers who tried to log in to continue watching saw an error 404 page; Netflix said "
            "the page you are looking for message was a bug and that cookies were not the cause.</p>",
        ),
        (
            "Regulators look at cookie consent banners on streaming sites",
            "<p>We and our partners, the banners say, before a reader can accept all or reject all "
            "cookies; regulators say you can change your choices too rarely.</p>",
        ),
        (  # a login dialog in the page's markup, as many news sites ship on every article
            "All of Us Are Dead season 2 table read",
            "<div class='modal' hidden><h2>Sign in</h2><form><input name='u'><input type='password'>"
            "</form></div>",
        ),
    ],
    ids=["not-found-colon", "not-found-dash", "mentions-404-and-login", "about-cookies", "login-dialog"],
)
def test_articles_that_mention_errors_logins_or_cookies_are_articles(title: str, extra: str) -> None:
    """A word in an article ("404", "log in", "cookies", "Not found") is no error page."""
    article = f"<article><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in STORY[:4]) + extra + "</article>"

    extracted = extract(
        _news_page(article, title=f"{title} | Hostile News"), "https://hostile.example/a", now=NOW
    )

    assert extracted.ok, extracted.reason


# --- scripts emptied before trafilatura reads the tree ---------------------------------------------


def _scripted_page(story: str, script: str) -> str:
    ld = {"@type": "NewsArticle", "articleBody": "The body as the page's JSON-LD states it, at length. " * 5}
    return (
        "<html><head><title>Season 2 films</title><style>p { color: red }</style>"
        f"<script>{script}</script>"
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
        f"<body><article><h1>Season 2 films</h1>{story}"
        "<script>track('read')</script>after the tracker<style>.x{}</style></article></body></html>"
    )


SCRIPTED_STORY = "".join(
    f"<p>Paragraph {n} of the story: the zombie school drama films its second season in Seoul.</p>"
    for n in range(12)
)


def test_scripts_emptied_for_trafilatura_change_nothing_it_reads() -> None:
    """main_text empties the scripts and style sheets (JSON-LD aside), which trafilatura would
    copy three or four times and then delete: it reads the same text as with them."""
    import trafilatura
    from lxml import html as lxml_html

    from aoud_tracker.body import _extraction_options, _shared_options, _without_code

    app_state = json.dumps({"html": "<p>not the story</p>" * 300})
    page = _scripted_page(SCRIPTED_STORY, f"var state = {app_state};")
    url = "https://news.example/2025/season-2-films"
    expected = trafilatura.extract(lxml_html.document_fromstring(page), url=url, include_comments=False,
                                   deduplicate=False, fast=True)  # fmt: skip
    assert expected and "Paragraph 11" in expected and "after the tracker" in expected
    tree = lxml_html.document_fromstring(page)
    _without_code(tree)
    emptied = lxml_html.tostring(tree)
    assert b"not the story" not in emptied and b"color: red" not in emptied and b"track(" not in emptied
    assert b"articleBody" in emptied and b"after the tracker" in emptied  # JSON-LD and tails stay
    assert trafilatura.extract(tree, options=_extraction_options(url)) == expected
    assert _shared_options().url is None  # each page's URL went to its own copy of the options


def test_a_date_only_a_script_gives_is_read_before_the_scripts_are_emptied() -> None:
    """htmldate finds dates in scripts (inline app state) when the page shows none: the dates are
    read before main_text empties the scripts."""
    page = _scripted_page(
        SCRIPTED_STORY, 'window.__STATE__ = {"article": {"id": 88140, "updated": "2025-07-23 10:15:00"}};'
    )
    extracted = extract(page.encode(), "https://news.example/culture/season-2-films", now=NOW)
    assert extracted.status == "ok" and "Paragraph 11" in extracted.body
    assert extracted.published_day is not None and extracted.published_day.isoformat() == "2025-07-23"


def test_every_element_of_a_parsed_page_is_a_plain_html_element() -> None:
    """The parser picks element classes in C (extract._PARSER): forms and inputs are HtmlElements
    like the rest, with lxml.html's methods, and what reads the tree (htmldate) still sees HTML."""
    from lxml import etree
    from lxml import html as lxml_html

    from aoud_tracker.extract import _parse

    tree = _parse(
        "<html><body><form action='/s'><input name='q'><label>Find</label></form>"
        "<p>Season 2 <b>films</b> in Seoul.</p><select><option>a</option></select></body></html>"
    )
    assert tree is not None
    elements = list(tree.iter(etree.Element))
    assert {e.tag for e in elements} >= {"form", "input", "label", "select", "option", "p"}
    assert {type(e) for e in elements} == {lxml_html.HtmlElement}
    assert tree.find(".//p").text_content() == "Season 2 films in Seoul."
