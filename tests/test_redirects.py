"""Feed links through redirect wrappers: the publisher's URL, or the wrapper a spider must follow."""

from __future__ import annotations

import base64
import json
import random
import re
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest

from aoud_tracker.redirects import (
    GOOGLE_NEWS_BATCHEXECUTE,
    MAX_DEPTH,
    Unwrapped,
    batchexecute_request,
    decode_google_news_id,
    google_news_id,
    google_news_page_url,
    is_http_url,
    parse_batchexecute,
    parse_google_news_page,
    unwrap,
)

FIXTURES = Path(__file__).parent / "fixtures" / "redirects"

HERALD = "https://www.hanriverherald.example/culture/2025/07/23/all-of-us-are-dead-season-2-cast"
LEDGER = "https://streamledger.example/yoo-in-soo-all-of-us-are-dead-season-2/"
KOREAN = "http://www.kscreennews.example/news/view.html?no=88140"
BLOG = "https://zombiehomeroom.example/posts/season-two-wrap-rumours"

# The id in the fixture page: the new kind, "AU_yqL…" inside, minted here from a random token.
NEW_ID = re.findall(r'data-n-a-id="([^"]+)"', (FIXTURES / "google_news_article.html").read_text("utf-8"))[0]


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _text_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def gnews_id(url: str, amp: str | None = None) -> str:
    """A Google News id of the pre-2024 kind: field 1 = 0x13, field 4 = the URL, field 26 = its AMP URL."""
    raw = _varint(1 << 3) + _varint(0x13) + _text_field(4, url.encode())
    if amp is not None:
        raw += _text_field(26, amp.encode())
    return _b64(raw)


def gnews_link(article_id: str, kind: str = "rss/articles") -> str:
    return f"https://news.google.com/{kind}/{article_id}?oc=5"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# Links that are not wrapped come back as they are.


@pytest.mark.parametrize(
    "url",
    [
        HERALD,
        KOREAN,
        "https://streamledger.example/share?url=https%3A%2F%2Fother.example%2Fstory",  # a share button
        "https://news.google.com/topics/CAAqJggKIiBDQkFTRWdvSUwyMHZNRFZxYUdjU0FtVnVHZ0pWVXlnQVAB?hl=en-US",
        "https://news.google.com/rss/articles/",
        "https://www.google.com/search?q=all+of+us+are+dead+season+2",
        "https://www.bing.com/news/search?q=all+of+us+are+dead&format=rss",
        "https://www.facebook.com/netflixkr/posts/pfbid02xYz",
        "https://bit.ly/",
        "https://zombiehomeroom.example/go?url=not-a-url",
    ],
)
def test_unwrap_leaves_unwrapped_links_as_they_are(url: str) -> None:
    """A publisher's own URL, or a search page, is not a redirect: nothing is taken from it."""
    assert unwrap(url) == Unwrapped(url, "", resolved=True)


def test_unwrap_strips_the_whitespace_feeds_leave_around_links() -> None:
    assert unwrap(f"\n  {HERALD} \n") == Unwrapped(HERALD, "", resolved=True)


# Each wrapper, as it appears in feeds and shared links.

