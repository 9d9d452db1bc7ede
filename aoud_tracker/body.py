"""An article's main text: trafilatura's, cleaned of page furniture and completed when it stopped short.

Before the parse, markup that makes lxml and trafilatura drop the rest of a page is mended
(`mended_markup`: a stray `</html>`, nested forms, a `<title>` never closed). Then three steps:
1. trafilatura's text (forms that hold the story's paragraphs opened first: trafilatura deletes
forms); 2. lines that are furniture, not reporting ("Read more: …", newsletter prompts, share
buttons, related headlines that are links elsewhere on the page, bare URLs, copyright lines, the
headline repeated); 3. when the page's article container holds one run of paragraphs that step 1
missed (a body split around an ad slot), those paragraphs are added.
"""

from __future__ import annotations

import logging
import re
from copy import copy
from functools import cache
from typing import Final

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor

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

# Markup that makes parsers drop the rest of a page (see mended_markup).
_DOCUMENT_END: Final = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_TITLE_START: Final = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_END: Final = re.compile(r"</title\s*>", re.IGNORECASE)
_TAG_START: Final = re.compile(r"</?[a-zA-Z]")
# libxml2 loses the page after an XHTML doctype (one with a URL) and after a self-closed <html/>
_SLASHED_DOCTYPE: Final = re.compile(r"^\s*< ?! ?DOCTYPE[^>]*/[^<>]*>", re.IGNORECASE)
_SELF_CLOSED_HTML: Final = re.compile(r"(<html\b[^>]*?)\s*/>", re.IGNORECASE)
_HEAD_CHARS: Final = 4096
_FORM_ONLY: Final = re.compile(r"<(/?)form\b", re.IGNORECASE)
# form tags, and where scripts and comments open and close: a "<form>" in a JavaScript string is no form
_FORM_TAG: Final = re.compile(
    r"<(?P<open>script\b|!--)|(?P<close></script\s*>|-->)|<(?P<end>/?)form\b[^>]*>", re.IGNORECASE
)
# Prose that makes a form part of the story: a search, login or newsletter form has a line or two.
PROSE_FORM_WORDS: Final = 60
_PROSE_PARAGRAPH_WORDS: Final = 15


def mended_markup(text: str) -> str:
    """The markup without the end tags that make lxml and trafilatura drop the rest of a page.

    A `</html>` mid-page ends lxml's document and a `</body>` puts what follows outside the body,
    where a browser reads on (the HTML standard reopens the body): CMS templates glued together
    leave such tags behind. A form nested in a form, which browsers ignore, makes lxml close the
    outer one there; ASP.NET pages wrap everything in one form, and once split into small forms
    trafilatura deletes them with their paragraphs, so the nested start tag goes, with its end tag.
    A `<title>` never closed is closed where the next tag starts. An XHTML doctype and a
    self-closed `<html/>` at the top go (trafilatura mended those itself when it parsed the page).
    """
    head = _SELF_CLOSED_HTML.sub(r"\1>", _SLASHED_DOCTYPE.sub("", text[:_HEAD_CHARS], count=1), count=1)
    text = _closed_title(_DOCUMENT_END.sub("", head + text[_HEAD_CHARS:]))
    if not _has_nested_form(text):
        return text  # most pages: skip the slower pass that tells scripts and comments apart
    depth, dropped, inside = 0, [], ""
    for tag in _FORM_TAG.finditer(text):
        if inside or tag.group("end") is None:  # a script or a comment: wait for its own end
            opened, closed = tag.group("open"), tag.group("close")
            if inside and closed and (closed == "-->") == (inside == "!--"):
                inside = ""
            elif not inside and opened:
                inside = opened.lower()
            continue
        if tag.group("end"):  # </form>: only the one that closes the outermost form stays
            if depth != 1:
                dropped.append(tag.span())
            depth = max(depth - 1, 0)
        else:
            if depth:
                dropped.append(tag.span())
            depth += 1
    if not dropped:
        return text
    ends = [0, *(end for _, end in dropped)]
    starts = [*(start for start, _ in dropped), len(text)]
    return "".join(text[end:start] for end, start in zip(ends, starts, strict=True))


def _has_nested_form(text: str) -> bool:
    """True when a form tag opens inside another, counting the tags in scripts and comments too."""
    depth = 0
    for tag in _FORM_ONLY.finditer(text):
        depth = max(depth - 1, 0) if tag.group(1) else depth + 1
        if depth > 1:
            return True
    return False


def _closed_title(text: str) -> str:
    """A `<title>` never closed ends where the next tag starts: its text is read raw (RCDATA), so
    the parser took the whole page for the title and left no body."""
    start = _TITLE_START.search(text)
    if start is None or _TITLE_END.search(text, start.end()):
        return text
    tag = _TAG_START.search(text, start.end())
    end = tag.start() if tag else len(text)
    return f"{text[:end]}</title>{text[end:]}"


