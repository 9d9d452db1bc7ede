"""URL identity: tracking noise removed, one key per article however it is linked."""

from __future__ import annotations

import pytest

from aoud_tracker.urls import absolute, clean_url, is_tracking_param, same_site, site_of, url_key

ARTICLE = "https://www.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast"


@pytest.mark.parametrize(
    "name",
    [
        "utm_source",
        "UTM_Campaign",
        "utm_medium",
        "fbclid",
        "gclid",
        "igshid",
        "mc_eid",
        "_ga",
        "pk_kwd",
        "ocid",
    ],
)
def test_is_tracking_param_recognises_click_attribution(name: str) -> None:
    """Share buttons and newsletters add these; they never change which article is served."""
    assert is_tracking_param(name)


@pytest.mark.parametrize("name", ["id", "no", "idxno", "page", "q", "article_id", "lang", "p"])
def test_is_tracking_param_keeps_parameters_that_select_content(name: str) -> None:
    """Korean CMSs serve every article from one script (`view.html?no=88140`): dropping `no` merges all."""
    assert not is_tracking_param(name)


def test_clean_url_drops_tracking_fragment_and_default_port_but_keeps_content_params() -> None:
    """A link shared from a newsletter must be stored as the article's plain, still fetchable address."""
    shared = (
        "https://WWW.HanRiverHerald.example:443/culture/Story?utm_source=nl&no=88140&fbclid=IwAR0x#comments"
    )

    assert clean_url(shared) == "https://www.hanriverherald.example/culture/Story?no=88140"


def test_clean_url_keeps_path_case_and_non_default_port() -> None:
    """Paths are case-sensitive on most servers and a local test server lives on its own port."""
    assert clean_url("http://127.0.0.1:8123/News/AOUD-S2/") == "http://127.0.0.1:8123/News/AOUD-S2/"


def test_clean_url_sorts_query_parameters() -> None:
    """The same page linked with parameters in another order is the same URL."""
    assert clean_url("https://k.example/view?b=2&a=1") == clean_url("https://k.example/view?a=1&b=2")


def test_clean_url_gives_an_empty_path_a_slash_and_drops_the_trailing_dot_of_the_host() -> None:
    """`https://site.example.` and `https://site.example/` are one home page."""
    assert clean_url("HTTPS://Site.Example.") == "https://site.example/"


def test_clean_url_is_idempotent() -> None:
    """Cleaning an already clean URL must not change it, or stored keys would drift on every crawl."""
    once = clean_url("https://m.poppulse.example/k-drama/aoud?ref=home&utm_medium=social&x=%7e")

    assert clean_url(once) == once


def test_clean_url_encodes_non_ascii_hosts_and_paths() -> None:
    """Korean slugs and IDN hosts come in raw from some feeds; stored URLs must be plain ASCII."""
    cleaned = clean_url("https://뉴스.example/기사/시즌2")

    assert cleaned.isascii()
    assert cleaned.startswith("https://xn--")


def test_clean_url_accepts_an_ipv6_literal_host() -> None:
    """A feed or a local mirror served on IPv6 must not crash the pipeline."""
    assert clean_url("http://[::1]:8080/news/aoud?utm_source=x") == "http://[::1]:8080/news/aoud"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE,
        "http://hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast/",
        "https://m.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast?utm_source=x",
        "https://amp.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast",
        "https://www.hanriverherald.example/amp/culture/2025/07/23/all-of-us-are-dead-season-2-cast",
        "https://www.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast/amp/",
        "https://www.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast#comments",
    ],
)
def test_url_key_is_one_key_for_every_address_of_an_article(variant: str) -> None:
    """Feeds link AMP, mobile and http copies; they must all count as the one article."""
    assert url_key(variant) == url_key(ARTICLE)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://k.example/2025/07/x.amp.html", "https://k.example/2025/07/x.html"),
        ("https://k.example/news/index.html", "https://k.example/news/"),
        ("https://k.example/news/amp/story-1", "https://k.example/news/story-1"),
    ],
)
def test_url_key_folds_amp_files_and_index_pages(first: str, second: str) -> None:
    """`.amp.html` copies and `index.html` are other names for the same page."""
    assert url_key(first) == url_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://k.example/news/view.html?no=88140", "https://k.example/news/view.html?no=88141"),
        ("https://k.example/aoud-season-2", "https://k.example/aoud-season-1"),
        ("https://k.example/News/Story", "https://k.example/news/story"),
        ("https://hanriverherald.example/a", "https://streamledger.example/a"),
    ],
)
def test_url_key_keeps_different_articles_apart(first: str, second: str) -> None:
    """Folding must never merge two articles: a different id, slug, path case or site is another page."""
    assert url_key(first) != url_key(second)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        (ARTICLE, "hanriverherald.example"),
        ("https://m.poppulse.example/k-drama/x", "poppulse.example"),
        ("https://amp.poppulse.example/k-drama/x", "poppulse.example"),
        ("https://www2.poppulse.example/", "poppulse.example"),
        ("http://127.0.0.1:8123/site/a", "127.0.0.1:8123"),
        ("https://news.poppulse.example/a", "news.poppulse.example"),
    ],
)
def test_site_of_strips_mobile_and_amp_prefixes_only(url: str, site: str) -> None:
    """Mobile and AMP hosts belong to the site; a real subdomain like `news.` does not vanish."""
    assert site_of(url) == site