_WRAPPED = {
    "google_alerts": (
        "https://www.google.com/url?rct=j&sa=t&url=http://www.kscreennews.example/news/view.html%3Fno%3D88140"
        "&ct=ga&cd=CAIyGjM4ZDVkNzE3MDU0YjEyMjM6Y29tOmVuOlVT&usg=AOvVaw0xW2n3nVZ8m4Kd3q1sUe0Z",
        KOREAN,
    ),
    "google_alerts country domain": (
        f"https://www.google.co.kr/url?rct=j&sa=t&url={HERALD}&ct=ga&cd=CAEYACoTNzE0&usg=AOvVaw3F",
        HERALD,
    ),
    "google_search q=": (
        f"https://www.google.com/url?q={LEDGER}&sa=U&ved=2ahUKEwjX0&usg=AOvVaw1Bq",
        LEDGER,
    ),
    "google_news before 2018": (
        "https://news.google.com/news/url?sa=t&fd=R&ct2=us&usg=AFQjCNFp4K&clid=c3a7d30bb8a4878e06b80cf16b898331"
        f"&cid=52779&ei=Zk2bW&url={HERALD}",
        HERALD,
    ),
    "bing_news": (
        "http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=6880A1B2C3D44E5F8A9B0C1D2E3F4A5B"
        "&url=https%3a%2f%2fstreamledger.example%2fyoo-in-soo-all-of-us-are-dead-season-2%2f"
        "&c=8213958123795120342&mkt=en-us",
        LEDGER,
    ),
    "facebook": (
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.hanriverherald.example%2Fculture%2F2025%2F07%2F23"
        "%2Fall-of-us-are-dead-season-2-cast%3Ffbclid%3DIwAR2xQ&h=AT0xYz_k3Qp&__tn__=-UK-R",
        f"{HERALD}?fbclid=IwAR2xQ",
    ),
    "facebook mobile": (f"https://lm.facebook.com/l.php?u={quote(LEDGER, safe='')}&h=AT1", LEDGER),
    "instagram": (f"https://l.instagram.com/?u={quote(BLOG, safe='')}&e=AT0vX9", BLOG),
    "href_li": (f"https://href.li/?{KOREAN}", KOREAN),
    "duckduckgo": (
        f"https://duckduckgo.com/l/?uddg={quote(LEDGER, safe='')}&rut=5c1d0f0e9a2b7c4d3e6f8a1b2c3d4e5f",
        LEDGER,
    ),
    "reddit": (
        f"https://out.reddit.com/t3_1e8xq2z?url={quote(HERALD, safe='')}&token=AQAAb2pX&app_name=reddit.com",
        HERALD,
    ),
    "tumblr": (
        f"https://t.umblr.com/redirect?z={quote(BLOG, safe='')}&t=ZTQ1YjA3%2C1&b=t%3AabC&m=1",
        BLOG,
    ),
    "youtube": (
        "https://www.youtube.com/redirect?event=video_description&redir_token=QUFFLUhqbVd4"
        f"&q={quote(LEDGER, safe='')}&v=x9Q2bF0k",
        LEDGER,
    ),
    "linkedin": (
        f"https://www.linkedin.com/redir/redirect?url={quote(HERALD, safe='')}&urlhash=Ab1c&trk=public_post",
        HERALD,
    ),
    "vk": (f"https://vk.com/away.php?to={quote(BLOG, safe='')}&cc_key=", BLOG),
    "slack": (f"https://slack-redir.net/link?url={quote(LEDGER, safe='')}", LEDGER),
    "steam": (f"https://steamcommunity.com/linkfilter/?u={quote(LEDGER, safe='')}", LEDGER),
    "outlook_safelinks": (
        f"https://eur01.safelinks.protection.outlook.com/?url={quote(KOREAN, safe='')}"
        "&data=05%7C02%7C%7Cf3a1%7C0&sdata=Yk9x%3D&reserved=0",
        KOREAN,
    ),
    "yahoo": (
        "https://r.search.yahoo.com/_ylt=AwrFQ2x;_ylu=Y29sbwNiZjEEcG9z/RV=2/RE=1753300000/RO=10"
        "/RU=https%3a%2f%2fstreamledger.example%2fyoo-in-soo-all-of-us-are-dead-season-2%2f/RK=2/RS=Zx9k-",
        LEDGER,
    ),
    "bing": (
        f"https://www.bing.com/ck/a?!&&p=4f1c2a9e&ptn=3&ver=2&hsh=3&fclid=1e2d&u=a1{_b64(HERALD.encode())}&ntb=1",
        HERALD,
    ),
    "generic_param": (f"https://newsletter.aoud.example/click?id=7&url={quote(LEDGER, safe='')}", LEDGER),
    "generic_param with extension": (f"https://www.kscreennews.example/redirect.php?goto={HERALD}", HERALD),
}


@pytest.mark.parametrize(("wrapped", "publisher"), list(_WRAPPED.values()), ids=list(_WRAPPED))
def test_unwrap_decodes_each_wrapper(wrapped: str, publisher: str) -> None:
    result = unwrap(wrapped)

    assert result.url == publisher
    assert result.resolved


@pytest.mark.parametrize(
    ("wrapped", "wrapper"),
    [
        (_WRAPPED["google_alerts"][0], "google_alerts"),
        (_WRAPPED["google_search q="][0], "google_search"),
        (_WRAPPED["bing_news"][0], "bing_news"),
        (_WRAPPED["facebook"][0], "facebook"),
        (_WRAPPED["generic_param"][0], "generic_param"),
        (gnews_link(gnews_id(HERALD)), "google_news"),
    ],
)
def test_unwrap_names_the_wrapper(wrapped: str, wrapper: str) -> None:
    """Stats and logs say where links came from: Alerts and search share a path, `ct=ga` tells them apart."""
    assert unwrap(wrapped).wrapper == wrapper