def main_text(url: str, tree: lxml_html.HtmlElement, title: str, headlines: set[str]) -> str:
    """The article's paragraphs as plain text separated by blank lines (story forms in `tree` become
    divs, and its scripts and style sheets are emptied: `_without_code`).

    trafilatura reads `tree` itself (it works on a copy): parsing the page a second time, as it
    does when given the markup, was a sixth of the extraction's time.
    """
    _opened_prose_forms(tree)
    _without_code(tree)
    try:
        text = trafilatura.extract(tree, options=_extraction_options(url))
    except (ValueError, TypeError, etree.LxmlError):  # trafilatura's own parse can still fail
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        text = None
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = without_furniture([line for line in lines if line], tree, headlines)
    lines = lines[_lines_above_headline(lines, tree, title) :]
    lines += missed_paragraphs(lines, tree)
    return "\n\n".join(lines)


def _extraction_options(url: str) -> Extractor:
    """trafilatura's options for the page at `url`: the process's one set, with the page's URL.

    Built for each call, they read trafilatura's configuration settings again: 42 µs a page,
    against 4 µs for this copy. trafilatura takes a set shared between calls (it copies one it
    changes).
    """
    options = copy(_shared_options())
    options.url = options.source = url
    return options


def _without_code(tree: lxml_html.HtmlElement) -> None:
    """Empty the page's scripts (JSON-LD aside) and style sheets before trafilatura reads `tree`.

    trafilatura copies the tree three or four times a page and then deletes them unread (of
    scripts it reads only JSON-LD): on a news page they are most of the bytes (bundled code,
    inline app state; 103 of a generated page's 108 KB), and a copy with them took 61 µs
    against 19 without. Emptied, not put back (putting a script's text back into the tree cost as
    much as a copy): the page's dates, which htmldate may find in scripts, are read before.
    """
    for element in tree.iter("script", "style"):
        if element.text and "json" not in (element.get("type") or "").lower():
            element.text = None


@cache
def _shared_options() -> Extractor:
    # fast: without trafilatura's readability/jusText second opinions, which our own furniture
    # filter and missed-paragraph check replace at a fraction of the cost
    return Extractor(fast=True, comments=False, dedup=False)


def _opened_prose_forms(tree: lxml_html.HtmlElement) -> None:
    """Turn the forms that hold the story's paragraphs into plain containers.

    trafilatura deletes every form holding less than half of the page's text (search, login and
    newsletter widgets) and keeps one that wraps the page (ASP.NET). A wrapper form cut short by
    broken markup, or a poll form around part of the story, took those paragraphs with it.
    """
    for form in list(tree.iter("form")):
        if form.find(".//input[@type='password']") is not None:
            continue  # a login form's notes are no story, however long
        words = [len(p.text_content().split()) for p in form.iter("p") if _is_prose(p)]
        if sum(n for n in words if n >= _PROSE_PARAGRAPH_WORDS) >= PROSE_FORM_WORDS:
            form.tag = "div"


def _is_prose(paragraph: lxml_html.HtmlElement) -> bool:
    """A paragraph that is mostly its own text, not link titles."""
    linked = sum(len(a.text_content()) for a in paragraph.iter("a"))
    return linked <= len(paragraph.text_content()) / 2


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
    Only the elements before the headline are compared with a line (the whole page's, each
    element's text normalized, cost a tenth of the extraction).
    """
    headline = _first(tree, "(//h1[normalize-space(.) = $text] | //h2[normalize-space(.) = $text])[1]", title)
    if headline is None:
        return 0
    before = ""  # the text before the headline, read once at most
    above = 0
    for line in lines[:3]:
        # An element above the headline holds a run of that text, so each word of a line it shows
        # is in it: a line whose longest word is not is not there (most lines, the story's own),
        # and the query, which normalizes every preceding element's text, is spared (196 -> 79 us).
        before = before or "".join(_TEXT_BEFORE(headline))
        if max(line.split(), key=len, default="") not in before:
            break
        if _first(headline, "preceding::*[normalize-space(.) = $text][1]", line) is None:
            break
        above += 1
    return above


_TEXT_BEFORE: Final = etree.XPath("preceding::text()", smart_strings=False)


def _first(node: lxml_html.HtmlElement, query: str, text: str) -> lxml_html.HtmlElement | None:
    """The first element `query` finds for `text` (whitespace normalized); None for short texts."""
    if len(text) < 8:
        return None
    found = node.xpath(query, text=" ".join(text.split()))
    return found[0] if found else None


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