def test_site_of_never_reduces_a_host_to_its_top_level_domain() -> None:
    """`amp.dev` is a site in its own right; its name is not a mobile prefix."""
    assert site_of("https://amp.dev/documentation/guides") == "amp.dev"
    assert not same_site("https://amp.dev/a", "https://www.dev/b")


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (ARTICLE, "https://m.hanriverherald.example/other", True),
        (ARTICLE, "http://hanriverherald.example:80/", True),
        (ARTICLE, "https://hanriverherald.example.evil.example/", False),
        (ARTICLE, "https://streamledger.example/", False),
        ("http://127.0.0.1:8123/a", "http://127.0.0.1:8124/a", False),
    ],
)
def test_same_site(first: str, second: str, expected: bool) -> None:
    """A canonical link is trusted only on the page's own site; look-alike hosts and ports are others."""
    assert same_site(first, second) is expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("../../07/24/next", "https://k.example/news/2025/07/24/next"),
        ("/tag/all-of-us-are-dead", "https://k.example/tag/all-of-us-are-dead"),
        ("//cdn.k.example/i.jpg", "https://cdn.k.example/i.jpg"),
        ("  https://other.example/x  ", "https://other.example/x"),
        ("?page=2", "https://k.example/news/2025/07/23/story?page=2"),
    ],
)
def test_absolute_resolves_relative_links_against_the_page(href: str, expected: str) -> None:
    """Relative, root-relative and protocol-relative links all become fetchable URLs."""
    assert absolute("https://k.example/news/2025/07/23/story", href) == expected


@pytest.mark.parametrize(
    "href", [None, "", "   ", "javascript:void(0)", "mailto:tips@k.example", "tel:+82200000000", "data:,x"]
)
def test_absolute_refuses_what_is_not_a_web_page(href: str | None) -> None:
    """Share buttons and contact links must never be queued as articles."""
    assert absolute("https://k.example/news/story", href) is None


_ODD_HOSTS = [
    "Example.COM", "example.com.", "www.example.com:80", "m.example.com:443", "example.com:8080",
    "[::1]:8000", "[2001:DB8::1]", "user:pw@Example.com:81", "ex%41mple.com", "ex_ample.com",
    "127.0.0.1:8000", "xn--bcher-kva.example", "example.com:", "ex\\ample.com", "ex|ample.com",
    "bücher.example", "ÉXAMPLE.com", "例え.jp", "amp.example.co.uk", "WWW2.Example.org:8443",
]  # fmt: skip


@pytest.mark.parametrize("host", _ODD_HOSTS)
@pytest.mark.parametrize("scheme", ["http", "HTTPS"])
@pytest.mark.parametrize("rest", ["", "/a/B?x=1&utm_source=z#f", "/ünï/cödé", " "])
def test_site_of_is_the_cleaned_urls_host(host: str, scheme: str, rest: str) -> None:
    """site_of reads an ASCII host without cleaning the whole URL: the same host as cleaning gives."""
    from urllib.parse import urlsplit

    from aoud_tracker.urls import _main_host

    url = f"{scheme}://{host}{rest}"
    assert site_of(url) == _main_host(urlsplit(clean_url(url)).netloc)


def test_a_host_w3lib_refuses_is_cleaned_without_canonicalising() -> None:
    """w3lib 2.6 refuses some hosts ("ex|ample.com"): clean_url still gives a URL, so one odd link
    never stops the reading of a feed or sitemap (url_key is taken of every link)."""
    assert clean_url("HTTP://Ex|ample.com:80/a?utm_source=x&b=1#top") == "http://ex|ample.com/a?b=1"
    assert url_key("http://www.ex|ample.com/a/index.html") == "ex|ample.com/a"
