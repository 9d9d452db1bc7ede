"""Who wrote it: the page's stated author, cleaned; else the byline trafilatura finds in the page.

Stated authors are often not people: the site itself ("STERN.de"), a wire credit ("Rob Picheta,
CNN"), a profile blurb glued to the name, an e-mail address. Those parts are removed; what is
left must look like names, or the page's visible byline is used instead.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from lxml import html as lxml_html

logger = logging.getLogger(__name__)

MAX_NAME_WORDS: Final = 5
_PREFIX: Final = re.compile(
    r"^(?:by|par|von|vom|por|di|door|av|author:?|autor:?|auteur:?|text:?|posted by|written by|words by"
    r"|artikel von|beitrag von|zum profil von|post author by|post author|기자|글)\s+",
    re.IGNORECASE,
)
_SUFFIX: Final = re.compile(r"\s*(?:기자|특파원|통신원)$")  # Korean bylines: "김하늘 기자" (reporter)
_SEPARATORS: Final = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\by\b|·)\s*", re.IGNORECASE)
_DEGREE: Final = re.compile(
    r"^(?:ph\.?\s?d\.?|m\.?d\.?|r\.?d\.?|mba|msc|bsc|ma|ba|jr\.?|sr\.?)$", re.IGNORECASE
)
_ORGANISATION: Final = re.compile(
    r"\.(?:com|net|org|de|at|ch|it|fr|uk|co|kr|jp|info|io)\b|\be\.\s?v\.|\bgmbh\b|\binc\b|\bltd\b"
    r"|\bagenc(?:y|ies)\b|\bnews\b|\bonline\b|@|https?://",
    re.IGNORECASE,
)
_ACRONYM: Final = re.compile(r"^[A-Z]{2,5}$")  # CNN, AP, AFP, DPA: wire credits, not writers


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def clean_author(raw: str, site_name: str = "") -> str:
    """The people in an author string, or "" when it names none."""
    text = _PREFIX.sub("", " ".join(raw.split()))
    site = _squash(site_name)
    parts = [_SUFFIX.sub("", _PREFIX.sub("", part.strip(" .:-–—"))) for part in _SEPARATORS.split(text)]
    people = []
    for name in parts:
        if not name or _DEGREE.match(name) or _ACRONYM.match(name) or _ORGANISATION.search(name):
            continue
        if site and len(parts) > 1 and _squash(name) in site:
            continue  # "Rob Picheta, CNN": the outlet credited next to its writer
        if len(name.split()) > MAX_NAME_WORDS:
            return ""  # a profile blurb, not a name
        people.append(name)
    return ", ".join(dict.fromkeys(people))


def article_author(tree: lxml_html.HtmlElement, stated: str, site_name: str) -> str:
    """The stated author if it names people, else the page's visible byline."""
    if author := clean_author(stated, site_name):
        return author
    from trafilatura.metadata import extract_author  # here: the crawl's process uses clean_author alone

    try:
        found = extract_author(tree)
    except (ValueError, TypeError, AttributeError):  # heuristics over odd trees
        logger.debug("byline search failed", exc_info=True)
        return ""
    return clean_author(found or "", site_name)
