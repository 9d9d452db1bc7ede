"""Documents the hostile sites serve: news article pages, RSS feeds, sitemaps, error pages.

Pure string building, no sockets: server.py decides how (and how badly) they are delivered.
"""

from __future__ import annotations

import functools
import itertools
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from typing import Final

from tests.hostile import prose

ROUTES: Final = ("f", "s")  # /f/… is listed only in a feed, /s/… only in a sitemap
ROUTE_NAMES: Final = {"f": "feed", "s": "sitemap"}
FIRST_DATE: Final = (datetime.now(UTC) - timedelta(days=2)).replace(minute=15, second=0, microsecond=0)
KST: Final = timedelta(hours=9)
SPARE_LINES: Final = 42  # pool lines 0–41 for articles a crawl may store, 42–48 for the others


@dataclass(frozen=True)
class Article:
    """One news article: what its page shows, and what a test expects to find stored."""

    url: str
    site_name: str
    headline: str  # the visible text (hostile headlines hold markup as text)
    paragraphs: tuple[str, ...]
    author: str
    published: datetime | None
    section: str = "K-Drama"
    language: str = "en"

    @property
    def summary(self) -> str:
        return self.paragraphs[0][:300]


@dataclass
class Catalogue:
    """Hands out pool lines and dates so that no two articles of one crawl's store tell one story."""

    site_name: str
    lines: itertools.count[int] = field(default_factory=itertools.count)  # shared by one crawl's sites
    korean: itertools.count[int] = field(default_factory=itertools.count)
    dates: itertools.count[int] = field(default_factory=itertools.count)

    def next_date(self) -> datetime:
        """A day earlier for each article, from two days ago (recent enough to be revisited)."""
        number = next(self.dates)
        return FIRST_DATE - timedelta(days=number, hours=number % 5)

    def story(self, url: str, key: str, route: str, author: str = "Lee Ha-eun") -> Article:
        """The article for story `key` as served on `route` (its own headline and pool line)."""
        feed_title, sitemap_title, lead = prose.LEADS[key]
        headline = feed_title if route == "f" else sitemap_title
        line = next(self.lines)
        assert line < SPARE_LINES, "more stored articles in one crawl than pool lines of their own"
        paragraphs = (lead, *prose.pool_paragraphs(line))
        return Article(url, self.site_name, headline, paragraphs, author, self.next_date())

    def spare(self, url: str, number: int, headline: str) -> Article:
        """A page the crawler should never store (never fetched, or refused): still a real story."""
        lead = prose.SPARE_LEADS[number % len(prose.SPARE_LEADS)]
        paragraphs = (lead, *prose.pool_paragraphs(SPARE_LINES + number % (49 - SPARE_LINES)))
        return Article(url, self.site_name, headline, paragraphs, "Choi Min-ji", self.next_date())

    def korean_story(self, url: str, key: str, route: str) -> Article:
        feed_title, sitemap_title = prose.KOREAN_HEADLINES[key]
        headline = feed_title if route == "f" else sitemap_title
        lead = prose.KOREAN_LEADS[key][0 if route == "f" else 1]
        paragraphs = (lead, *prose.korean_paragraphs(next(self.korean)))
        return Article(
            url, self.site_name, headline, paragraphs, "박서연 기자", self.next_date(), "연예", "ko"
        )


def headline(key: str, route: str) -> str:
    """The headline story `key` carries on `route` (what a test expects as the stored title)."""
    if key in prose.KOREAN_HEADLINES:
        return prose.KOREAN_HEADLINES[key][0 if route == "f" else 1]
    return prose.LEADS[key][0 if route == "f" else 1]


def _human(when: datetime, language: str) -> str:
    local = when + KST
    if language == "ko":
        return f"{local:%Y.%m.%d %H:%M}"
    return f"{local:%d %B %Y, %H:%M} KST"


def article_html(
    article: Article,
    *,
    title_html: str | None = None,
    head_extra: str = "",
    body_html: str | None = None,
    charset: str | None = "utf-8",
    author_html: str | None = None,
    date_text: str | None = None,
) -> str:
    """A news site's article page: masthead, navigation, the story, related links, footer.

    The keyword arguments replace a part by raw markup (already escaped, or deliberately not).
    """
    title = title_html if title_html is not None else escape(article.headline)
    author = author_html if author_html is not None else escape(article.author)
    published = date_text if date_text is not None else (
        article.published.isoformat() if article.published else ""
    )  # fmt: skip
    human = _human(article.published, article.language) if article.published and date_text is None else ""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    body = body_html if body_html is not None else paragraphs
    meta_date = f'<meta property="article:published_time" content="{published}">' if published else ""
    time_tag = f'<time datetime="{published}">{human or published}</time>' if published else ""
    meta_charset = f'<meta charset="{charset}">' if charset else ""
    byline = "기자" if article.language == "ko" else "By"
    return f"""<!DOCTYPE html>
<html lang="{article.language}">
<head>
{meta_charset}
<title>{title} | {escape(article.site_name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{escape(article.summary)}">
<meta name="author" content="{author}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{escape(article.site_name)}">
<meta property="og:url" content="{escape(article.url)}">
<meta property="og:image" content="/media/aoud-s2-still.jpg">
{meta_date}
<link rel="canonical" href="{escape(article.url)}">
<link rel="stylesheet" href="/static/site.css">
{head_extra}
</head>
<body>
<header class="masthead">
<a class="logo" href="/">{escape(article.site_name)}</a>
<nav><a href="/k-drama/">K-Drama</a> <a href="/streaming/">Streaming</a> <a href="/film/">Film</a>
<a href="/newsletter/">Newsletter</a></nav>
</header>
<main>
<article class="story">
<p class="kicker">{escape(article.section)}</p>
<h1>{title}</h1>
<p class="byline">{byline} <span class="author">{author}</span> · {time_tag}</p>
<figure><img src="/media/aoud-s2-still.jpg" alt="A still from the series" width="1200" height="675">
<figcaption>Photo: Netflix</figcaption></figure>
<div class="story-body">
{body}
</div>
</article>
<aside class="related"><h2>Most read</h2>
<ul><li><a href="/k-drama/winter-lineup.html">The Korean series to watch this winter</a></li>
<li><a href="/film/festival-report.html">Notes from the Busan festival</a></li></ul>
</aside>
</main>
<footer><p>Copyright 2026 {escape(article.site_name)}. All rights reserved.</p>
<p><a href="/about/">About us</a> · <a href="/privacy/">Privacy</a></p></footer>
</body>
</html>
"""


