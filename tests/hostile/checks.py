"""Checking one contract case against a crawl: each point the contract names is checked, and one
failure message lists every point that is missing (so a red test says what to implement).

Contract: /tmp/issue9_contract.md. Every case ends in: the crawl goes on, the reason logged with
the URL (stderr at INFO and STORAGE/logs/aoud-tracker.log), a counter in CrawlRun.stats, nothing
wrong stored, every published feed valid, everything valid from the same crawl stored.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final

import feedparser
from lxml import etree
from lxml import html as lxml_html

from aoud_tracker.urls import url_key
from tests.feedcheck import problems

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from tests.hostile.crawls import Run
    from tests.hostile.server import HostileSites

PASSWD: Final = ("root:x:0:0", "daemon:x:", "/usr/sbin/nologin", "/bin/bash")
_feed_problems: dict[int, list[str]] = {}


def squash(text: str) -> str:
    """Text with its whitespace runs made single spaces (stores may rewrap paragraphs)."""
    return " ".join(text.split())


class Contract:
    """The points of one case (`case`: its number and name in the contract) checked on one run."""

    def __init__(self, case: str, run: Run, sites: HostileSites) -> None:
        self.case, self.run, self.sites = case, run, sites
        self.missing: list[str] = []

    def expect(self, ok: bool, point: str) -> bool:
        if not ok:
            self.missing.append(point)
        return ok

    def check(self) -> None:
        """Fail with every missing point of the contract, one a line."""
        points = "\n".join(f"  - {point}" for point in self.missing)
        assert not self.missing, f"contract case {self.case}: {len(self.missing)} point(s) missing:\n{points}"

    # ---- every case ---------------------------------------------------------------------------

    def went_on(self) -> None:
        """The crawl finished with exit code 0, stored every plain valid article, published valid feeds."""
        run = self.run
        if run.returncode is None:
            self.missing.append(
                f"the crawl went on: it was still running after {run.time_limit:.0f} s and was killed"
            )
        else:
            tail = " | ".join(run.stderr.strip().splitlines()[-3:])
            self.expect(run.returncode == 0, f"the crawl went on: exit code {run.returncode}, not 0 ({tail})")
        lost = [url for url in run.good if run.article(url) is None]
        self.expect(not lost, f"everything valid from the same crawl stored: not stored: {lost}")
        found = feed_problems(run)
        self.expect(not found, f"every published feed valid: {found[:5]}")

    # ---- the reason, logged with the URL, and counted ----------------------------------------

    def logged(self, urls: str | Iterable[str], *keywords: str) -> None:
        """A line naming (one of) the URL(s) and (one of) the keyword(s), in stderr and in the run log."""
        candidates = [urls] if isinstance(urls, str) else list(urls)
        for where in ("stderr", "log file"):
            if not any(self.run.log_lines(url, keywords, where) for url in candidates):
                said = [line for url in candidates for line in self.run.log_lines(url, ("",), where)]
                what = " or ".join(repr(k) for k in keywords)
                self.missing.append(
                    f"logged with the URL: no {where} line names {candidates[0]}"
                    + (f" (or {len(candidates) - 1} related URLs)" if len(candidates) > 1 else "")
                    + f" with {what}; lines naming it: {[line[-160:] for line in said[:3]]}"
                )

    def counted(self, keys: str | Iterable[str], at_least: int = 1) -> None:
        """The counter (or the sum of the counters) in the run's stats is at least `at_least`."""
        names = [keys] if isinstance(keys, str) else list(keys)
        total = sum(self.run.stat(key) for key in names)
        if total < at_least:
            nearby = {k: v for k, v in self.run.stats_under("aoud/").items() if _related(k, names)}
            self.missing.append(
                f"counted under {' + '.join(names)}: {total:g}, expected >= {at_least}; "
                f"related counters: {nearby}"
            )

    # ---- what reached the server, what was stored ---------------------------------------------

    def requested(self, site: str, path: str, times: int | None = None) -> int:
        """The server saw the path (exactly `times` times when given): the case was exercised."""
        seen = len(self.sites.hits(site, path, since=self.run.since))
        url = self.sites.url(site, path)
        if times is None:
            self.expect(seen > 0, f"case exercised: the server never saw a request for {url}")
        else:
            self.expect(seen == times, f"{url} requested {seen} time(s), expected exactly {times}")
        return seen

    def never_requested(self, site: str, path: str, why: str) -> None:
        seen = len(self.sites.hits(site, path, since=self.run.since))
        self.expect(seen == 0, f"{why}: {self.sites.url(site, path)} was requested {seen} time(s)")

    def stored(self, url: str) -> dict[str, Any] | None:
        row = self.run.article(url)
        self.expect(row is not None, f"stored: {url} is not in the store")
        return row

    def not_stored(self, url: str) -> None:
        row = self.run.article(url)
        title = row["title"][:80] if row else ""
        self.expect(row is None, f"nothing wrong stored: {url} was stored as an article ({title!r})")

    def nothing_stored_from(self, site: str) -> None:
        base = self.sites.base_urls[site] + "/"
        key = url_key(base)  # "127.0.0.1:PORT/": the canonical URL may differ from the fetched one
        found = [
            a["url"] for a in self.run.articles if a["url"].startswith(base) or a["url_key"].startswith(key)
        ]
        self.expect(not found, f"nothing wrong stored: articles stored from the {site} site: {found}")

    def nothing_stored_containing(self, needles: Iterable[str], why: str) -> None:
        texts = ("title", "body", "summary", "author", "site_name", "url")
        for needle in needles:
            found = [a["url"] for a in self.run.articles if any(needle in (a.get(t) or "") for t in texts)]
            self.expect(not found, f"nothing wrong stored ({why}): {needle!r} stored in {found}")

    def nothing_published_containing(self, needles: Iterable[str], why: str) -> None:
        files = [p for p in self.run.feeds.rglob("*") if p.is_file()]
        for needle in needles:
            hits = [p.name for p in files if needle.encode() in p.read_bytes()]
            self.expect(not hits, f"nothing wrong published ({why}): {needle!r} in {hits}")


