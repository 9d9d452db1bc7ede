"""A page's own description of itself: JSON-LD, OpenGraph and article meta, microdata, <title>.

Sources are read in order of trust (JSON-LD, then meta tags, then microdata and <time>,
then the document title); the first non-empty value of each field wins.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml import html as lxml_html

ARTICLE_TYPES: Final = frozenset(
    {
        "NewsArticle",
        "Article",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "Report",
        "TechArticle",
        "SocialMediaPosting",
        "LiveBlogPosting",
        "ScholarlyArticle",
        "PressRelease",
    }
)
# Not WebSite: SEO plugins put the site-wide WebSite node in every page's @graph.
LISTING_TYPES: Final = frozenset(
    {
        "CollectionPage",
        "SearchResultsPage",
        "ItemList",
        "ProfilePage",
        "VideoObject",
        "VideoGallery",
        "ImageGallery",
    }
)


COMMENT_NAMES: Final = re.compile(r"comments?|comment[-_][a-z_-]+|commentlist|disqus_thread")
TIME_STAMPS: Final = "//article//time/@datetime | //time[@pubdate]/@datetime"
TITLE_SEPARATORS: Final = re.compile(r"\s+[|–—·:-]\s+|\s+[-|]{2}\s+")


@dataclass
class PageMeta:
    """Raw metadata strings as the page states them (dates are parsed later)."""

    title: str = ""
    description: str = ""
    author: str = ""
    site_name: str = ""
    language: str = ""
    canonical: str = ""
    image: str = ""
    published: str = ""
    modified: str = ""
    page_type: str = ""
    article_body: str = ""

    def fill(self, other: PageMeta) -> None:
        """Take each field from `other` that is still empty here."""
        for spec in fields(self):
            if not getattr(self, spec.name):
                setattr(self, spec.name, getattr(other, spec.name))


def read_metadata(tree: lxml_html.HtmlElement) -> PageMeta:
    """Collect the page's metadata, most trusted source first."""
    meta = json_ld(tree)
    for reader in (meta_tags, microdata, document_basics):
        meta.fill(reader(tree))
    return meta


def _text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join((html.unescape(value) if "&" in value else value).split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _names(value: Any) -> list[str]:
    """Names from a schema.org Person/Organization, a list of them, or plain strings."""
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        return [_text(value.get("name"))] if _text(value.get("name")) else []
    return [_text(value)] if _text(value) and not _text(value).startswith("http") else []


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """Follow {"@id": …} references to the full nodes elsewhere in the graph."""
    if isinstance(value, list):
        return [_resolve(item, by_id) for item in value]
    if isinstance(value, dict) and "name" not in value and value.get("@id") in by_id:
        return by_id[value["@id"]]
    return value


def _url(value: Any) -> str:
    if isinstance(value, list):
        return next((u for u in map(_url, value) if u), "")
    if isinstance(value, dict):
        return _text(value.get("url") or value.get("@id") or value.get("contentUrl"))
    return _text(value)


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    values = kind if isinstance(kind, list) else [kind]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _ld_nodes(tree: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads(script.text_content() or "null", strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, dict):
                yield node
                graph = node.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [])
            elif isinstance(node, list):
                stack.extend(node)


def json_ld(tree: lxml_html.HtmlElement) -> PageMeta:
    """Metadata from the first JSON-LD article node (in @graph too; @id references followed)."""
    meta = PageMeta()
    nodes = list(_ld_nodes(tree))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and len(node) > 1}
    for node in nodes:
        types = _types(node)
        if types & ARTICLE_TYPES:
            publisher = node.get("publisher")
            return PageMeta(
                title=_text(node.get("headline") or node.get("name")),
                description=_text(node.get("description")),
                author=", ".join(dict.fromkeys(_names(_resolve(node.get("author"), by_id)))),
                site_name=(_names(_resolve(publisher, by_id)) or [""])[0],
                language=_text(node.get("inLanguage")),
                canonical=_url(node.get("mainEntityOfPage")) or _url(node.get("url")),
                image=_url(node.get("image")),
                published=_text(node.get("datePublished") or node.get("dateCreated")),
                modified=_text(node.get("dateModified")),
                page_type=sorted(types & ARTICLE_TYPES)[0],
                article_body=_text(node.get("articleBody")),
            )
        if types & LISTING_TYPES and not meta.page_type:
            meta.page_type = sorted(types & LISTING_TYPES)[0]
    return meta


