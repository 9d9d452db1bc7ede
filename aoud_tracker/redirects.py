"""Redirect wrappers in feed links: recover the publisher's URL, or name the wrapper to follow.

News-search feeds and social sites link to their own redirectors; `unwrap` decodes those that carry
the target in the URL. Google News ids minted since July 2024 are opaque: the `google_news_*`,
`batchexecute_*` and `parse_*` helpers build and read the two requests that resolve one over HTTP.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple
from urllib.parse import quote, unquote, urlencode, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from urllib.parse import SplitResult

MAX_DEPTH: Final = 5
GOOGLE_NEWS_BATCHEXECUTE: Final = "https://news.google.com/_/DotsSplashUi/data/batchexecute"


@dataclass(frozen=True)
class Unwrapped:
    """What a feed link stands for: `url` is http(s), or "" when the link was no http(s) URL at all.

    Resolved, `url` is the publisher's; unresolved, it is the wrapper still to follow over HTTP.
    `wrapper` names the innermost wrapper met (the last one decoded, or the one that could not be).
    """

    url: str
    wrapper: str
    resolved: bool


class _Found(NamedTuple):
    wrapper: str
    target: str | None  # None: recognised, but the target is not in the URL


def unwrap(url: str) -> Unwrapped:
    """The publisher's URL behind a feed link, peeling up to MAX_DEPTH nested wrappers."""
    current, wrapper, depth = url.strip(), "", 0
    if not is_http_url(current):
        return Unwrapped("", "", resolved=False)
    while (found := _recognise(current)) is not None:
        target = _clean_target(found.target or "")
        # A javascript:, file: or data: target is refused, not passed on: the wrapper is all we give.
        if depth == MAX_DEPTH or not is_http_url(target):
            return Unwrapped(current, found.wrapper, resolved=False)
        current, wrapper, depth = target, found.wrapper, depth + 1
    return Unwrapped(current, wrapper, resolved=True)


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only kind a spider may be sent to."""
    if _UNSAFE_CHARS.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


_UNSAFE_CHARS: Final = re.compile(r"[\x00-\x20\x7f]")
_DOUBLE_ENCODED: Final = re.compile(r"https?%3a", re.IGNORECASE)


def _recognise(url: str) -> _Found | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    for decoder in _DECODERS:
        if (found := decoder(host, parts)) is not None:
            return found
    return None


def _clean_target(target: str) -> str:
    """A decoded target as a fetchable URL: some wrappers encode twice, sloppy ones leave spaces."""
    target = target.strip()
    if _DOUBLE_ENCODED.match(target):
        target = unquote(target)
    return target.replace(" ", "%20")


def _query(query: str) -> dict[str, str]:
    """Query parameters, the first value winning. A '+' stays a '+': these values are URLs, not form text."""
    params: dict[str, str] = {}
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        params.setdefault(unquote(key), unquote(value))
    return params


class _ParamWrapper(NamedTuple):
    """A redirector that carries its target, percent-encoded, in a query parameter."""

    name: str
    host: str  # patterns that must match the whole host and the whole path
    path: str
    params: tuple[str, ...]
    marker: str = ""  # a `name=value` that tells this kind from the next one on the same path


_GOOGLE_HOST: Final = re.compile(r"(?:www\.)?google\.(?:com?\.)?[a-z]{2,3}")  # .com, .de, .co.kr, .com.au
_PARAM_WRAPPERS: Final = (
    _ParamWrapper("google_alerts", _GOOGLE_HOST.pattern, r"/url", ("url", "q"), "ct=ga"),
    _ParamWrapper("google_search", _GOOGLE_HOST.pattern, r"/url", ("url", "q")),
    _ParamWrapper("google_news", r"news\.google\.com", r"/news/url", ("url",)),  # the pre-2018 RSS links
    _ParamWrapper("bing_news", r"(?:www\.)?bing\.com", r"/news/apiclick\.aspx", ("url",)),
    _ParamWrapper("facebook", r"(?:l|lm|m|www|web)\.(?:facebook|messenger)\.com", r"/l\.php", ("u",)),
    _ParamWrapper("instagram", r"l\.instagram\.com", r"/?", ("u",)),
    _ParamWrapper("duckduckgo", r"(?:www\.|html\.|lite\.)?duckduckgo\.com", r"/l/?", ("uddg",)),
    _ParamWrapper("reddit", r"out\.reddit\.com", r"/.*", ("url",)),
    _ParamWrapper("tumblr", r"t\.umblr\.com", r"/redirect", ("z",)),
    _ParamWrapper("youtube", r"(?:www\.|m\.)?youtube\.com", r"/redirect", ("q",)),
    _ParamWrapper("linkedin", r"(?:www\.)?linkedin\.com", r"/redir/redirect/?", ("url",)),
    _ParamWrapper("vk", r"(?:m\.)?vk\.com", r"/away\.php", ("to",)),
    _ParamWrapper("slack", r"slack-redir\.net", r"/link", ("url",)),
    _ParamWrapper("steam", r"steamcommunity\.com", r"/linkfilter/?", ("url", "u")),
    _ParamWrapper("outlook_safelinks", r"[a-z0-9-]+\.safelinks\.protection\.outlook\.com", r"/.*", ("url",)),
)


def _from_param(host: str, parts: SplitResult) -> _Found | None:
    for spec in _PARAM_WRAPPERS:
        if not (re.fullmatch(spec.host, host) and re.fullmatch(spec.path, parts.path, re.IGNORECASE)):
            continue
        query = _query(parts.query)
        marker, _, value = spec.marker.partition("=")
        if marker and query.get(marker) != value:
            continue
        return _Found(spec.name, next((query[p] for p in spec.params if query.get(p)), None))
    return None


# Wrappers that carry the target in the path or in an encoding of their own.
def _from_href_li(host: str, parts: SplitResult) -> _Found | None:
    """href.li puts the target, unencoded, after the '?'."""
    return _Found("href_li", parts.query or None) if host == "href.li" else None


def _from_yahoo(host: str, parts: SplitResult) -> _Found | None:
    """Yahoo search clicks: `/_ylt=…/RV=2/RE=…/RU=<encoded target>/RK=2/RS=…`."""
    if host != "r.search.yahoo.com":
        return None
    target = next((s[3:] for s in parts.path.split("/") if s.startswith("RU=")), None)
    return _Found("yahoo", unquote(target) if target else None)


def _from_bing_click(host: str, parts: SplitResult) -> _Found | None:
    """Bing search clicks: `/ck/a?…&u=a1<base64url of the target>`."""
    if host not in ("bing.com", "www.bing.com") or parts.path != "/ck/a":
        return None
    encoded = _query(parts.query).get("u", "")
    raw = _b64url(encoded[2:]) if encoded.startswith("a1") else None
    return _Found("bing", _utf8(raw) if raw else None)


# Wrappers that keep the target on their server: the caller follows them over HTTP.
_SHORTENERS: Final = {"t.co", "bit.ly", "ow.ly", "buff.ly", "dlvr.it", "trib.al", "lnkd.in", "tinyurl.com"}


def _opaque(host: str, parts: SplitResult) -> _Found | None:
    if host in ("feedproxy.google.com", "feeds.feedburner.com") and parts.path.startswith("/~r/"):
        return _Found("feedburner", None)
    if host in _SHORTENERS and parts.path.strip("/"):
        return _Found("shortener", None)
    return None


# Any other redirector: a URL-valued parameter on a path that says it redirects.
_GENERIC_PARAMS: Final = (
    *("url", "u", "to", "target", "dest", "destination", "redirect", "redirect_url", "redir", "goto"),
    *("link", "q"),
)
_REDIRECT_PATH: Final = re.compile(  # the last path segment, extension and all
    r"(?:redirect|redir|r|l|url|out|away|click|go|goto|link|track|exit|outbound|external|jump|rd|visit)"
    r"(?:\.[a-z]+)?",
    re.IGNORECASE,
)


def _from_generic_param(host: str, parts: SplitResult) -> _Found | None:
    """Only on a redirect-looking path: an article's own share link (`/share?url=…`) is no wrapper."""
    if not _REDIRECT_PATH.fullmatch(parts.path.rstrip("/").rsplit("/", 1)[-1]):
        return None
    query = _query(parts.query)
    for name in _GENERIC_PARAMS:
        target = _clean_target(query.get(name, ""))
        if is_http_url(target):
            return _Found("generic_param", target)
    return None


