"""A page's own description of itself, most trusted source first."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from aoud_tracker.metadata import PageMeta, read_metadata

PAGES = Path(__file__).parent / "fixtures" / "pages"


def _meta_of(page: str) -> PageMeta:
    return read_metadata(lxml_html.document_fromstring(page))


def _fixture(name: str) -> PageMeta:
    return _meta_of((PAGES / name).read_text(encoding="utf-8"))


def _ld(json_text: str, body: str = "<p>Text.</p>") -> str:
    script = f'<script type="application/ld+json">{json_text}</script>'
    return f"<html><head>{script}</head><body>{body}</body></html>"


# --- JSON-LD -------------------------------------------------------------------------------------


def test_json_ld_article_inside_graph_is_found_after_site_and_page_nodes() -> None:
    """Yoast-style pages put WebSite, WebPage and breadcrumbs before the article in @graph."""
    meta = _fixture("hanriverherald_graph.html")

    assert meta.page_type == "NewsArticle"
    assert meta.title == "All of Us Are Dead Season 2 Brings Back Four Survivors and Adds Four Newcomers"
    assert meta.published == "2025-07-23T16:40:00+09:00"
    assert meta.modified == "2025-07-24T08:05:00+09:00"
    assert meta.language == "en-GB"


def test_json_ld_beats_opengraph_for_the_headline() -> None:
    """og:title is often a shortened social-media line; the article's own headline is the record."""
    meta = _fixture("hanriverherald_graph.html")

    assert meta.title != "All of Us Are Dead season 2: who is back and who is new"


def test_json_ld_authors_publisher_image_and_canonical_come_from_nested_objects() -> None:
    """schema.org nests Person, Organization, ImageObject and WebPage; the names and URLs are inside."""
    meta = _fixture("hanriverherald_graph.html")

    assert meta.author == "Seo Da-bin, Marcus Reyes"
    assert meta.site_name == "Han River Herald"
    assert meta.image == "https://cdn.hanriverherald.example/images/2025/07/aoud-s2-cast-1200.jpg"
    assert meta.canonical == (
        "https://www.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast"
    )


def test_json_ld_top_level_list_with_type_urls_and_repeated_authors() -> None:
    """Some CMSs emit a bare list, full type URLs and the same author twice."""
    meta = _meta_of(
        _ld(
            """[{"@type": "WebSite", "name": "Pop Pulse Korea"},
                {"@type": ["http://schema.org/NewsArticle"], "headline": "Cast list grows",
                 "author": [{"@type": "Person", "name": "Jung Ye-rin"}, "Kim Tae-oh",
                            {"@type": "Person", "name": "Jung Ye-rin"}],
                 "dateCreated": "2025-07-24T09:00:00+09:00"}]"""
        )
    )

    assert meta.page_type == "NewsArticle"
    assert meta.title == "Cast list grows"
    assert meta.author == "Jung Ye-rin, Kim Tae-oh"
    assert meta.published == "2025-07-24T09:00:00+09:00"


def test_broken_json_ld_block_is_skipped_and_the_next_one_read() -> None:
    """A trailing comma in one block (common) must not hide a valid article block after it."""
    meta = _meta_of(
        '<html><head><script type="application/ld+json">{"@type": "WebSite", "name": "x",}</script>'
        '<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Second block"}</script>'
        "</head><body><p>Text.</p></body></html>"
    )

    assert meta.title == "Second block"
    assert meta.page_type == "BlogPosting"


def test_author_given_only_as_a_profile_url_is_not_a_name() -> None:
    """A URL in `author` is a link to a profile page; the byline comes from the next source that names one."""
    meta = _meta_of(
        _ld('{"@type": "NewsArticle", "author": "https://poppulse.example/author/jung"}').replace(
            "</head>", '<meta name="author" content="Jung Ye-rin"></head>'
        )
    )

    assert meta.author == "Jung Ye-rin"


@pytest.mark.parametrize("listing_type", ["CollectionPage", "SearchResultsPage", "ItemList"])
def test_listing_types_are_reported_as_the_page_type(listing_type: str) -> None:
    """Tag and search pages describe themselves; that is how they are kept out of the store."""
    meta = _meta_of(_ld(f'{{"@context": "https://schema.org", "@type": "{listing_type}", "name": "Tag"}}'))

    assert meta.page_type == listing_type


def test_json_ld_html_entities_are_unescaped() -> None:
    """Script contents are not entity-decoded by the HTML parser, so the reader must do it."""
    meta = _meta_of(
        _ld(
            '{"@type": "NewsArticle", "headline": "Park Ji-hu &amp; Lomon return for season 2",'
            ' "author": {"@type": "Person", "name": "Min &#039;Joy&#039; Park"}}'
        )
    )

    assert meta.title == "Park Ji-hu & Lomon return for season 2"
    assert meta.author == "Min 'Joy' Park"


# --- OpenGraph and <meta> ----------------------------------------------------------------------


def test_opengraph_only_page() -> None:
    """WordPress without a schema plugin: everything comes from og:/article: tags and rel=canonical."""
    meta = _fixture("streamledger_opengraph.html")

    assert (
        meta.title
        == "Yoo In-soo reportedly in talks to return for All of Us Are Dead season 2 – Stream Ledger"
    )
    assert meta.site_name == "Stream Ledger"
    assert meta.author == "Dana Whitfield"
    assert meta.published == "2025-06-12T14:03:27+00:00"
    assert meta.modified == "2025-06-12T15:20:11+00:00"
    assert meta.canonical == "https://streamledger.example/yoo-in-soo-all-of-us-are-dead-season-2/"
    assert meta.language == "en_US"
    assert meta.description.startswith("The actor who played bully Yoon Gwi-nam")
    assert meta.page_type == ""  # og:type article is not a listing


