"""Contract cases about what a page says: markup, bytes, characters, dates, scripts, language,
content types and pages that are not articles (cases 1–6, 16–18, 20, 25, 26).

Each test reads the shared crawl of the hostile web (conftest.py) through one route: the page
listed in the main feed (/f/…) or in the main sitemap (/s/…).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

import feedparser
import pytest

from tests.hostile.checks import Contract, active_content, feed_titles, squash, titles_linking_to
from tests.hostile.pages import headline

if TYPE_CHECKING:
    from tests.hostile.conftest import HostileWeb
    from tests.hostile.crawls import Run

pytestmark = pytest.mark.e2e
FORBIDDEN: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def test_case_01_malformed_html_is_stored_with_every_paragraph(
    main_crawl: Run, web: HostileWeb, route: str
) -> None:
    contract = Contract("1 (malformed HTML)", main_crawl, web.sites)
    path = f"/{route}/malformed.html"
    url, article = web.url("main", path), web.layout.articles[web.url("main", path)]
    contract.requested("main", path)
    if row := contract.stored(url):
        body = squash(row["body"])
        lost = [n for n, text in enumerate(article.paragraphs) if squash(text) not in body]
        contract.expect(
            not lost,
            f"stored with its whole body: paragraphs {lost} of 0–{len(article.paragraphs) - 1} are missing "
            f"(the page has a stray </html> and </body> after paragraph 2 and 4)",
        )
        contract.expect(row["title"] == article.headline, f"title {row['title']!r} != {article.headline!r}")
    contract.went_on()
    contract.check()


def test_case_02_page_without_title_or_body_is_dropped(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("2 (no title, no body)", main_crawl, web.sites)
    path = f"/{route}/empty.html"
    url = web.url("main", path)
    contract.requested("main", path)
    contract.not_stored(url)
    contract.counted(["aoud/dropped/no_body", "aoud/dropped/no_title"])
    contract.logged(url, "no_body", "no_title")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("name", ["euckr-as-utf8", "utf8-as-euckr"])
def test_case_03_wrongly_declared_charset_is_repaired(
    main_crawl: Run, web: HostileWeb, route: str, name: str
) -> None:
    contract = Contract("3 (declared charset wrong)", main_crawl, web.sites)
    path = f"/{route}/{name}.html"
    url = web.url("main", path)
    article = web.layout.articles[url]
    contract.requested("main", path)
    if row := contract.stored(url):
        contract.expect(
            row["title"] == headline(name, route), f"Korean title {row['title']!r} is not correct"
        )
        contract.expect(squash(article.paragraphs[0]) in squash(row["body"]), "the Korean body is not intact")
        contract.expect(
            "\ufffd" not in row["title"] + row["body"], "replacement characters in the stored text"
        )
    contract.counted("aoud/pages/charset_repaired")
    contract.logged(url, "charset")
    contract.went_on()
    contract.check()


def test_case_04_mixed_encodings_keep_the_utf8_text(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("4 (mixed encodings, invalid UTF-8)", main_crawl, web.sites)
    path = f"/{route}/mixed-bytes.html"
    url = web.url("main", path)
    article = web.layout.articles[url]
    contract.requested("main", path)
    if row := contract.stored(url):
        contract.expect(row["title"] == article.headline, f"UTF-8 title not intact: {row['title']!r}")
        contract.expect(
            squash(article.paragraphs[0]) in squash(row["body"]),
            "the UTF-8 lead paragraph (‘지금 우리 학교는’, café, —) is not intact in the stored body",
        )
        body = squash(row["body"])
        lost = [n for n, text in enumerate(article.paragraphs) if squash(text) not in body]
        contract.expect(not lost, f"no mojibake: UTF-8 paragraphs {lost} are not intact in the stored body")
        around = ("Reader comment", "unforgettable")
        contract.expect(all(w in body for w in around), "bad bytes replaced, the words around them kept")
    contract.counted(["aoud/pages/undecodable", "aoud/pages/charset_repaired"])
    contract.logged(url, "charset", "undecodable")
    contract.went_on()
    contract.check()


def test_case_05_control_characters_are_removed(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("5 (XML-forbidden control characters)", main_crawl, web.sites)
    path = f"/{route}/control-chars.html"
    url = web.url("main", path)
    article = web.layout.articles[url]
    contract.requested("main", path)
    if row := contract.stored(url):
        for column in ("title", "body", "author", "summary"):
            left = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(row[column] or "")})
            contract.expect(not left, f"stored without them: {column} still holds {left}")
        contract.expect(squash(row["title"]) == article.headline, f"title {row['title']!r} lost words")
        contract.expect(squash(row["author"]) == "Kim Ha-neul", f"author {row['author']!r} lost letters")
        body = squash(FORBIDDEN.sub("", row["body"]))
        lost = [n for n, text in enumerate(article.paragraphs) if squash(text) not in body]
        contract.expect(not lost, f"paragraphs {lost} lost more than their control characters")
    contract.counted("aoud/pages/control_chars_removed")
    contract.logged(url, "control character")
    contract.went_on()
    contract.check()


def test_case_06_cdata_end_entities_and_emoji_round_trip(
    main_crawl: Run, web: HostileWeb, route: str
) -> None:
    contract = Contract("6 (]]>, & entities, astral emoji in a title)", main_crawl, web.sites)
    path = f"/{route}/entities.html"
    url = web.url("main", path)
    expected = web.layout.articles[url].headline
    contract.requested("main", path)
    if row := contract.stored(url):
        contract.expect(row["title"] == expected, f"stored as text: title {row['title']!r} != {expected!r}")
    for name, titles in feed_titles(main_crawl).items():
        contract.expect(
            expected in titles, f"the title round-trips through {name}: {expected!r} not among its titles"
        )
    for name, titles in titles_linking_to(main_crawl, url).items():
        contract.expect(all(t == expected for t in titles), f"the title round-trips through {name}: {titles}")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("name", ["press-kit", "poster", "episode-guide"])
def test_case_16_pdf_image_and_json_under_article_urls_are_skipped(
    main_crawl: Run, web: HostileWeb, route: str, name: str
) -> None:
    contract = Contract("16 (PDF, image, JSON under an article URL)", main_crawl, web.sites)
    path = f"/{route}/{name}.html"
    url = web.url("main", path)
    contract.requested("main", path)
    contract.not_stored(url)
    contract.counted("aoud/skipped/not_html")
    contract.logged(url, "not html")
    contract.went_on()
    contract.check()


def test_case_17_javascript_only_page_is_dropped(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("17 (JavaScript-only page)", main_crawl, web.sites)
    path = f"/{route}/app-shell.html"
    url = web.url("main", path)
    contract.requested("main", path)
    contract.not_stored(url)
    contract.counted("aoud/dropped/no_body")
    contract.logged(url, "no_body")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize("name", ["dated-2099", "dated-1970"])
def test_case_18_implausible_dates_are_not_stored(
    main_crawl: Run, web: HostileWeb, route: str, name: str
) -> None:
    contract = Contract("18 (page dated 2099 / 1970)", main_crawl, web.sites)
    path = f"/{route}/{name}.html"
    url = web.url("main", path)
    contract.requested("main", path)
    if row := contract.stored(url):
        published = row["published_at"]
        sane = published is None or (
            datetime(1995, 1, 1, tzinfo=UTC) <= published <= datetime.now(UTC) + timedelta(days=1)
        )
        contract.expect(sane, f"stored without that date: published_at is {published}")
    for feed in ("rss.xml", "atom.xml"):
        file = main_crawl.feeds / feed
        entries = feedparser.parse(file.read_bytes()).entries if file.exists() else []
        # dict.get: feedparser's own get() warns about its updated/published fallback
        times = [dict.get(e, key) for e in entries for key in ("published_parsed", "updated_parsed")]
        years = {when[0] for when in times if when}
        contract.expect(
            not years & {2099, 1970}, f"{feed} publishes entries dated {sorted(years & {2099, 1970})}"
        )
    contract.counted("aoud/dates/implausible")
    contract.logged(url, "implausible")
    contract.went_on()
    contract.check()


def test_case_20_scraped_markup_never_becomes_active(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("20 (XSS in title, author, body, image URL, link)", main_crawl, web.sites)
    path = f"/{route}/xss.html"
    url = web.url("main", path)
    expected = web.layout.articles[url].headline
    contract.requested("main", path)
    if row := contract.stored(url):
        contract.expect(row["title"] == expected, f"stored as text: title {row['title']!r} != {expected!r}")
    titles = feed_titles(main_crawl)
    contract.expect(
        expected in titles["rss.xml"], "the hostile story was published (else the check is vacuous)"
    )
    files = sorted(p for p in main_crawl.feeds.rglob("*") if p.is_file())
    contract.expect(bool(files), "files were published")
    found = [problem for path in files for problem in active_content(path)]
    contract.expect(
        not found, f"no published file has a script, an on* attribute or a javascript: URL: {found[:8]}"
    )
    contract.went_on()
    contract.check()


def test_case_25_korean_only_title_is_stored(main_crawl: Run, web: HostileWeb, route: str) -> None:
    contract = Contract("25 (Korean page, Korean-only title)", main_crawl, web.sites)
    path = f"/{route}/korean.html"
    url = web.url("main", path)
    article = web.layout.articles[url]
    contract.requested("main", path)
    if row := contract.stored(url):
        contract.expect(row["title"] == article.headline, f"title {row['title']!r} != {article.headline!r}")
        contract.expect(squash(article.paragraphs[0]) in squash(row["body"]), "the Korean body is not intact")
    contract.went_on()
    contract.check()


@pytest.mark.parametrize(
    ("name", "key"), [("soft-404", "soft_404"), ("login-wall", "login_wall"), ("consent", "interstitial")]
)
def test_case_26_error_pages_served_with_200_are_not_articles(
    main_crawl: Run, web: HostileWeb, route: str, name: str, key: str
) -> None:
    contract = Contract("26 (soft 404, login wall, consent interstitial)", main_crawl, web.sites)
    path = f"/{route}/{name}.html"
    url = web.url("main", path)
    contract.requested("main", path)
    contract.not_stored(url)
    contract.counted(f"aoud/dropped/{key}")
    contract.logged(url, key)
    contract.went_on()
    contract.check()