@pytest.mark.parametrize(
    ("url", "wrapper"),
    [
        (
            "http://feedproxy.google.com/~r/ZombieHomeroom/~3/x7Yv2bQ1Z9M/season-two-wrap-rumours",
            "feedburner",
        ),
        ("https://feeds.feedburner.com/~r/StreamLedger/~3/Qm4f0/", "feedburner"),
        ("https://t.co/Ab3dE5fG7h", "shortener"),
        ("https://dlvr.it/T9x2Lk", "shortener"),
        ("https://www.google.com/url?rct=j&sa=t&ct=ga&usg=AOvVaw0x", "google_alerts"),  # no target in it
    ],
)
def test_unwrap_leaves_server_side_redirects_for_the_caller_to_follow(url: str, wrapper: str) -> None:
    """The target lives on the wrapper's server: resolved=False tells the spider to follow it over HTTP."""
    assert unwrap(url) == Unwrapped(url, wrapper, resolved=False)


# Wrappers inside wrappers.


def test_unwrap_peels_a_wrapper_inside_a_wrapper() -> None:
    """Alerts link to a Facebook post's outbound link; the innermost wrapper is the one reported."""
    facebook = f"https://l.facebook.com/l.php?u={quote(HERALD, safe='')}&h=AT0x"
    alert = f"https://www.google.com/url?rct=j&sa=t&url={quote(facebook, safe='')}&ct=ga&cd=CAIy&usg=AOv"

    assert unwrap(alert) == Unwrapped(HERALD, "facebook", resolved=True)


def test_unwrap_peels_three_levels() -> None:
    reddit = f"https://out.reddit.com/t3_1e8xq2z?url={quote(LEDGER, safe='')}&token=AQ"
    href_li = f"https://href.li/?{reddit}"
    bing = f"http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&url={quote(href_li, safe='')}&mkt=en-us"

    assert unwrap(bing) == Unwrapped(LEDGER, "reddit", resolved=True)


def test_unwrap_decodes_a_google_news_id_inside_an_alert() -> None:
    news = gnews_link(gnews_id(KOREAN))
    alert = f"https://www.google.com/url?rct=j&sa=t&url={quote(news, safe='')}&ct=ga&cd=CAIy&usg=AOv"

    assert unwrap(alert) == Unwrapped(KOREAN, "google_news", resolved=True)


def test_unwrap_hands_back_the_inner_wrapper_it_cannot_decode() -> None:
    """The spider must follow the Google News link itself, not the alert around it."""
    news = gnews_link(NEW_ID)
    alert = f"https://www.google.com/url?rct=j&sa=t&url={quote(news, safe='')}&ct=ga&cd=CAIy&usg=AOv"

    assert unwrap(alert) == Unwrapped(news, "google_news", resolved=False)
    assert google_news_id(unwrap(alert).url) == NEW_ID


def test_unwrap_stops_after_max_depth_and_says_it_did_not_resolve() -> None:
    url = HERALD
    for _ in range(MAX_DEPTH + 1):
        url = f"https://l.facebook.com/l.php?u={quote(url, safe='')}"

    result = unwrap(url)

    assert not result.resolved
    assert result.wrapper == "facebook"
    assert result.url.startswith("https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.hanriverherald")


def test_unwrap_resolves_exactly_max_depth_levels() -> None:
    url = HERALD
    for _ in range(MAX_DEPTH):
        url = f"https://l.facebook.com/l.php?u={quote(url, safe='')}"

    assert unwrap(url) == Unwrapped(HERALD, "facebook", resolved=True)


# Percent-encoding.


def test_unwrap_keeps_the_publishers_own_percent_encoding() -> None:
    """Decoding the wrapper once must not decode the Korean path inside it: that would be another URL."""
    korean_path = (
        "https://www.kscreennews.example/%EC%A7%80%EA%B8%88-%EC%9A%B0%EB%A6%AC-%ED%95%99%EA%B5%90%EB%8A%94"
    )

    assert unwrap(f"https://l.facebook.com/l.php?u={quote(korean_path, safe='')}").url == korean_path


def test_unwrap_decodes_an_encoded_query_without_splitting_it() -> None:
    """`%3F`, `%26` and `%3D` belong to the publisher's URL, not to the wrapper's query."""
    target = "http://www.kscreennews.example/news/view.html?no=88140&sc=culture"

    assert unwrap(f"https://www.bing.com/news/apiclick.aspx?url={quote(target, safe='')}&c=1").url == target