# Google News article links.
_GOOGLE_NEWS_PATH: Final = re.compile(r"(?:/[^/]+)*/(?:articles|read)/([^/]+)/?")
_URL_FIELDS: Final = (4, 26)  # 4: the article's URL (or the new opaque token); 26: its AMP URL, if any
_NEW_FORMAT: Final = b"AU_yqL"
_BASE64URL: Final = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_FIXED_SIZES: Final = {1: 8, 5: 4}  # protobuf wire types 1 (64-bit) and 5 (32-bit)


def _from_google_news(host: str, parts: SplitResult) -> _Found | None:
    article_id = google_news_id(parts.geturl())
    return None if article_id is None else _Found("google_news", decode_google_news_id(article_id))


def google_news_id(url: str) -> str | None:
    """The article id in a news.google.com article link (`/rss/articles/`, `/articles/`, `/read/`)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    match = _GOOGLE_NEWS_PATH.fullmatch(parts.path) if parts.hostname == "news.google.com" else None
    return match[1] if match else None


def decode_google_news_id(article_id: str) -> str | None:
    """The publisher's URL inside a pre-2024 Google News id; None for the new opaque ids or a broken one.

    The id is unpadded base64url of a protobuf message: field 1 is a varint (0x13), field 4 the
    URL, field 26 an AMP URL (often empty). Since July 2024 field 4 holds an opaque token starting
    with "AU_yqL" that only Google's server can turn into a URL.
    """
    raw = _b64url(article_id)
    if raw is None:
        return None
    fields: dict[int, int | bytes] = {}
    try:
        for number, value in _protobuf_fields(raw):
            fields.setdefault(number, value)
    except ValueError:  # truncated varint, length past the end, unknown wire type
        return None
    for number in _URL_FIELDS:
        text = fields.get(number)
        url = _utf8(text) if isinstance(text, bytes) and not text.startswith(_NEW_FORMAT) else None
        if url is not None and is_http_url(url):
            return url
    return None


def _b64url(text: str) -> bytes | None:
    """The bytes of (unpadded) base64url text; None when the text is not base64url."""
    if not _BASE64URL.fullmatch(text):
        return None
    stripped = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except ValueError:  # binascii.Error: a length no base64 text can have
        return None


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _protobuf_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) for each field of a protobuf message; ValueError if it is malformed."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, pos = _varint(data, pos)
            yield number, value
            continue
        if wire_type == 2:
            size, pos = _varint(data, pos)
        elif wire_type in _FIXED_SIZES:
            size = _FIXED_SIZES[wire_type]
        else:
            raise ValueError(f"wire type {wire_type} does not exist")
        if pos + size > len(data):
            raise ValueError(f"field {number} runs past the end")
        yield number, data[pos : pos + size]
        pos += size


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if byte < 0x80:
            return value, pos
    raise ValueError("truncated varint")


# The two requests that resolve a new Google News id: the article page, then batchexecute.
# The client context Google's web app sends with `garturlreq`. Google checks the id, timestamp and
# signature; public decoders send placeholders here and still get answers.
_GARTURLREQ_CONTEXT: Final = json.loads(
    '[["en-US","US",["FINANCE_TOP_INDICES","WEB_TEST_1_0_0"],null,null,1,1,"US:en",null,1,null,null,null,'
    'null,null,0,1],"en-US","US",1,[1,1,1],1,1,null,0,0,null,0]'
)
_BATCHEXECUTE_HEADERS: Final = {
    "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
    "Referer": "https://news.google.com/",
}
_SIGNED_TAG: Final = re.compile(r"<[^<>]*\bdata-n-a-sg\s*=[^>]*>", re.IGNORECASE)
_DIGITS: Final = re.compile(r"[0-9]+")
_COMPACT: Final = (",", ":")  # JSON separators as Google's own client writes them
_XSSI_GUARD: Final = ")]}'"
_NOT_SPACE: Final = re.compile(r"\S")


def google_news_page_url(article_id: str) -> str:
    """The page whose `data-n-a-sg`/`data-n-a-ts` sign a batchexecute request for this id."""
    # The RSS form with a locale: `/articles/` and `/read/` send scripted clients to a "sorry" page.
    return f"https://news.google.com/rss/articles/{quote(article_id, safe='')}?hl=en-US&gl=US&ceid=US%3Aen"


def parse_google_news_page(page: str) -> tuple[str, str] | None:
    """(signature, timestamp) from the article page's element that carries both, or None."""
    for tag in _SIGNED_TAG.finditer(page):
        signature = _attribute(tag[0], "data-n-a-sg")
        timestamp = _attribute(tag[0], "data-n-a-ts")
        if signature and timestamp and _DIGITS.fullmatch(timestamp):
            return signature, timestamp
    return None


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(rf"\b{re.escape(name)}\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", tag)
    return html.unescape(match[1] if match[1] is not None else match[2]) if match else None