def test_rel_canonical_beats_og_url_and_by_prefix_is_dropped() -> None:
    """rel=canonical is the publisher's statement about the URL; og:url is for social cards."""
    meta = _meta_of(
        "<html><head>"
        '<meta property="og:url" content="https://k.example/share/123">'
        '<link rel="Canonical" href="https://k.example/news/aoud-s2">'
        '<meta name="author" content="By Seo Da-bin">'
        "</head><body><p>Text.</p></body></html>"
    )

    assert meta.canonical == "https://k.example/news/aoud-s2"
    assert meta.author == "Seo Da-bin"


def test_og_type_website_is_kept_as_the_page_type() -> None:
    """A tag archive says og:type website; the classifier needs to know."""
    assert _fixture("streamledger_tag.html").page_type == "website"


def test_article_author_profile_url_does_not_hide_the_author_meta() -> None:
    """Facebook-style `article:author` holds a profile URL; the byline is in `<meta name=author>`."""
    meta = _meta_of(
        "<html><head>"
        '<meta property="article:author" content="https://www.facebook.com/streamledger">'
        '<meta name="author" content="Dana Whitfield">'
        "</head><body><p>Text.</p></body></html>"
    )

    assert meta.author == "Dana Whitfield"


# --- microdata and <time> ----------------------------------------------------------------------


def test_microdata_headline_author_and_date() -> None:
    """Older news CMSs mark articles up with itemprop instead of JSON-LD."""
    meta = _meta_of(
        '<html><body><article itemscope itemtype="https://schema.org/NewsArticle">'
        '<h1 itemprop="headline">Filming wraps on the second season</h1>'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<span itemprop="name">Kim Ha-neul</span></span>'
        '<meta itemprop="datePublished" content="2025-08-01T10:00:00+09:00">'
        "<p>Text.</p></article></body></html>"
    )

    assert meta.title == "Filming wraps on the second season"
    assert meta.author == "Kim Ha-neul"
    assert meta.published == "2025-08-01T10:00:00+09:00"


def test_time_element_inside_the_article_gives_the_date() -> None:
    """`<time datetime>` in the article is the last machine-readable date before guessing."""
    meta = _meta_of(
        "<html><body><article><h1>Script reading photos released</h1>"
        '<time datetime="2025-08-02T10:00:00Z">2 August</time><p>Text.</p></article></body></html>'
    )

    assert meta.published == "2025-08-02T10:00:00Z"


def test_earlier_sources_win_and_later_ones_fill_the_gaps() -> None:
    """JSON-LD without a date still gets one from article:published_time."""
    meta = _meta_of(
        _ld('{"@type": "NewsArticle", "headline": "From JSON-LD"}').replace(
            "</head>",
            '<meta property="og:title" content="From OpenGraph">'
            '<meta property="article:published_time" content="2025-07-23T07:40:00Z"></head>',
        )
    )

    assert meta.title == "From JSON-LD"
    assert meta.published == "2025-07-23T07:40:00Z"


# --- <title>, <h1>, <h2> -----------------------------------------------------------------------


def test_blog_headline_is_the_h2_that_the_title_repeats_and_the_rest_is_the_site_name() -> None:
    """Blog themes put the blog's name in <h1>; the post's headline is the heading found in <title>."""
    meta = _fixture("zombiehomeroom_blog.html")

    assert meta.title == "Season two wrap rumours: what we actually know"
    assert meta.site_name == "Zombie Homeroom"


def test_without_a_matching_heading_the_first_h1_is_the_headline() -> None:
    """When <title> is an SEO rewrite, the article's <h1> is still the best headline."""
    meta = _meta_of(
        '<html lang="ko"><head><title>AOUD S2 news</title></head><body>'
        "<h1>지금 우리 학교는 시즌2 촬영 시작</h1><h2>관련 기사</h2><p>본문</p></body></html>"
    )

    assert meta.title == "지금 우리 학교는 시즌2 촬영 시작"
    assert meta.language == "ko"


def test_without_headings_the_document_title_is_used() -> None:
    """Bare pages still get a title."""
    meta = _meta_of(
        "<html><head><title>Season 2 rumours, day 400</title></head><body><p>Text</p></body></html>"
    )

    assert meta.title == "Season 2 rumours, day 400"


def test_logo_heading_is_not_taken_for_the_headline() -> None:
    """A heading that is only the site's name in <title> is the masthead, not the story."""
    meta = _meta_of(
        "<html><head><title>AOUD S2: filming wraps in Incheon | Undead Diaries</title></head><body>"
        '<header><h1 class="logo">Undead Diaries</h1></header>'
        "<article><h2>Filming on the second season has wrapped</h2><p>Text.</p></article></body></html>"
    )

    assert meta.title != "Undead Diaries"
    assert meta.site_name != "AOUD S2: filming wraps in Incheon"


def test_title_that_only_repeats_the_site_name_reads_without_failing() -> None:
    """A home page titled "Site – Site" with the site's name as its heading has no headline
    beside the masthead; it used to stop extraction with a ValueError."""
    meta = _meta_of(
        "<html><head><title>Hallyu Wire – Hallyu Wire</title></head><body>"
        '<h1 class="page-title">Hallyu Wire</h1><h2>Short</h2><p>Text.</p></body></html>'
    )

    assert meta.title == "Hallyu Wire"
