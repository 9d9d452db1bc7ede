"""The bundled sample sites, served on 127.0.0.1: one HTTP server (and port) per site folder.

Each site folder is a static website. In every file served, `{{base:SITE}}` becomes that
site's base URL, so feeds, sitemaps and canonical links carry real absolute URLs whatever
port the site got. Responses carry ETag and Last-Modified and answer conditional requests
with 304, as a well-run news site does.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import threading
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from types import TracebackType

logger = logging.getLogger(__name__)

PLACEHOLDER: Final = re.compile(rb"\{\{base:([a-z0-9_-]+)\}\}")
CONTENT_TYPES: Final = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


def sample_sites_dir() -> Path:
    """The folder holding one sub-folder per sample site."""
    return Path(str(resources.files("aoud_tracker") / "demo" / "site"))


def demo_topic_template() -> Path:
    return Path(str(resources.files("aoud_tracker") / "demo" / "topic.toml"))


def fill_placeholders(data: bytes, base_urls: dict[str, str]) -> bytes:
    """Replace `{{base:SITE}}` with the site's base URL (unknown sites are left as they are)."""

    def base(match: re.Match[bytes]) -> bytes:
        site = match.group(1).decode("ascii")
        return base_urls[site].encode("ascii") if site in base_urls else match.group(0)

    return PLACEHOLDER.sub(base, data)


class SiteHandler(BaseHTTPRequestHandler):
    """Serves one site folder: path → file, `/` → index.html, query strings ignored."""

    root: ClassVar[Path]
    base_urls: ClassVar[dict[str, str]]
    server_version = "SampleSite/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def resolve(self) -> Path | None:
        """The file for the request path, never outside the site folder."""
        path = unquote(urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def respond(self, send_body: bool) -> None:
        target = self.resolve()
        if target is None:
            self.send_error(HTTPStatus.NOT_FOUND, "No such page")
            return
        data = fill_placeholders(target.read_bytes(), self.base_urls)
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        modified = int(target.stat().st_mtime)
        if self.not_modified(etag, modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        content_type = CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
        self.send_header("Content-Type", content_type or "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(modified, usegmt=True))
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def not_modified(self, etag: str, modified: int) -> bool:
        if (match := self.headers.get("If-None-Match")) is not None:
            return etag in [tag.strip() for tag in match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return modified <= int(parsedate_to_datetime(since).timestamp())
            except (TypeError, ValueError):
                return False
        return False


class QuietServer(ThreadingHTTPServer):
    """A threaded server that takes a client hanging up (a crawler's timeout) in its stride."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("client %s went away", client_address, exc_info=True)


class SampleSites:
    """Context manager: starts one server per site folder on 127.0.0.1, stops them on exit."""

    def __init__(self, root: Path | None = None, handler: type[SiteHandler] = SiteHandler) -> None:
        self.root = root or sample_sites_dir()
        self.handler = handler
        self.base_urls: dict[str, str] = {}
        self.servers: list[QuietServer] = []

    def __enter__(self) -> SampleSites:
        sites = sorted(p for p in self.root.iterdir() if p.is_dir())
        for site in sites:
            server = QuietServer(("127.0.0.1", 0), self.handler)
            self.servers.append(server)
            self.base_urls[site.name] = f"http://127.0.0.1:{server.server_address[1]}"
        for site, server in zip(sites, self.servers, strict=True):
            handler = type(
                f"{site.name}Handler", (self.handler,), {"root": site, "base_urls": self.base_urls}
            )
            server.RequestHandlerClass = handler
            threading.Thread(target=server.serve_forever, name=f"site-{site.name}", daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def render_topic(self, template: Path | None = None) -> str:
        """The demo topic file with the sample sites' real URLs filled in."""
        data = (template or demo_topic_template()).read_bytes()
        return fill_placeholders(data, self.base_urls).decode("utf-8")