def batchexecute_request(article_id: str, signature: str, timestamp: str) -> tuple[str, dict[str, str], str]:
    """(url, headers, form body) of the POST that trades a signed Google News id for its URL."""
    if not _DIGITS.fullmatch(timestamp):
        raise ValueError(f"timestamp {timestamp!r} is not a number of seconds")
    request = ["garturlreq", _GARTURLREQ_CONTEXT, article_id, int(timestamp), signature]
    envelopes = [[["Fbv4je", json.dumps(request, separators=_COMPACT), None, "generic"]]]
    body = urlencode({"f.req": json.dumps(envelopes, separators=_COMPACT)})
    return GOOGLE_NEWS_BATCHEXECUTE, dict(_BATCHEXECUTE_HEADERS), body


def parse_batchexecute(text: str) -> str | None:
    """The publisher's URL in a batchexecute answer, plain or chunked; None if there is none."""
    body = text.lstrip()
    if body.startswith(_XSSI_GUARD):
        body = body[len(_XSSI_GUARD) :]
    for value in _json_values(body):
        for payload in _fbv4je_payloads(value):
            if (url := _garturlres(payload)) is not None:
                return url
    return None


def _json_values(text: str) -> Iterator[object]:
    """Each JSON value in turn: one array, or (the usual, chunked answer) length lines between arrays."""
    decoder, pos = json.JSONDecoder(), 0
    while (start := _NOT_SPACE.search(text, pos)) is not None:
        try:
            value, pos = decoder.raw_decode(text, start.start())
        except ValueError:
            return
        yield value


def _fbv4je_payloads(value: object) -> Iterator[str]:
    """The JSON text answering each Fbv4je call, however deep Google nests the envelopes."""
    if not isinstance(value, list):
        return
    if len(value) > 2 and value[0] == "wrb.fr" and value[1] == "Fbv4je" and isinstance(value[2], str):
        yield value[2]
        return
    for item in value:
        yield from _fbv4je_payloads(item)


def _garturlres(payload: str) -> str | None:
    try:
        answer = json.loads(payload)
    except ValueError:
        return None
    if isinstance(answer, list) and len(answer) > 1 and answer[0] == "garturlres":
        url = answer[1]
        return url if isinstance(url, str) and is_http_url(url) else None
    return None


_DECODERS: Final[tuple[Callable[[str, SplitResult], _Found | None], ...]] = (
    _from_google_news,
    _from_param,
    _from_href_li,
    _from_yahoo,
    _from_bing_click,
    _opaque,
    _from_generic_param,
)
