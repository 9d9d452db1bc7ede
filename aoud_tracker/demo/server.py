"""The bundled sample sites, served on 127.0.0.1: one HTTP server (and port) per site folder.

Each site folder is a static website. In every file served, `{{base:SITE}}` becomes that
site's base URL, so feeds, sitemaps and canonical links carry real absolute URLs whatever
port the site got. Responses carry ETag and Last-Modified and answer conditional requests
with 304, as a well-run news site does.
"""

from __future__ import annotations

import logging
import re
import threading
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final, NamedTuple

from aoud_tracker.static import QuietServer, StaticHandler

if TYPE_CHECKING:
    from types import TracebackType

logger = logging.getLogger(__name__)

PLACEHOLDER: Final = re.compile(rb"\{\{base:([a-z0-9_-]+)\}\}")


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


class AccessLogEntry(NamedTuple):
    site: str
    method: str
    path: str
    status: int


class SiteHandler(StaticHandler):
    """Serves one site folder: path → file, `/` → index.html, query strings ignored."""

    base_urls: ClassVar[dict[str, str]]
    access_log: ClassVar[list[AccessLogEntry]]
    server_version = "SampleSite/1.0"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Every answer, kept as a web server's access log is (tests read which pages got a 304)."""
        status = int(code) if str(code).isdigit() else 0
        self.access_log.append(AccessLogEntry(self.root.name, self.command, self.path, status))
        super().log_request(code, size)

    def body_of(self, target: Path) -> bytes:
        return fill_placeholders(target.read_bytes(), self.base_urls)


class SampleSites:
    """Context manager: starts one server per site folder on 127.0.0.1, stops them on exit."""

    def __init__(self, root: Path | None = None, handler: type[SiteHandler] = SiteHandler) -> None:
        self.root = root or sample_sites_dir()
        self.handler = handler
        self.base_urls: dict[str, str] = {}
        self.servers: list[QuietServer] = []
        self.access_log: list[AccessLogEntry] = []  # appended to by every server thread

    def __enter__(self) -> SampleSites:
        sites = sorted(p for p in self.root.iterdir() if p.is_dir())
        for site in sites:
            server = QuietServer(("127.0.0.1", 0), self.handler)
            self.servers.append(server)
            self.base_urls[site.name] = f"http://127.0.0.1:{server.server_address[1]}"
        for site, server in zip(sites, self.servers, strict=True):
            handler = type(
                f"{site.name}Handler",
                (self.handler,),
                {"root": site, "base_urls": self.base_urls, "access_log": self.access_log},
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
