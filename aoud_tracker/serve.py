"""`aoud-tracker serve`: the feeds folder over HTTP, read-only, for feed readers on the machine or the LAN.

Every feed with the content type its format has, validators and 304s for readers' conditional
requests, gzip when asked (static.py), and at `/` a small page linking every feed and the digest.
Nothing outside the folder is ever served, and the server listens on 127.0.0.1 unless told
otherwise.
"""

from __future__ import annotations

import threading
from html import escape
from typing import TYPE_CHECKING, ClassVar, Final

from lxml import etree

from aoud_tracker.static import QuietServer, StaticHandler

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

FEED_TYPES: Final = {
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
}
INDEX_FILE: Final = "index.html"


class FeedsHandler(StaticHandler):
    """Serves the feeds folder; `/` is a page listing what is in it."""

    server_version = "aoud-tracker"
    title: ClassVar[str] = "aoud-tracker feeds"

    def content_type(self, target: Path) -> str:
        return feed_type(target.name) or super().content_type(target)

    def respond(self, send_body: bool) -> None:
        if self.path.split("?", 1)[0] in ("/", "/" + INDEX_FILE) and not (self.root / INDEX_FILE).is_file():
            files = list(_published(self.root))
            modified = max((int(f.stat().st_mtime) for f in files), default=0)
            page = index_page(self.root, files, self.title).encode("utf-8")
            self.send_file(page, "text/html; charset=utf-8", modified, send_body)
            return
        super().respond(send_body)


def feed_type(name: str) -> str:
    """A feed file's content type by its name ("atom.xml" and "*.atom.xml" are Atom), else ""."""
    if name == "atom.xml":
        return FEED_TYPES[".atom.xml"]
    return next((content_type for suffix, content_type in FEED_TYPES.items() if name.endswith(suffix)), "")


def _published(root: Path) -> Iterator[Path]:
    """The files a reader may want, not the temporary ones of a publish in progress."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
            yield path


def index_page(root: Path, files: list[Path], title: str) -> str:
    """One HTML page linking every feed (by format) and the digest, readable on a phone."""
    rows = []
    for path in files:
        name = path.relative_to(root).as_posix()
        kind = feed_type(path.name).split(";")[0]
        if path.name.startswith("digest."):
            kind = "digest"
        elif path.suffix == ".opml":
            kind = "OPML: every feed"
        rows.append(f'<li><a href="{escape(name)}">{escape(name)}</a> <small>{escape(kind)}</small></li>')
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42em;margin:1em auto;padding:0 1em}"
        "small{color:#666}</style>"
        f"<h1>{escape(title)}</h1><p>Subscribe to a feed, or import <a href=index.opml>index.opml</a> "
        f"to follow them all.</p><ul>{''.join(rows)}</ul></html>"
    )


def self_link(feeds_dir: Path) -> str | None:
    """Where the published main feed says it lives (its rel="self"), if it was published."""
    try:
        root = etree.parse(str(feeds_dir / "rss.xml")).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None
    links = root.xpath("//atom:link[@rel='self']/@href", namespaces={"atom": "http://www.w3.org/2005/Atom"})
    return str(links[0]) if links else None


def make_server(feeds_dir: Path, host: str = "127.0.0.1", port: int = 8080, title: str = "") -> QuietServer:
    """A server for the folder, bound but not yet serving (port 0 picks a free one)."""
    handler = type(
        "BoundFeedsHandler",
        (FeedsHandler,),
        {"root": feeds_dir.resolve(), "title": title or FeedsHandler.title},
    )
    return QuietServer((host, port), handler)


def serve_in_background(server: QuietServer) -> threading.Thread:
    """Serve on a daemon thread (tests and the demo); stop with server.shutdown()."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="feeds-server", daemon=True)
    thread.start()
    return thread
