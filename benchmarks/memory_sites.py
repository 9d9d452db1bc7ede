"""Generated sites served from memory by one asyncio thread: the web's stand-in for `crawl.py`.

The timed crawls and the sites they fetch share this machine's CPUs, which the real web does not:
a news site's servers run elsewhere. The sample sites' server (`aoud_tracker.demo.server`, a
thread per connection, every file read and filled in per request) spent 2.1-2.9 s of CPU serving
one 2,000-page crawl, taken from a pipeline that keeps both CPUs busy, against a raw Scrapy crawl
that leaves one idle. Here each file is read, filled in and given its ETags once, each version is
compressed once, and one thread answers every connection. The answers are the sample sites' own:
the same bodies, and the same content types, gzip, validators and 304s, from `aoud_tracker.static`.

Each answer closes its connection, as the sample sites' HTTP/1.0 server does, unless
`keep_alive` is set: `crawl.py --keep-alive` measures both crawls over persistent connections.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from email.utils import formatdate
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote, urlsplit

from aoud_tracker.demo.server import fill_placeholders
from aoud_tracker.static import GzipCache, accepts_gzip, compressible, content_type_of, etag_of, not_modified

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

NOT_FOUND: Final = b"No such file"


@dataclass(frozen=True)
class Answer:
    """One file as served: its body, content type, modification time and ETags (plain, gzipped)."""

    body: bytes
    content_type: str
    modified: int
    etag: str
    gzip_etag: str | None  # None: not worth compressing


class MemorySites:
    """Context manager: one listening port per site folder under `root`, on 127.0.0.1."""

    def __init__(self, root: Path, *, keep_alive: bool = False) -> None:
        self.root, self.keep_alive = root, keep_alive
        self.base_urls: dict[str, str] = {}
        self.servers: list[asyncio.Server] = []
        self.connections: set[asyncio.StreamWriter] = set()  # open ones, closed on exit
        self.gzipped = GzipCache(
            budget=sum(file.stat().st_size for file in root.rglob("*") if file.is_file())
        )
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="memory-sites", daemon=True)

    def __enter__(self) -> MemorySites:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self.loop).result()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    async def _listen(self) -> None:
        sites = sorted(folder for folder in self.root.iterdir() if folder.is_dir())
        for site in sites:
            server = await asyncio.start_server(
                lambda reader, writer, site=site: self._serve(site.name, reader, writer),
                "127.0.0.1", 0, backlog=511,
            )  # fmt: skip
            self.servers.append(server)
            self.base_urls[site.name] = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        self.answers = {site.name: self._answers(site) for site in sites}  # the addresses filled in

    async def _close(self) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.connections):
            connection.close()
        for server in self.servers:
            await server.wait_closed()

    def _answers(self, site: Path) -> dict[str, Answer]:
        answers = {}
        for file in site.rglob("*"):
            if file.is_file():
                body, kind = fill_placeholders(file.read_bytes(), self.base_urls), content_type_of(file)
                gzip_etag = etag_of(body, gzipped=True) if compressible(body, kind) else None
                answers[file.relative_to(site).as_posix()] = Answer(
                    body, kind, int(file.stat().st_mtime), etag_of(body, gzipped=False), gzip_etag
                )
        return answers

    async def _serve(self, site: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                writer.write(self._answer(site, head))
                await writer.drain()
                if not self.keep_alive:
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass  # the client hung up, or sent no request a server would read
        finally:
            self.connections.discard(writer)
            writer.close()

    def _answer(self, site: str, head: bytes) -> bytes:
        """The whole response to one request's head (its request line and headers)."""
        request_line, *lines = head.decode("latin-1").split("\r\n")
        method, target, *_ = [*request_line.split(" "), "", ""]
        fields = (line.partition(":") for line in lines)
        headers = {name.strip().lower(): value.strip() for name, _, value in fields}
        path = unquote(urlsplit(target).path).lstrip("/")
        answer = self.answers[site].get(path + "index.html" if path.endswith("/") or not path else path)
        if answer is None or method not in ("GET", "HEAD"):
            status = "404 Not Found" if method in ("GET", "HEAD") else "501 Not Implemented"
            plain = [("Content-Type", "text/plain")]
            return self._response(status, plain, NOT_FOUND, send_body=method != "HEAD")
        gzipped = answer.gzip_etag is not None and accepts_gzip(headers.get("accept-encoding", ""))
        etag = answer.gzip_etag if gzipped and answer.gzip_etag else answer.etag
        validators = [("ETag", etag), ("Last-Modified", formatdate(answer.modified, usegmt=True))]
        if not_modified(
            headers.get("if-none-match"), headers.get("if-modified-since"), etag, answer.modified
        ):
            return self._response("304 Not Modified", validators, b"", send_body=False)
        body = self.gzipped.compressed(etag, answer.body) if gzipped else answer.body
        fields = [("Content-Type", answer.content_type), *validators, ("Vary", "Accept-Encoding")]
        if gzipped:
            fields.append(("Content-Encoding", "gzip"))
        return self._response("200 OK", fields, body, send_body=method == "GET")

    def _response(
        self, status: str, fields: list[tuple[str, str]], body: bytes, *, send_body: bool = True
    ) -> bytes:
        connection = "keep-alive" if self.keep_alive else "close"
        lines = [f"HTTP/1.1 {status}", f"Date: {formatdate(usegmt=True)}", *(f"{n}: {v}" for n, v in fields),
                 f"Content-Length: {len(body)}", f"Connection: {connection}", "", ""]  # fmt: skip
        return "\r\n".join(lines).encode("latin-1") + (body if send_body else b"")
