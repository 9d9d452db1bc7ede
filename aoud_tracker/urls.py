"""URL identity: one key for every address under which the same article is served.

`clean_url` removes what never changes the page (tracking parameters, fragments, default
ports) and stays fetchable; `url_key` goes further (scheme, www/m/amp hosts, AMP paths,
trailing slashes, index files) and is only ever compared, never fetched.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tld import get_fld
from w3lib.url import canonicalize_url

TRACKING_PARAMS: Final = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "sr_share",
        "spm",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "amp",
        "outputtype",
        "s_cid",
        "smid",
        "soc_src",
        "soc_trk",
    }
)
TRACKING_PREFIXES: Final = ("utm_", "pk_", "mtm_", "hmb_", "ga_", "at_")
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_HOST_VARIANTS: Final = re.compile(r"^(?:www\d?|m|mobile|amp|amp-cdn)\.")
_AMP_PATH: Final = re.compile(r"(?:^/amp(?=/)|/amp/?$|\.amp(?=\.html?$)|/amp(?=/[^/]+$))")
_INDEX_FILE: Final = re.compile(r"/index\.(?:html?|php|aspx?)$")
_PLAIN_NETLOC: Final = re.compile(r"(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::\d+)?")


def is_tracking_param(name: str) -> bool:
    """True for query parameters that only say where a click came from."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=4096)  # a page's URL is cleaned when it is queued, fetched, deduped and stored
def clean_url(url: str) -> str:
    """The URL without tracking parameters, fragment or default port, host lowercased."""
    parts = urlsplit(url.strip())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    )
    cleaned = urlunsplit((parts.scheme.lower(), _netloc(parts), parts.path or "/", query, ""))
    try:
        return canonicalize_url(cleaned)
    except ValueError:  # a host w3lib refuses (from 2.6: "ex|ample.com"): cleaned, not canonical
        return cleaned


def _netloc(parts: SplitResult) -> str:
    """Host lowercased, without a trailing dot, user or default port; an IPv6 literal in brackets."""
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()) else None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    return f"{host}:{port}" if port else host


@lru_cache(maxsize=4096)
def url_key(url: str) -> str:
    """The identity of the page behind a URL: equal keys mean the same article."""
    parts = urlsplit(clean_url(url))
    host = _main_host(parts.netloc)
    path = _AMP_PATH.sub("", parts.path)
    path = _INDEX_FILE.sub("/", path).rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def _main_host(netloc: str) -> str:
    """The host without a www/m/amp prefix, unless that would leave only a top-level domain."""
    stripped = _HOST_VARIANTS.sub("", netloc)
    return stripped if "." in stripped.split(":")[0] or stripped.startswith("[") else netloc


@lru_cache(maxsize=4096)  # asked several times for each page (its own URL, its canonical)
def site_of(url: str) -> str:
    """The host a URL belongs to, without www/m/amp prefixes, with its port if not default.

    A plain host (letters, digits, dots, hyphens; an IPv6 literal) is the cleaned URL's without
    cleaning the rest (w3lib's canonicalisation of the path and query was most of a page's
    `_canonical`); any other goes through `clean_url`, whose canonicalisation encodes a Unicode
    host (IDNA), reads a backslash as a path's start, and from w3lib 2.6 decodes a percent-escape
    in a host."""
    stripped = url.strip()
    if stripped.isascii() and "\\" not in stripped:
        netloc = _netloc(urlsplit(stripped))
        if _PLAIN_NETLOC.fullmatch(netloc):
            return _main_host(netloc)
    return _main_host(urlsplit(clean_url(url)).netloc)


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on one site (mobile and AMP hosts count as the site)."""
    return site_of(url) == site_of(other)


def domain_of(url: str) -> str:
    """The registrable domain a URL belongs to (news.bbc.co.uk → bbc.co.uk, from the Public Suffix
    List bundled with `tld`), with its port if not default; an IP address or a bare host is its own
    domain. What a redirect may not leave: a publisher moves pages between its own hosts."""
    parts = urlsplit(clean_url(url))
    domain = get_fld(parts.geturl(), fail_silently=True) or (parts.hostname or "")
    port = parts.port
    return f"{domain}:{port}" if port else str(domain)


def same_domain(url: str, other: str) -> bool:
    """True when both URLs belong to one registrable domain (and port)."""
    return domain_of(url) == domain_of(other)


def absolute(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL for `href` on a page at `base`, or None for anything else."""
    if not href or not href.strip():
        return None
    joined = urljoin(base, href.strip())
    return joined if urlsplit(joined).scheme in ("http", "https") else None
