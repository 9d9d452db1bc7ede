"""A hostile web on 127.0.0.1: one HTTP server (and port, so one "site") per robots.txt behaviour.

Built on the sample sites' `SiteHandler` (the shared access log with statuses) and `QuietServer`,
but every path is answered by a route function with raw control of the socket: stall after the
headers, reset the connection (SO_LINGER 0), stream 50 MB lazily, answer 503 first and 200 after.
Each request's arrival time and per-path number are recorded, so tests can check Retry-After and
Crawl-delay from the server's side. A "trap" port records any connection at all: it stands for
`ftp://` targets and XXE entities, which must never be reached.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final, NamedTuple
from urllib.parse import urlsplit

from aoud_tracker.demo.server import AccessLogEntry, SiteHandler, fill_placeholders
from aoud_tracker.static import QuietServer
from tests.hostile.pages import not_found_html

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from types import TracebackType

SITES: Final = ("main", "other", "polite", "robots503", "robotsslow", "gone", "bulk", "huge")
CHUNK: Final = b"<p>" + b"All of Us Are Dead Season 2 filler text. " * 1560 + b"</p>\n"  # ~64 KiB


class Hit(NamedTuple):
    """One request as the server saw it arrive."""

    site: str
    path: str
    at: float  # time.monotonic()
    number: int  # 1 for the first request of this site and path


@dataclass
class ServerState:
    """What every server thread shares: requests, bytes sent per response, the sites' phase."""

    hits: list[Hit] = field(default_factory=list)
    sent: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    phase: int = 1  # the "gone" site answers 404/410 from phase 2 on
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def record(self, site: str, path: str) -> int:
        with self.lock:
            number = self.counts[site, path] = self.counts.get((site, path), 0) + 1
            self.hits.append(Hit(site, path, time.monotonic(), number))
        return number

    def note_sent(self, site: str, path: str, size: int) -> None:
        with self.lock:
            self.sent.setdefault((site, path), []).append(size)


class HostileHandler(SiteHandler):
    """Answers each path with its route function; unknown paths get an honest 404."""

    site: ClassVar[str]
    routes: ClassVar[dict[str, Callable[[HostileHandler, int], None]]]
    state: ClassVar[ServerState]
    site_name: ClassVar[str] = "K-Screen Daily"
    server_version = "nginx/1.24.0"
    sys_version = ""

    def respond(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        number = self.state.record(self.site, path)
        route = self.routes.get(path)
        try:
            if route is None:
                self.send(404, not_found_html(self.site_name).encode())
            else:
                route(self, number)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True  # the crawler hung up first: what a hostile page wants

    # ---- ways to answer ---------------------------------------------------------------------

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(status, b"", headers=[("Location", location)])

    def stream(self, total: int, *, declare_length: bool) -> None:
        """A body of `total` bytes written 64 KiB at a time, never held in memory; counts what got out."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        sent = 0
        try:
            while sent < total and not self.state.stop.is_set():
                piece = CHUNK[: total - sent]
                self.wfile.write(piece)
                sent += len(piece)
        finally:
            self.state.note_sent(self.site, urlsplit(self.path).path, sent)
            self.close_connection = True

    def stall(self, start: bytes, declared: int, seconds: float) -> None:
        """Headers and the first bytes of the body, then nothing for `seconds`."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        self.wfile.write(start)
        self.wfile.flush()
        self.wait(seconds)
        self.close_connection = True

    def reset(self, start: bytes, declared: int) -> None:
        """Headers and part of the body, then a TCP reset (SO_LINGER 0): the connection dies mid-body."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        self.wfile.write(start)
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def wait(self, seconds: float) -> None:
        """Sleep, but wake up when the servers stop (threads must not outlive the test session long)."""
        self.state.stop.wait(seconds)


class HostileServer(QuietServer):
    """A QuietServer with room for a crawler's burst of connections (socketserver's default backlog
    of 5 drops SYNs under 32 concurrent requests, and the dropped ones time out at random)."""

    request_queue_size = 256


class Trap:
    """A port that must never be connected to: records every connection (ftp://, XXE targets)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        self.connections: list[str] = []
        self.thread = threading.Thread(target=self._accept, name="trap", daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(0.5)
                try:
                    first = connection.recv(200)
                except OSError:
                    first = b""
                self.connections.append(first.decode("latin-1"))


RouteTable = dict[str, "Callable[[HostileHandler, int], None]"]


class HostileSites:
    """Context manager: one hostile server per site of SITES on 127.0.0.1, plus the trap.

    `build_routes(sites)` is called once every base URL is known and returns each site's route table.
    """

    def __init__(self, build_routes: Callable[[HostileSites], dict[str, RouteTable]]) -> None:
        self.build_routes = build_routes
        self.base_urls: dict[str, str] = {}
        self.access_log: list[AccessLogEntry] = []  # SiteHandler appends (site, method, path, status)
        self.state = ServerState()
        self.servers: dict[str, HostileServer] = {}
        self.trap = Trap()

    def __enter__(self) -> HostileSites:
        for site in SITES:
            server = HostileServer(("127.0.0.1", 0), HostileHandler)
            self.servers[site] = server
            self.base_urls[site] = f"http://127.0.0.1:{server.server_address[1]}"
        tables = self.build_routes(self)
        for site, server in self.servers.items():
            server.RequestHandlerClass = type(
                f"{site.title()}Handler",
                (HostileHandler,),
                {
                    "site": site,
                    "root": Path(site),  # SiteHandler logs root.name as the site
                    "routes": tables.get(site, {}),
                    "state": self.state,
                    "base_urls": self.base_urls,
                    "access_log": self.access_log,
                },
            )
            threading.Thread(target=server.serve_forever, name=f"hostile-{site}", daemon=True).start()
        self.trap.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.state.stop.set()
        for server in self.servers.values():
            server.shutdown()
            server.server_close()
        self.trap.socket.close()

    @property
    def trap_url(self) -> str:
        return f"127.0.0.1:{self.trap.port}"

    def url(self, site: str, path: str) -> str:
        return self.base_urls[site] + path

    def render(self, template: str) -> str:
        """A topic (or any text) with `{{base:SITE}}` replaced by the sites' real addresses."""
        return fill_placeholders(template.encode("utf-8"), self.base_urls).decode("utf-8")

    def hits(self, site: str, path: str | None = None, since: int = 0) -> list[Hit]:
        """Requests the server saw (from the `since`-th on), for one site and optionally one path."""
        with self.state.lock:
            hits = self.state.hits[since:]
        return [h for h in hits if h.site == site and (path is None or h.path == path)]

    def paths(self, site: str, since: int = 0) -> set[str]:
        return {h.path for h in self.hits(site, since=since)}

    def mark(self) -> int:
        """A position in the request log: pass it as `since` to see only later requests."""
        with self.state.lock:
            return len(self.state.hits)
