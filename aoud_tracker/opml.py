"""feeds/index.opml: every published feed in one OPML 2.0 file, so a reader subscribes to all at once.

No dates from the clock: the same feeds give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from aoud_tracker.sanitize import xml_text


@dataclass(frozen=True)
class Subscription:
    """One feed as an OPML outline: its title, its RSS address and the page it is about."""

    title: str
    xml_url: str
    html_url: str


def render_opml(title: str, subscriptions: list[Subscription]) -> bytes:
    """An OPML 2.0 document with one `rss` outline per subscription, in the given order."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = xml_text(title)
    body = ElementTree.SubElement(root, "body")
    for subscription in subscriptions:
        ElementTree.SubElement(
            body,
            "outline",
            type="rss",
            text=xml_text(subscription.title),
            title=xml_text(subscription.title),
            xmlUrl=subscription.xml_url,
            htmlUrl=subscription.html_url,
        )
    ElementTree.indent(root)
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
