"""An article's main text: trafilatura's, cleaned of page furniture and completed when it stopped short.

Three steps: 1. trafilatura's text; 2. lines that are furniture, not reporting ("Read more: …",
newsletter prompts, share buttons, related headlines that are links elsewhere on the page,
bare URLs, copyright lines, the headline repeated); 3. when the page's article container
holds one run of paragraphs that step 1 missed (a body split around an ad slot), those
paragraphs are added.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Final

import trafilatura
from lxml import etree

if TYPE_CHECKING:
    from lxml import html as lxml_html

logger = logging.getLogger(__name__)

_FURNITURE: Final = re.compile(
    r"^(?:read more|read also|also read|related(?: articles?| stories| posts?| content)?|more|see also"
    r"|also on \S+|most read\b.*|recommended(?: for you)?|comments?|\d+ comments?"
    r"|share(?: this)?(?: article| story| post)?|share (?:on|via) \w+|like this story\?.*|sign up\b.*"
    r"|subscribe\b.*|.*\bnewsletter|tell us what you think.*|thanks for signing up!?"
    r"|keep an eye on your inbox.*|advertisement|advertising|sponsored(?: content)?|source:.*"
    r"|tempo de leitura.*|reading time.*|\d+ min(?:ute)?s? read|updated:? .*\d{1,2}:\d{2}.*"
    r"|click here\b.*|follow us\b.*|(?:photo|image|credit|picture)s?:.*|leia (?:também|mais).*"
    r"|watch:.*|listen:.*|download:.*|order reprints|print article|tags?"
    r"|this copy is for your personal, non-commercial use.*|관련 ?기사|기사 ?더보기|많이 본 뉴스)$",
    re.IGNORECASE,
)
_LEAD_IN: Final = re.compile(
    r"^(?:read more|related|more|also on \S+|see also|read also|recommended|관련 ?기사)\s*[:\-–]\s*", re.I
)
_BYLINE: Final = re.compile(
    r"^(?:posted|published|updated|written|by|von|par|입력|기사입력)\b(?:\s+\S+){0,10}$", re.IGNORECASE
)
_URL_LINE: Final = re.compile(r"^\S+://\S+$")
_COPYRIGHT: Final = re.compile(r"©|\bcopyright\b|무단 ?전재|재배포 ?금지", re.IGNORECASE)
_CONTAINER_CLASS: Final = re.compile(
    r"article[-_]?(?:body|content|text|chunks)|story[-_]?(?:body|content)|entry[-_]?content"
    r"|post[-_]?(?:body|content)|body__container|articlebody",
    re.IGNORECASE,
)
_NOT_BODY: Final = frozenset({"aside", "nav", "footer", "figure", "figcaption", "header", "form", "button"})
MIN_ADDED_WORDS: Final = 100


def main_text(page: str, url: str, tree: lxml_html.HtmlElement, title: str, headlines: set[str]) -> str:
    """The article's paragraphs as plain text separated by blank lines."""
    try:
        # fast: without trafilatura's readability/jusText second opinions, which our own
        # furniture filter and missed-paragraph check replace at a fraction of the cost
        text = trafilatura.extract(page, url=url, include_comments=False, deduplicate=False, fast=True)
    except (ValueError, TypeError, etree.LxmlError):  # trafilatura's own parse can still fail
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        text = None
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = without_furniture([line for line in lines if line], tree, headlines)
    lines = lines[_lines_above_headline(lines, tree, title) :]
    lines += missed_paragraphs(lines, tree)
    return "\n\n".join(lines)


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def without_furniture(lines: list[str], tree: lxml_html.HtmlElement, headlines: set[str]) -> list[str]:
    """Drop the lines that are page furniture rather than reporting."""
    links = {text for a in tree.iter("a") if len((text := _squash(a.text_content())).split()) >= 3}
    squashed_headlines = {_squash(h) for h in headlines if h}
    kept = []
    for index, line in enumerate(lines):
        text = _squash(line).strip(" -•·*|")
        core = _LEAD_IN.sub("", text)
        furniture = (
            _FURNITURE.match(text) is not None
            or (core in links and (core != text or len(lines) > 3))  # a related headline, linked
            or (index < 3 and text in squashed_headlines)  # the headline repeated above the text
            or (index < 2 and _BYLINE.match(text) is not None)
            or _URL_LINE.match(text) is not None
            or (len(text) < 120 and _COPYRIGHT.search(text) is not None)
        )
        if not furniture:
            kept.append(line)
    return kept