def not_found_html(site_name: str) -> str:
    """An honest 404 page (served with status 404)."""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Not found | {escape(site_name)}"
        "</title></head><body><h1>404 Not Found</h1><p>There is nothing at this address.</p></body></html>"
    )


def _rfc822(when: datetime | None) -> str:
    return f"<pubDate>{format_datetime(when.astimezone(UTC), usegmt=True)}</pubDate>" if when else ""


@dataclass(frozen=True)
class Entry:
    """One feed entry; `title` and the rest are text (escaped here), `raw_*` are inserted as they are."""

    link: str
    title: str
    published: datetime | None = None
    guid: str | None = None
    summary: str = ""
    author: str = ""
    raw_title: str | None = None
    raw_link: str | None = None
    raw_pubdate: str | None = None
    raw_summary: str | None = None


def rss(site_name: str, home: str, entries: list[Entry], *, prolog: str = "", channel_title: str = "") -> str:
    """An RSS 2.0 feed, as a WordPress-like CMS writes it."""
    items = []
    for entry in entries:
        title = entry.raw_title if entry.raw_title is not None else escape(entry.title)
        link = entry.raw_link if entry.raw_link is not None else escape(entry.link)
        guid = escape(entry.guid) if entry.guid is not None else link
        permalink = "false" if entry.guid is not None else "true"
        date = entry.raw_pubdate if entry.raw_pubdate is not None else _rfc822(entry.published)
        creator = f"<dc:creator>{escape(entry.author)}</dc:creator>" if entry.author else ""
        summary = entry.raw_summary if entry.raw_summary is not None else escape(entry.summary)
        items.append(
            f"<item><title>{title}</title><link>{link}</link>"
            f'<guid isPermaLink="{permalink}">{guid}</guid>{date}{creator}'
            f"<description>{summary}</description></item>"
        )
    joined = "\n".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>{prolog}
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{channel_title or escape(site_name)}</title>
<link>{escape(home)}/</link>
<description>K-drama and streaming news from {escape(site_name)}</description>
<language>en</language>
{joined}
</channel>
</rss>
"""


def entry_for(article: Article, guid: str | None = None) -> Entry:
    """The feed entry a CMS writes for an article (`guid`: a GUID that is not its link)."""
    return Entry(
        article.url,
        article.headline,
        article.published,
        guid=guid,
        summary=article.summary,
        author=article.author,
    )


def urlset(urls: list[tuple[str, str]], *, prolog: str = "") -> str:
    """A sitemap: (already escaped loc, lastmod text or "") pairs."""
    rows = "\n".join(
        f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
        for loc, lastmod in urls
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}\n</urlset>\n'
    )


def sitemap_index(locs: list[str]) -> str:
    rows = "\n".join(f"<sitemap><loc>{escape(loc)}</loc></sitemap>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}\n</sitemapindex>\n'
    )


def lastmod_of(article: Article) -> str:
    return article.published.isoformat() if article.published else ""


# ---- what is not an HTML page, served under article URLs ----------------------------------------


def pdf_document(lines: list[str]) -> bytes:
    """A small, well-formed PDF whose one page shows `lines` (a press kit a site links as .html)."""
    text = "\n".join(f"({line.replace('(', '[').replace(')', ']')}) Tj T*" for line in lines)
    stream = f"BT /F1 11 Tf 14 TL 50 780 Td\n{text}\nET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_image(width: int = 320, height: int = 180) -> bytes:
    """A valid grey-gradient PNG (a poster thumbnail)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((x + y) % 256 for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@functools.cache
def gzip_bomb(head: bytes, tail: bytes, size: int = 64 * 1024 * 1024) -> bytes:
    """gzip bytes that unpack to `size` bytes (`head`, spaces, `tail`), built 1 MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    parts = [packer.compress(head)]
    block = b" " * (1024 * 1024)
    for _ in range(size // len(block)):
        parts.append(packer.compress(block))
    parts += [packer.compress(tail), packer.flush()]
    return b"".join(parts)
