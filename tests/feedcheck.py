"""What a feed validator would flag, checked on published files: RSS 2.0, Atom 1.0 (RFC 4287), JSON Feed 1.1.

Every check returns a list of problems, each naming the file and the element, so a test can
assert the list is empty and show everything wrong at once.
"""

from __future__ import annotations

import email.utils
import json
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import feedparser
from lxml import etree

if TYPE_CHECKING:
    from pathlib import Path

ATOM = "{http://www.w3.org/2005/Atom}"


def problems(path: Path, served_at: str) -> list[str]:
    """Every problem of one feed file, read as the format its name says."""
    data = path.read_bytes()
    if path.suffix == ".json":
        return _json_feed(path.name, data, served_at)
    found = []
    parsed = feedparser.parse(data)
    if parsed.bozo:
        found.append(f"{path.name}: feedparser: {parsed.get('bozo_exception')}")
    root = etree.fromstring(data)
    found += (
        _atom(path.name, root, served_at) if root.tag == f"{ATOM}feed" else _rss(path.name, root, served_at)
    )
    return found


def _rss(name: str, root: etree._Element, served_at: str) -> list[str]:
    found = []
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return [f"{name}: not an RSS 2.0 document"]
    for required in ("title", "link", "description"):
        if not (channel.findtext(required) or "").strip():
            found.append(f"{name}: channel/{required} missing")
    found += _self_link(name, channel.findall(f"{ATOM}link"), served_at)
    for field in ("lastBuildDate", "pubDate"):
        if (value := channel.findtext(field)) is not None and not _rfc822(value):
            found.append(f"{name}: channel/{field} {value!r} is not an RFC 822 date")
    if channel.findtext("ttl") is None:
        found.append(f"{name}: channel/ttl missing")
    guids = []
    for index, item in enumerate(channel.findall("item")):
        where = f"{name}: item[{index}]"
        if not (item.findtext("title") or item.findtext("description")):
            found.append(f"{where} has neither title nor description")
        guid = item.findtext("guid")
        if not guid:
            found.append(f"{where}/guid missing")
        guids.append(guid)
        if (link := item.findtext("link")) and not _absolute(link):
            found.append(f"{where}/link {link!r} is not absolute")
        if (value := item.findtext("pubDate")) is not None and not _rfc822(value):
            found.append(f"{where}/pubDate {value!r} is not an RFC 822 date")
    return found + _unique(name, guids)


def _atom(name: str, root: etree._Element, served_at: str) -> list[str]:
    found = []
    for required in ("id", "title", "updated"):
        if not (root.findtext(f"{ATOM}{required}") or "").strip():
            found.append(f"{name}: feed/{required} missing")
    found += _self_link(name, root.findall(f"{ATOM}link"), served_at)
    if not _rfc3339(root.findtext(f"{ATOM}updated") or ""):
        found.append(f"{name}: feed/updated is not an RFC 3339 date")
    ids = []
    for index, entry in enumerate(root.findall(f"{ATOM}entry")):
        where = f"{name}: entry[{index}]"
        for required in ("id", "title", "updated"):
            if not (entry.findtext(f"{ATOM}{required}") or "").strip():
                found.append(f"{where}/{required} missing")
        for field in ("updated", "published"):
            if (value := entry.findtext(f"{ATOM}{field}")) is not None and not _rfc3339(value):
                found.append(f"{where}/{field} {value!r} is not an RFC 3339 date")
        for link in entry.findall(f"{ATOM}link"):
            if not _absolute(link.get("href", "")):
                found.append(f"{where}/link {link.get('href')!r} is not absolute")
        ids.append(entry.findtext(f"{ATOM}id"))
    return found + _unique(name, ids)


def _json_feed(name: str, data: bytes, served_at: str) -> list[str]:
    try:
        document = json.loads(data)
    except ValueError as exc:
        return [f"{name}: not JSON ({exc})"]
    found = []
    if document.get("version") != "https://jsonfeed.org/version/1.1":
        found.append(f"{name}: version is not JSON Feed 1.1")
    if not document.get("title"):
        found.append(f"{name}: title missing")
    if document.get("feed_url") != served_at:
        found.append(f"{name}: feed_url {document.get('feed_url')!r} is not where it is served ({served_at})")
    items = document.get("items")
    if not isinstance(items, list):
        return [*found, f"{name}: items missing"]
    for index, item in enumerate(items):
        where = f"{name}: items[{index}]"
        if not isinstance(item.get("id"), str) or not item["id"]:
            found.append(f"{where}/id missing")
        if not (item.get("content_html") or item.get("content_text")):
            found.append(f"{where} has no content_html or content_text")
        if item.get("url") and not _absolute(item["url"]):
            found.append(f"{where}/url is not absolute")
        for field in ("date_published", "date_modified"):
            if field in item and not _rfc3339(item[field]):
                found.append(f"{where}/{field} is not an RFC 3339 date")
    return found + _unique(name, [item.get("id") for item in items])


def _self_link(name: str, links: list[etree._Element], served_at: str) -> list[str]:
    selves = [link.get("href") for link in links if link.get("rel") == "self"]
    if selves != [served_at]:
        return [f"{name}: rel=self is {selves}, not where it is served ({served_at})"]
    return []


def _unique(name: str, ids: list[str | None]) -> list[str]:
    repeated = sorted({i for i in ids if ids.count(i) > 1 and i})
    return [f"{name}: ids used twice: {repeated}"] if repeated else []


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "file") and bool(parts.netloc or parts.scheme == "file")


def _rfc822(value: str) -> bool:
    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False


def _rfc3339(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None and "T" in value
    except ValueError:
        return False