def test_unwrap_undoes_double_encoding() -> None:
    twice = quote(quote(LEDGER, safe=""), safe="")

    assert unwrap(f"https://l.facebook.com/l.php?u={twice}&h=AT0").url == LEDGER


def test_unwrap_keeps_a_plus_as_a_plus() -> None:
    """A URL-valued parameter is not form text: `season+2` in a search path stays `season+2`."""
    alert = "https://www.google.com/url?rct=j&sa=t&url=https://www.kscreennews.example/tag/season+2&ct=ga"

    assert unwrap(alert).url == "https://www.kscreennews.example/tag/season+2"


def test_unwrap_reencodes_spaces_left_by_sloppy_encoders() -> None:
    sloppy = "https://l.facebook.com/l.php?u=https%3A%2F%2Fzombiehomeroom.example%2Fposts%2Fseason%20two"

    assert unwrap(sloppy).url == "https://zombiehomeroom.example/posts/season%20two"


# Only http(s) ever comes out.


@pytest.mark.parametrize(
    "wrapped",
    [
        "https://www.google.com/url?q=javascript:alert(document.cookie)&sa=U",
        "https://www.google.com/url?rct=j&sa=t&url=javascript%3Aalert(1)&ct=ga",
        f"https://l.facebook.com/l.php?u={quote('file:///etc/passwd', safe='')}&h=AT0",
        "https://href.li/?data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg",
        f"https://out.reddit.com/t3_1?url={quote('ftp://files.example/s2.zip', safe='')}",
        f"https://t.umblr.com/redirect?z={quote('http:///no-host', safe='')}",
        f"https://vk.com/away.php?to={quote('//streamledger.example/relative', safe='')}",
        f"https://www.bing.com/ck/a?!&&p=1&u=a1{_b64(b'javascript:alert(1)')}&ntb=1",
        gnews_link(gnews_id("javascript:alert(1)")),
        gnews_link(gnews_id("file:///etc/passwd")),
    ],
)
def test_unwrap_refuses_targets_that_are_not_http(wrapped: str) -> None:
    """A feed must never send a spider to javascript:, file: or data:: the wrapper is all that comes back."""
    result = unwrap(wrapped)

    assert result.url == wrapped
    assert not result.resolved
    assert result.wrapper


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "mailto:tips@aoud.example",
        "//news.google.com/x",
        "",
        "  ",
    ],
)
def test_unwrap_gives_nothing_for_a_link_that_is_not_http(url: str) -> None:
    assert unwrap(url) == Unwrapped("", "", resolved=False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (HERALD, True),
        ("HTTP://STREAMLEDGER.EXAMPLE/", True),
        ("http://127.0.0.1:8123/news", True),
        ("https://[::1]/x", True),
        ("https://[::1/x", False),
        ("http:///no-host", False),
        ("https://streamledger.example/a b", False),
        ("https://streamledger.example/a\nb", False),
        ("ftp://files.example/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_is_http_url(url: str, expected: bool) -> None:
    assert is_http_url(url) is expected


# Google News: the old ids carry the URL, the new ones do not.


def test_unwrap_decodes_an_old_google_news_id() -> None:
    assert unwrap(gnews_link(gnews_id(HERALD))) == Unwrapped(HERALD, "google_news", resolved=True)


def test_unwrap_decodes_an_id_whose_url_needs_a_two_byte_length() -> None:
    """Past 127 bytes the length varint takes two bytes: `CBMihQF…` instead of `CBMi<one char>…`."""
    long_url = f"{HERALD}/{'season-two-filming-schedule-' * 5}"
    assert len(long_url) > 127

    assert unwrap(gnews_link(gnews_id(long_url))).url == long_url


def test_unwrap_prefers_the_canonical_url_to_the_amp_one() -> None:
    article_id = gnews_id(LEDGER, amp=f"{LEDGER}amp/")

    assert unwrap(gnews_link(article_id)).url == LEDGER


def test_ids_built_here_have_the_layout_google_emits() -> None:
    """Real pre-2024 ids start `CBMi` (0x08 0x13 0x22), `CBMihQF` for a 133-byte URL (length 0x85 0x01),
    and end `0gEA` when their AMP field is empty (0xd2 0x01 0x00)."""
    short = gnews_id(LEDGER)
    long_with_empty_amp = gnews_id(f"https://www.kscreennews.example/news/{'a' * 91}.html", amp="")

    assert short.startswith("CBMi")
    assert long_with_empty_amp.startswith("CBMihQF")
    assert long_with_empty_amp.endswith("0gEA")
    assert (
        decode_google_news_id(long_with_empty_amp) == f"https://www.kscreennews.example/news/{'a' * 91}.html"
    )


@pytest.mark.parametrize("kind", ["rss/articles", "articles", "read", "__i/rss/rd/articles"])
def test_unwrap_reads_every_google_news_article_path(kind: str) -> None:
    link = f"https://news.google.com/{kind}/{gnews_id(BLOG)}?hl=en-US&gl=US&ceid=US%3Aen"

    assert unwrap(link) == Unwrapped(BLOG, "google_news", resolved=True)


def test_unwrap_cannot_decode_the_new_google_news_ids_offline() -> None:
    link = gnews_link(NEW_ID)

    assert base64.urlsafe_b64decode(NEW_ID + "==")[5:11] == b"AU_yqL"  # after 08 13 22 and a 2-byte length
    assert unwrap(link) == Unwrapped(link, "google_news", resolved=False)
    assert decode_google_news_id(NEW_ID) is None


@pytest.mark.parametrize(
    "article_id",
    [
        "CBMi!!not*base64",
        "CBMiA",  # a length no base64 text can have
        _b64(b"\x08\x13\x22\x85"),  # the length varint is cut off
        _b64(b"\x08\x13\x22\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),  # a varint past 64 bits
        _b64(b"\x08\x13\x22\x40https://short.example/"),  # the length runs past the end
        _b64(b"\x08\x13\x0fhttps://x.example/"),  # wire type 7 does not exist
        _b64(b"\x08\x13" + _text_field(4, b"https://\xff\xfe.example/")),  # not UTF-8
        _b64(b"\x08\x02\x22\x10" + bytes(range(16))),  # the older opaque kind (`CAIi…`)
        _b64(b"\x08\x13"),  # no URL field at all
    ],
)
def test_unwrap_says_unresolved_for_a_broken_google_news_id(article_id: str) -> None:
    link = gnews_link(article_id)

    assert unwrap(link) == Unwrapped(link, "google_news", resolved=False)
    assert decode_google_news_id(article_id) is None


def test_unwrap_never_raises_on_random_google_news_ids() -> None:
    rng = random.Random(88140)
    for size in range(0, 200, 3):
        raw = b"\x08\x13\x22" + rng.randbytes(size) if size % 2 else rng.randbytes(size)
        result = unwrap(gnews_link(_b64(raw) or "A"))
        assert result.url == "" or is_http_url(result.url)
        assert result.wrapper == "google_news"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.google.com/rss/articles/CBMiXyZ?oc=5", "CBMiXyZ"),
        ("https://news.google.com/articles/CBMiXyZ", "CBMiXyZ"),
        ("https://news.google.com/read/CBMiXyZ?hl=en-US&gl=US&ceid=US%3Aen", "CBMiXyZ"),
        ("https://news.google.com/__i/rss/rd/articles/CBMiXyZ?oc=5", "CBMiXyZ"),
        ("https://news.google.com/topics/CAAqJggKIiBDQkFTRWdvSUwy?hl=en-US", None),
        ("https://www.google.com/rss/articles/CBMiXyZ", None),
        ("https://streamledger.example/articles/CBMiXyZ", None),
        ("https://[::1/articles/x", None),
    ],
)
def test_google_news_id(url: str, expected: str | None) -> None:
    assert google_news_id(url) == expected


def test_google_news_page_url_is_the_rss_form_with_a_locale() -> None:
    page = google_news_page_url(NEW_ID)

    assert page == f"https://news.google.com/rss/articles/{NEW_ID}?hl=en-US&gl=US&ceid=US%3Aen"
    assert google_news_id(page) == NEW_ID


# Resolving a new id over HTTP: the article page signs the request, batchexecute answers it.


def test_parse_google_news_page_reads_signature_and_timestamp_of_the_article_element() -> None:
    """The fixture also holds a decoy element with a timestamp and no signature; it must be passed over."""
    assert parse_google_news_page(_fixture("google_news_article.html")) == (
        "AVpWKhaWy_zjH7qm-0okFkLhKMjt094x",
        "1753290011",
    )


def test_parse_google_news_page_unescapes_and_takes_single_quotes() -> None:
    page = "<div jscontroller='aLI87' data-n-a-ts='1753290011' data-n-a-sg='AVp&amp;x_9'></div>"

    assert parse_google_news_page(page) == ("AVp&x_9", "1753290011")


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Before you continue to Google</title></head><body>consent</body></html>",
        '<div data-n-a-sg="AVpWK"></div><div data-n-a-ts="1753290011"></div>',  # not on one element
        '<div data-n-a-sg="AVpWK" data-n-a-ts="soon"></div>',
        '<div data-n-a-sg="" data-n-a-ts="1753290011"></div>',
        "",
    ],
)
def test_parse_google_news_page_gives_none_without_both_attributes(page: str) -> None:
    assert parse_google_news_page(page) is None


