"""HTML page to Extracted article: title, body text, dates, author and the page's own metadata.

Pure (no Scrapy, no database). Stages: 1. decode bytes, 2. mend the markup that makes parsers
drop text (`body.mended_markup`), and parse, 3. read the page's own metadata, then cut a huge
page down to what the store could keep, 4. main text through trafilatura, 5. dates checked for
plausibility, 6. decide whether this is an article at all (or an error page served with 200).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Final

from lxml import etree
from lxml import html as lxml_html

from aoud_tracker.body import main_text, mended_markup
from aoud_tracker.byline import article_author
from aoud_tracker.dates import date_from_url, parse_date, plausible
from aoud_tracker.encoding import decode_html
from aoud_tracker.errorpages import error_page
from aoud_tracker.extracted import MIN_BODY_CHARS, Extracted, body_size
from aoud_tracker.metadata import ARTICLE_TYPES, LISTING_TYPES, TITLE_SEPARATORS, PageMeta, read_metadata
from aoud_tracker.pubdate import publication_date
from aoud_tracker.urls import absolute, same_site, site_of

logger = logging.getLogger(__name__)
# trafilatura and htmldate log every page they cannot use at WARNING/ERROR; we report those
# pages ourselves (status and reason), once, with the URL.
for _noisy in ("trafilatura", "htmldate"):
    logging.getLogger(_noisy).setLevel(logging.CRITICAL)

LISTING_TEASERS: Final = 4
_XML_DECLARATION: Final = re.compile(r"^\s*<\?xml[^>]*\?>")  # lxml refuses it in a str
# Characters XML forbids (lxml refuses a text holding them): C0 controls but tab, newline and
# carriage return, DEL, and the noncharacters U+FFFE and U+FFFF.
_CONTROL_BYTES: Final = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NONCHARACTERS: Final = ("\ufffe", "\uffff")
# Every stage after the parse costs time in proportion to the page, on the crawl's reactor thread.
# The store keeps at most AOUD_MAX_BODY_CHARS (200,000) characters of body, so text far past that
# is never kept: cut there, with room to spare for furniture the body filter removes.
MAX_TEXT_CHARS: Final = 500_000
MAX_ELEMENTS: Final = 30_000  # the largest of 700 real pages measured has 10,000
_NO_TEXT: Final = frozenset({"script", "style", "template", "noscript"})
# The parser trafilatura uses for itself: no comments or processing instructions in the tree
_PARSER: Final = lxml_html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
)
# Every element an HtmlElement, its class chosen in C: lxml.html's own choice (FormElement,
# InputElement…, which nothing here uses) is Python code run for each element object made, some
# 190 a page as trafilatura and we walk the tree.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity,
    )
)  # fmt: skip


def extract(
    page: str | bytes, url: str, *, content_type: str | None = None, now: datetime | None = None
) -> Extracted:
    """Pull the article out of a page; never raises on bad HTML (status says what went wrong)."""
    now = now or datetime.now(UTC)
    encoding, note, repaired = "", "", False
    if isinstance(page, bytes):
        decoded = decode_html(page, content_type)
        page, encoding, note, repaired = decoded.text, decoded.encoding, decoded.note, decoded.repaired
    text, control_chars = without_control_chars(page)
    text = mended_markup(text)
    tree = _parse(text)
    if tree is None:
        return Extracted(
            url,
            status="no_body",
            reason="the page does not parse as HTML",
            encoding=encoding,
            encoding_note=note,
            encoding_repaired=repaired,
            control_chars=control_chars,
        )
    meta = read_metadata(tree)  # from the whole page: JSON-LD may follow a huge body
    if (len(text) > MAX_TEXT_CHARS or text.count("<") > MAX_ELEMENTS) and _bounded(tree):
        logger.info("%s: page holds over %d characters of text; read up to there", url, MAX_TEXT_CHARS)
    site_name = meta.site_name or site_of(url)
    title = clean_title(meta.title, site_name)
    headlines = {title, meta.title, *(h.text_content() for h in tree.xpath("//h1"))}
    published = publication_date(tree, url, meta, now)  # first: main_text empties the scripts, where
    body = main_text(url, tree, title, headlines) or meta.article_body  # htmldate may find a date
    stated = parse_date(meta.published)
    refused = stated if stated is not None and plausible(stated, now=now) is None else None
    status, reason = classify(tree, meta, body, dated=bool(meta.published or date_from_url(url)))
    return Extracted(
        url=url,
        title=title,
        body=body,
        published_at=published.at,
        published_day=published.day,
        modified_at=plausible(parse_date(meta.modified), now=now),
        refused_date=refused,
        author=article_author(tree, meta.author, site_name)[:400],
        site_name=site_name[:200],
        language=_language(meta.language),
        canonical_url=_canonical(url, meta),
        description=meta.description,
        image=absolute(url, meta.image) or "",
        status=status,
        reason=reason,
        encoding=encoding,
        encoding_note=note,
        encoding_repaired=repaired,
        control_chars=control_chars,
    )


def _bounded(tree: lxml_html.HtmlElement) -> bool:
    """Cut the tree after MAX_TEXT_CHARS characters of text or MAX_ELEMENTS elements; True if cut.

    A 5 MB one-line body, one paragraph per sentence, took 7 s to extract. Script and style
    text does not count (inline app state of a few megabytes is common on real news pages), nor
    the whitespace around tags (half a megabyte of indentation on one real page).
    """
    seen = 0
    for count, element in enumerate(tree.iter()):
        visible = isinstance(element.tag, str) and element.tag not in _NO_TEXT
        seen += (len((element.text or "").strip()) if visible else 0) + len((element.tail or "").strip())
        if seen > MAX_TEXT_CHARS or count >= MAX_ELEMENTS:
            break
    else:
        return False
    excess = max(seen - MAX_TEXT_CHARS, 0)
    tail = element.tail or ""
    element.tail = tail[: max(len(tail) - excess, 0)]
    if visible and excess > len(tail):
        element.text = (element.text or "")[: max(len(element.text or "") - (excess - len(tail)), 0)]
    del element[:]  # slices: removing a flood of elements one by one took most of a second
    for node in (element, *element.iterancestors()):
        parent = node.getparent()
        if parent is not None:
            del parent[parent.index(node) + 1 :]
        if node is not element:
            node.tail = None
    return True


def without_control_chars(text: str) -> tuple[str, int]:
    """The text without the characters XML forbids, and how many went.

    Deleted from the text's UTF-8 bytes, where each control character is one byte that no other
    character's encoding holds: bytes.translate skips through a page at memory speed, where a
    regex class tests every character (0.42 against 0.73 ms on the corpus's real pages).
    """
    encoded = text.encode("utf-8", "surrogatepass")  # a lone surrogate in a broken page survives
    kept = encoded.translate(None, _CONTROL_BYTES)
    removed = len(encoded) - len(kept)
    if removed:
        text = kept.decode("utf-8", "surrogatepass")
    for noncharacter in _NONCHARACTERS:
        if noncharacter in text:
            removed += text.count(noncharacter)
            text = text.replace(noncharacter, "")
    return text, removed


def _parse(text: str) -> lxml_html.HtmlElement | None:
    if not text.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", text, count=1), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree if tree.find(".//body") is not None or len(tree) else None


def clean_title(title: str, site_name: str) -> str:
    """The headline without the site name that <title> and og:title often append."""
    parts = [part.strip() for part in TITLE_SEPARATORS.split(title) if part.strip()]
    if len(parts) > 1:
        site = _squashed(site_name)
        kept = [p for p in parts if _squashed(p) not in site]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    return title.strip()


def _squashed(text: str) -> str:
    """Lowercase letters and digits only: "Stream Ledger" matches "streamledger.example"."""
    return re.sub(r"\W+|_", "", text.lower())


def _language(value: str) -> str:
    match = re.match(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?", value.strip())
    return match[1].lower() if match else ""


def _canonical(url: str, meta: PageMeta) -> str:
    """The page's own canonical URL when it names the same site; else the fetched URL."""
    declared = absolute(url, meta.canonical)
    return declared if declared and same_site(declared, url) else url


def classify(tree: lxml_html.HtmlElement, meta: PageMeta, body: str, *, dated: bool) -> tuple[str, str]:
    """Decide ok / no_body / not_article or the kind of error page, with the reason a log line will carry."""
    if error := error_page(tree, meta, body, body_size(body), MIN_BODY_CHARS):
        return error
    declared_article = meta.page_type in ARTICLE_TYPES
    if not declared_article and (
        meta.page_type in LISTING_TYPES or meta.page_type.startswith(("video", "profile"))
    ):
        return "not_article", f"the page describes itself as {meta.page_type}"
    if body_size(body) < MIN_BODY_CHARS:
        return "no_body", f"main text is {len(body)} characters (needs {MIN_BODY_CHARS})"
    if not declared_article and (teasers := _teaser_count(tree)) >= LISTING_TEASERS:
        return "not_article", f"the page lists {teasers} linked headlines (a listing page)"
    if _is_link_list(tree, body):
        return "not_article", "the main text is mostly link titles (a listing page)"
    if meta.page_type == "website" and not (dated or meta.author):
        return "not_article", "a page of the site itself: og:type website, no date, no byline"
    return "ok", ""


def _teaser_count(tree: lxml_html.HtmlElement) -> int:
    """How many story teasers the page holds: <article> blocks, or headings that are links."""
    articles = len(tree.xpath("//article[.//a[@href]]"))
    heading_links = {
        " ".join(a.text_content().split())
        for a in tree.xpath("//*[self::h2 or self::h3 or self::h4]//a[@href]")
        if len(a.text_content().split()) >= 4
    }
    return max(articles, len(heading_links) - 2)  # an article may carry a few "related" headlines


def _is_link_list(tree: lxml_html.HtmlElement, body: str) -> bool:
    """True when most lines of the main text are the texts of links: a listing, not an article."""
    anchors = {" ".join(a.text_content().split()).lower() for a in tree.iter("a")}
    anchors.discard("")
    lines = [line.lower() for line in body.split("\n\n")]
    linked = sum(1 for line in lines if line in anchors)
    return len(lines) >= 4 and linked * 2 >= len(lines)