def _lines_above_headline(lines: list[str], tree: lxml_html.HtmlElement, title: str) -> int:
    """How many leading lines sit above the headline in the page: a blog's tagline, a kicker.

    The story starts below its headline; text the page prints before it belongs to the site.
    """
    headline = _position(tree, "//h1[normalize-space(.) = $text] | //h2[normalize-space(.) = $text]", {title})
    if headline is None:
        return 0
    above = 0
    for line in lines[:3]:
        position = _position(tree, "//*[normalize-space(.) = $text]", {line})
        if position is None or position >= headline:
            break
        above += 1
    return above


def _position(tree: lxml_html.HtmlElement, query: str, texts: set[str]) -> int | None:
    """Document position (elements before it) of the first element whose text is one of `texts`."""
    positions = [
        int(found[0].xpath("count(preceding::*)"))
        for text in texts
        if len(text) >= 8 and (found := tree.xpath(query, text=" ".join(text.split())))
    ]
    return min(positions, default=None)


def _shingles(text: str) -> set[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    return {tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3))} if tokens else set()


def missed_paragraphs(lines: list[str], tree: lxml_html.HtmlElement) -> list[str]:
    """Paragraphs of the article container that the extractor missed, when they form one run.

    One run of at least 100 words, more than half as long as what was found, is a body split
    around an ad slot or a layout block; scattered misses are the extractor's deliberate cuts.
    """
    words = sum(len(line.split()) for line in lines)
    paragraph_words = len(" ".join(tree.xpath("//p//text()")).split())
    if paragraph_words < words * 1.5 + MIN_ADDED_WORDS:
        return []  # the page's paragraphs hold too little beyond what was found: nothing to look for
    found = _shingles(" ".join(lines))
    paragraphs = _container_paragraphs(tree)
    covered = [len(_shingles(p) & found) >= len(_shingles(p)) / 2 for p in paragraphs]
    missing = [p for p, seen in zip(paragraphs, covered, strict=True) if not seen]
    runs = sum(1 for i, seen in enumerate(covered) if not seen and (i == 0 or covered[i - 1]))
    added = sum(len(p.split()) for p in missing)
    return missing if runs == 1 and added >= MIN_ADDED_WORDS and added > words / 2 else []


def _container_paragraphs(tree: lxml_html.HtmlElement) -> list[str]:
    """The <p> texts of the outermost article container holding the most prose (one pass)."""
    containers = set(tree.xpath('//*[@itemprop="articleBody"] | //article'))
    containers.update(
        e
        for e in tree.xpath(
            '//*[contains(@class, "rticle") or contains(@class, "tory") or contains(@class, "ntry")'
            ' or contains(@class, "ost") or contains(@class, "ody")]'
        )
        if _CONTAINER_CLASS.search(e.get("class") or "")
    )
    if not containers:
        return []
    groups: dict[lxml_html.HtmlElement, list[str]] = {}
    for p in tree.iter("p"):
        outermost = None
        for ancestor in p.iterancestors():
            if ancestor.tag in _NOT_BODY:
                outermost = None
                break
            if ancestor in containers:
                outermost = ancestor
        if outermost is None:
            continue
        text = " ".join(p.text_content().split())
        linked = sum(len(a.text_content()) for a in p.iter("a"))
        if len(text.split()) >= 6 and linked <= len(text) / 2:
            groups.setdefault(outermost, []).append(text)
    return max(groups.values(), key=lambda texts: sum(len(t.split()) for t in texts), default=[])