def test_batchexecute_request_is_the_fbv4je_garturlreq_call() -> None:
    url, headers, body = batchexecute_request(NEW_ID, "AVpWKhaWy_zjH7qm-0okFkLhKMjt094x", "1753290011")

    assert url == GOOGLE_NEWS_BATCHEXECUTE == "https://news.google.com/_/DotsSplashUi/data/batchexecute"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded;charset=UTF-8"
    form = parse_qs(body, strict_parsing=True)
    assert list(form) == ["f.req"]
    [[[rpc_id, request, _, envelope_id]]] = json.loads(form["f.req"][0])
    assert (rpc_id, envelope_id) == ("Fbv4je", "generic")
    name, context, article_id, timestamp, signature = json.loads(request)
    assert (name, article_id, timestamp, signature) == (
        "garturlreq",
        NEW_ID,
        1753290011,  # a number in the request, not a string
        "AVpWKhaWy_zjH7qm-0okFkLhKMjt094x",
    )
    assert isinstance(context, list)
    assert "US:en" in context[0]


def test_batchexecute_request_hands_out_its_own_headers() -> None:
    _, headers, _ = batchexecute_request(NEW_ID, "sig", "1")
    headers["User-Agent"] = "aoud-tracker"

    assert "User-Agent" not in batchexecute_request(NEW_ID, "sig", "1")[1]


