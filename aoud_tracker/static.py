"""Serving files from one folder over HTTP as a careful static server does.

Shared by the sample sites and `aoud-tracker serve`:
- ETag and Last-Modified on every answer, and 304 to a conditional request. An
  If-Modified-Since at or after the file's time counts as not modified, because some readers
  send their own clock's time.
- gzip when the client asks for it, with its own ETag and `Vary: Accept-Encoding`; each version
  of a file is compressed once and kept (GzipCache), as a server's precompressed files or a CDN's
  cache are.
- Never a file outside the folder: `..`, encoded or not, and symlinks out of it give 404.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import mimetypes
import threading
from collections import OrderedDict
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar, Final
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from pathlib import Path

logger = logging.getLogger(__name__)

CONTENT_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".opml": "text/x-opml; charset=utf-8",
}
COMPRESSIBLE: Final = ("text/", "application/xml", "application/json", "application/rss", "application/atom",
                       "application/feed+json")  # fmt: skip
MIN_GZIP_BYTES: Final = 512
GZIP_CACHE_BYTES: Final = 64 << 20  # 2,000 pages of the median real news page, compressed


class GzipCache:
    """Compressed bodies by the ETag of what they compress, least recently used out first once
    they weigh more than `budget` bytes. Compressing a 103 KB page at gzip's level 9 took 5.3 ms;
    the benchmark's server, doing it on every request, spent about 15 s of CPU serving a 2,000-page
    crawl, on the two CPUs the crawl it served had (benchmarks/crawl.py)."""

    def __init__(self, budget: int = GZIP_CACHE_BYTES) -> None:
        self.budget, self.size = budget, 0
        self.bodies: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()  # the server answers on a thread per request

    def compressed(self, etag: str, data: bytes) -> bytes:
        with self.lock:
            body = self.bodies.get(etag)
            if body is not None:
                self.bodies.move_to_end(etag)
                return body
        body = gzip.compress(data, mtime=0)
        with self.lock:
            if etag not in self.bodies:
                self.bodies[etag] = body
                self.size += len(body)
            while self.size > self.budget and self.bodies:
                self.size -= len(self.bodies.popitem(last=False)[1])
        return body


class StaticHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files under `root`; subclasses choose content and content types."""

    root: ClassVar[Path]
    index_file: ClassVar[str] = "index.html"
    gzipped: ClassVar[GzipCache] = GzipCache()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def resolve(self) -> Path | None:
        """The file for the request path, never outside the root folder."""
        path = unquote(urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return None
        if target.is_dir():
            target = target / self.index_file
        return target if target.is_file() else None

    def body_of(self, target: Path) -> bytes:
        """The bytes served for a file (the sample sites fill in their addresses here)."""
        return target.read_bytes()

    def content_type(self, target: Path) -> str:
        return content_type_of(target)

    def not_found(self) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, "No such file")

    def respond(self, send_body: bool) -> None:
        target = self.resolve()
        if target is None:
            self.not_found()
            return
        self.send_file(
            self.body_of(target), self.content_type(target), int(target.stat().st_mtime), send_body
        )

    def send_file(self, data: bytes, content_type: str, modified: int, send_body: bool) -> None:
        """Answer with the data, or 304 when the client already has it; gzip it when asked."""
        compress = accepts_gzip(self.headers.get("Accept-Encoding", "")) and compressible(data, content_type)
        etag = etag_of(data, gzipped=compress)
        if not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified
        ):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(modified, usegmt=True))
            self.end_headers()
            return
        body = self.gzipped.compressed(etag, data) if compress else data
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.send_header("Vary", "Accept-Encoding")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def content_type_of(target: Path) -> str:
    """The Content-Type a file is served with: ours for feed and text formats, else the system's guess."""
    return (
        CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    )


def compressible(data: bytes, content_type: str) -> bool:
    """Whether a body is worth gzipping: text of some size (an image is compressed already)."""
    return len(data) >= MIN_GZIP_BYTES and content_type.startswith(COMPRESSIBLE)


def etag_of(data: bytes, *, gzipped: bool) -> str:
    """A strong ETag for the body; its gzipped version has its own (a cache must not mix them up)."""
    digest = hashlib.sha1(data).hexdigest()[:16]
    return f'"{digest}-gzip"' if gzipped else f'"{digest}"'


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, modified: int) -> bool:
    """Whether a conditional request's validators say the client has this version (If-None-Match
    first; an If-Modified-Since at or after the file's time counts)."""
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return etag in tags or if_none_match.strip() == "*"
    if if_modified_since:
        try:
            return modified <= int(parsedate_to_datetime(if_modified_since).timestamp())
        except (TypeError, ValueError):
            return False
    return False


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header lists gzip with a weight above 0 (`gzip;q=0.5` counts, `q=0` not)."""
    for part in accept_encoding.split(","):
        name, _, weight = part.replace(" ", "").lower().partition(";q=")
        if name == "gzip":
            try:
                return float(weight or 1) > 0
            except ValueError:
                return False
    return False


class QuietServer(ThreadingHTTPServer):
    """A threaded server that takes a client hanging up (a crawler's timeout) in its stride."""

    daemon_threads = True
    # socketserver's listen backlog is 5: a crawler opening 16 connections at once on a busy
    # machine overflows it, the kernel drops the SYNs, and each connection waits out TCP's
    # one-second retransmission. 168 of them in one benchmark crawl; nginx listens with 511.
    request_queue_size = 511

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("client %s went away", client_address, exc_info=True)