def _meta_index(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """Every <meta> content by its property, name or itemprop (lowercased), in page order."""
    index: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = _text(element.get("content"))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            if key := (element.get(attribute) or "").strip().lower():
                index.setdefault(key, []).append(content)
    return index


def _first(index: dict[str, list[str]], *keys: str, skip_urls: bool = False) -> str:
    for key in keys:
        for content in index.get(key, ()):
            if not (skip_urls and content.startswith(("http://", "https://", "/"))):
                return content
    return ""


def meta_tags(tree: lxml_html.HtmlElement) -> PageMeta:
    """OpenGraph, article:* and classic <meta name> tags, plus rel=canonical."""
    index = _meta_index(tree)
    og_type = _first(index, "og:type")
    canonical = tree.xpath('//link[translate(@rel, "CANONIAL", "canonial")="canonical"]/@href')
    author = _first(
        index, "article:author", "author", "byl", "sailthru.author", "parsely-author", skip_urls=True
    )
    return PageMeta(
        title=_first(index, "og:title", "twitter:title"),
        description=_first(index, "og:description", "description", "twitter:description"),
        author=re.sub(r"^[Bb]y\s+", "", author),
        site_name=_first(index, "og:site_name", "application-name"),
        language=_first(index, "og:locale", "language", "content-language"),
        canonical=_text(canonical[0]) if canonical else _first(index, "og:url"),
        image=_first(index, "og:image", "twitter:image"),
        published=_first(
            index,
            "article:published_time",
            "og:article:published_time",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
        ),
        modified=_first(index, "article:modified_time", "og:updated_time", "dcterms.modified"),
        page_type="" if og_type in ("", "article") else og_type,
    )


def microdata(tree: lxml_html.HtmlElement) -> PageMeta:
    """schema.org microdata (itemprop) and the first <time datetime> inside an article."""
    values: dict[str, str] = {}
    for element in tree.xpath("//*[@itemprop]"):
        name = element.get("itemprop", "").strip()
        if name in values or name not in ("headline", "author", "datePublished", "dateModified"):
            continue
        if name == "author":  # a Person block: its name, not its whole bio
            element = next(iter(element.xpath('.//*[@itemprop="name"]')), element)
        if value := _text(element.get("content") or element.get("datetime") or element.text_content()):
            values[name] = value
    times = [stamp for stamp in tree.xpath(TIME_STAMPS) if not in_comments(stamp.getparent())]
    return PageMeta(
        title=values.get("headline", ""),
        author=values.get("author", ""),
        published=values.get("datePublished") or (_text(times[0]) if times else ""),
        modified=values.get("dateModified", ""),
    )


def is_comments(element: lxml_html.HtmlElement) -> bool:
    """Whether the element holds readers' comments (by its class or id)."""
    names = f"{element.get('class', '')} {element.get('id', '')}".lower().split()
    return any(COMMENT_NAMES.fullmatch(name) for name in names)


def in_comments(element: lxml_html.HtmlElement) -> bool:
    """Whether a <time> sits in the readers' comments: a comment's date is not the article's."""
    return is_comments(element) or any(is_comments(node) for node in element.iterancestors())


def document_basics(tree: lxml_html.HtmlElement) -> PageMeta:
    """<title>, <html lang> and the headings: the headline is the heading that <title> repeats.

    Blogs often put the site's name in <h1> and the post's in <h2>; <title> usually holds
    "Post headline - Site name", so the heading found inside <title> is the headline and
    what is left of <title> is the site's name. A heading that is only the last part of
    <title> is the masthead, not the story.
    """
    title_element = tree.find(".//title")
    page_title = _text(title_element.text_content()) if title_element is not None else ""
    parts = [p.strip() for p in TITLE_SEPARATORS.split(page_title) if p.strip()]
    trailer = parts[-1].lower() if len(parts) > 1 else None  # site names trail: "Headline | Site"
    language = _text(tree.get("lang"))
    masthead = ""
    for heading in sorted(
        (_text(h.text_content()) for h in tree.xpath("//h1 | //h2")[:8]), key=len, reverse=True
    ):
        lowered = heading.lower()
        if len(heading) < 8 or lowered not in page_title.lower():
            continue
        if lowered == trailer:
            masthead = heading
            continue
        start = page_title.lower().index(lowered)
        site = (page_title[:start] + page_title[start + len(heading) :]).strip(" |-–—·:")
        return PageMeta(title=heading, site_name=site if 0 < len(site) <= 60 else "", language=language)
    headline = max((p for p in parts if p.lower() != masthead.lower()), key=len, default="")
    if masthead and headline:  # "Site – Site" (a home page) names no headline
        return PageMeta(title=headline, site_name=masthead, language=language)
    first_h1 = next((_text(h.text_content()) for h in tree.xpath("//h1")), "")
    return PageMeta(title=first_h1 or page_title, language=language)