def test_batchexecute_request_refuses_a_timestamp_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="timestamp"):
        batchexecute_request(NEW_ID, "sig", "soon")


def test_parse_batchexecute_reads_the_chunked_answer() -> None:
    """Google answers with length lines between arrays; the `\\u0026` inside is an `&`."""
    assert parse_batchexecute(_fixture("batchexecute_response.txt")) == f"{HERALD}?no=88140&ref=gnews"


def test_parse_batchexecute_reads_the_plain_answer() -> None:
    inner = json.dumps(["garturlres", LEDGER, 1])
    answer = ")]}'\n\n" + json.dumps([["wrb.fr", "Fbv4je", inner, None, None, None, "generic"], ["di", 12]])

    assert parse_batchexecute(answer) == LEDGER


def test_parse_batchexecute_result_is_a_publisher_url_unwrap_keeps() -> None:
    url = parse_batchexecute(_fixture("batchexecute_response.txt"))

    assert url is not None
    assert unwrap(url) == Unwrapped(url, "", resolved=True)


@pytest.mark.parametrize(
    "answer",
    [
        "",
        ")]}'",
        "<html><title>429 Too Many Requests</title></html>",
        ')]}\'\n\n184\n[["wrb.fr","Fbv4je","[\\"garturl',  # cut off
        ')]}\'\n\n[["wrb.fr","Fbv4je",null,null,null,[3],"generic"],["di",9]]',  # the call failed
        ')]}\'\n\n[["er",null,null,null,null,400,null,null,null,3],["di",12]]',
        ')]}\'\n\n[["wrb.fr","Other1","[\\"garturlres\\",\\"https://x.example/\\"]",null,null,null,"generic"]]',
        ')]}\'\n\n[["wrb.fr","Fbv4je","[\\"garturlres\\",\\"javascript:alert(1)\\",1]",null,null,null,"1"]]',
        ')]}\'\n\n[["wrb.fr","Fbv4je","not json",null,null,null,"generic"]]',
    ],
)
def test_parse_batchexecute_gives_none_without_a_publisher_url(answer: str) -> None:
    assert parse_batchexecute(answer) is None


def test_the_fixture_page_is_for_the_id_it_signs() -> None:
    """The saved page, the id in it and the request built from it must agree."""
    page = _fixture("google_news_article.html")
    signature, timestamp = parse_google_news_page(page) or ("", "")
    _, _, body = batchexecute_request(NEW_ID, signature, timestamp)

    assert f'data-n-a-id="{NEW_ID}"' in page
    assert google_news_id(google_news_page_url(NEW_ID)) == NEW_ID
    assert quote(NEW_ID) in body
