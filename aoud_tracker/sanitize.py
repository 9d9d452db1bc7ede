"""Making scraped text safe for feeds and pages: an HTML allow-list, then XML 1.0's character rules.

Everything a feed carries came from someone else's page. HTML goes through nh3 with a short
allow-list (never svg, math, style, script, iframe or event attributes; links only to http,
https and mailto). nh3 keeps characters XML 1.0 forbids, and one of them (a stray \\x0b from a
CMS) makes lxml refuse the whole feed, so they are removed after it, from plain text too.
"""

from __future__ import annotations

import re
from typing import Final

import nh3

ALLOWED_TAGS: Final = frozenset(
    {"a", "p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "blockquote", "q", "cite", "small",
     "h3", "h4", "img", "figure", "figcaption"}
)  # fmt: skip
ALLOWED_ATTRIBUTES: Final = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
URL_SCHEMES: Final = frozenset({"http", "https", "mailto"})
# XML 1.0 allows tab, newline and carriage return below 0x20, and no surrogates, U+FFFE or U+FFFF.
_XML_FORBIDDEN: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Plain text with every character XML 1.0 forbids removed (escaping is the writer's job)."""
    return _XML_FORBIDDEN.sub("", text)


def safe_html(html: str) -> str:
    """HTML reduced to the allow-list (scripts, styles, frames, SVG and handlers gone), XML-safe.

    `rel="noopener noreferrer"` is added to links so a feed reader that opens them in a new
    tab gives the scraped site no handle on the reader.
    """
    cleaned = nh3.clean(
        xml_text(html),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return xml_text(cleaned)