def _related(key: str, names: list[str]) -> bool:
    parts = {part for name in names for part in name.split("/")[1:2]}
    return key.split("/")[1:2][0] in parts if "/" in key else False


def feed_problems(run: Run) -> list[str]:
    """feedcheck's problems over every published feed file (computed once per run)."""
    if id(run) not in _feed_problems:
        feeds = run.feeds
        files = sorted(p for p in feeds.rglob("*") if p.suffix in (".xml", ".json")) if feeds.exists() else []
        base = feeds.resolve().as_uri() + "/"
        found = [f"{feeds}: no feed was published"] if not files else []
        for path in files:
            try:
                found += problems(path, base + path.relative_to(feeds).as_posix())
            except (etree.XMLSyntaxError, ValueError) as error:
                found.append(f"{path.name}: {error}")
        _feed_problems[id(run)] = found
    return _feed_problems[id(run)]


def feed_titles(run: Run) -> dict[str, list[str]]:
    """The entry titles of the main feeds, per file (a '[Spoiler] ' label is not part of a title)."""
    titles: dict[str, list[str]] = {}
    for name in ("rss.xml", "atom.xml"):
        path = run.feeds / name
        parsed = feedparser.parse(path.read_bytes()) if path.exists() else None
        titles[name] = (
            [e.get("title", "").removeprefix("[Spoiler] ") for e in parsed.entries] if parsed else []
        )
    path = run.feeds / "feed.json"
    items = json.loads(path.read_text(encoding="utf-8"))["items"] if path.exists() else []
    titles["feed.json"] = [str(i.get("title", "")).removeprefix("[Spoiler] ") for i in items]
    return titles


def titles_linking_to(run: Run, url: str) -> dict[str, list[str]]:
    """For every published feed (main, per tag, claims), the titles of its entries linking to `url`."""
    found: dict[str, list[str]] = {}
    for path in sorted(run.feeds.rglob("*")) if run.feeds.exists() else []:
        name = path.relative_to(run.feeds).as_posix()
        if path.suffix == ".xml":
            entries = [
                (e.get("link"), e.get("title", "")) for e in feedparser.parse(path.read_bytes()).entries
            ]
        elif path.suffix == ".json":
            items = json.loads(path.read_text(encoding="utf-8")).get("items", [])
            entries = [(i.get("url"), str(i.get("title", ""))) for i in items]
        else:
            continue
        titles = [title.removeprefix("[Spoiler] ") for link, title in entries if link == url]
        if titles:
            found[name] = titles
    return found


# ---- active content in published files (case 20) --------------------------------------------------

_ACTIVE_URL: Final = re.compile(r"^\s*(javascript|vbscript):", re.IGNORECASE)
_WHITESPACE: Final = re.compile(r"[\x00-\x20]+")
_MARKDOWN_LINK: Final = re.compile(r"\]\(\s*<?\s*((?:javascript|vbscript):[^)]*)", re.IGNORECASE)


def _active_in_html(tree: Any, where: str) -> list[str]:
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag == "script":
            found.append(f"{where}: <script> element")
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1].lower().startswith("on"):
                found.append(f"{where}: <{tag} {name}=…> handler")
            if _ACTIVE_URL.match(_WHITESPACE.sub("", value)):
                found.append(f"{where}: <{tag} {name}={value[:40]!r}>")
    return found


def _active_in_fragment(markup: str, where: str) -> list[str]:
    if "<" not in markup and "javascript:" not in markup.lower():
        return []
    try:
        tree = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return _active_in_html(tree, where)


def active_content(path: Path) -> list[str]:
    """Script elements, on* attributes and javascript: URLs in a published file, including the HTML
    that feeds carry as text (RSS description, Atom content/summary, JSON Feed content_html)."""
    data = path.read_bytes()
    name = path.name
    if path.suffix in (".xml", ".opml"):
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        found = _active_in_html(root, name)
        for element in root.iter():
            if isinstance(element.tag, str) and element.text and _carries_html(element):
                found += _active_in_fragment(element.text, f"{name} <{element.tag.rsplit('}', 1)[-1]}> text")
        return found
    if path.suffix == ".json":
        found = []

        def walk(value: Any, key: str) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, k)
            elif isinstance(value, list):
                for v in value:
                    walk(v, key)
            elif isinstance(value, str):
                if _ACTIVE_URL.match(_WHITESPACE.sub("", value)):
                    found.append(f"{name}: {key} = {value[:40]!r}")
                if key.endswith("_html"):
                    found.extend(_active_in_fragment(value, f"{name} {key}"))

        walk(json.loads(data), "")
        return found
    if path.suffix in (".html", ".htm", ".md"):
        text = data.decode("utf-8", "replace")
        if not text.strip():
            return []
        links = [f"{name}: Markdown link to {m.group(1)[:40]!r}" for m in _MARKDOWN_LINK.finditer(text)]
        return links + _active_in_html(lxml_html.document_fromstring(text), name)
    return []


def _carries_html(element: Any) -> bool:
    """RSS description and content:encoded hold HTML; Atom text constructs when type="html"."""
    tag = element.tag.rsplit("}", 1)[-1]
    if tag in ("description", "encoded"):
        return True
    return tag in ("content", "summary", "title", "subtitle", "rights") and element.get("type") == "html"
