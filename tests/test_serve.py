"""`aoud-tracker serve`: feeds over real HTTP on 127.0.0.1, conditional GET, gzip, nothing outside feeds/."""

from __future__ import annotations

import gzip
import http.client
import os
import socket
from email.utils import formatdate
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from aoud_tracker.cli import main
from aoud_tracker.serve import make_server, self_link, serve_in_background
from aoud_tracker.static import GzipCache

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>\n' * 20
FILE_TIME = 1_764_000_000  # a fixed modification time, so the test controls If-Modified-Since


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A feeds folder beside a store the server must never hand out, served on a free port."""
    feeds = tmp_path / "feeds"
    (feeds / "tags").mkdir(parents=True)
    for name, data in {
        "rss.xml": RSS,
        "atom.xml": b"<feed/>",
        "feed.json": b"{}",
        "tags/cast.atom.xml": b"<feed/>",
        "index.opml": b"<opml/>",
    }.items():
        (feeds / name).write_bytes(data)
        os.utime(feeds / name, (FILE_TIME, FILE_TIME))
    (feeds / ".rss.xml.tmp123").write_bytes(b"half written")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "tracker.db").write_bytes(b"SQLite format 3\x00 secrets")
    server = make_server(feeds, "127.0.0.1", 0)
    serve_in_background(server)
    try:
        yield feeds, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/rss.xml", "application/rss+xml"),
        ("/atom.xml", "application/atom+xml"),
        ("/tags/cast.atom.xml", "application/atom+xml"),
        ("/feed.json", "application/feed+json"),
        ("/index.opml", "text/x-opml"),
    ],
)
def test_each_feed_has_its_content_type_and_validators(
    served: tuple[Path, int], path: str, content_type: str
) -> None:
    _, port = served
    status, headers, _ = get(port, path)
    assert status == 200
    assert headers["content-type"].split(";")[0] == content_type
    assert headers["etag"].startswith('"') and headers["last-modified"] == formatdate(FILE_TIME, usegmt=True)


def test_a_conditional_request_gets_304_by_etag_or_by_time(served: tuple[Path, int]) -> None:
    _, port = served
    _, headers, body = get(port, "/rss.xml")
    assert body == RSS
    assert get(port, "/rss.xml", **{"If-None-Match": headers["etag"]})[0] == 304
    assert get(port, "/rss.xml", **{"If-Modified-Since": headers["last-modified"]})[0] == 304
    later = formatdate(FILE_TIME + 3600, usegmt=True)  # a reader sending its own, later clock
    assert get(port, "/rss.xml", **{"If-Modified-Since": later})[0] == 304
    earlier = formatdate(FILE_TIME - 1, usegmt=True)
    assert get(port, "/rss.xml", **{"If-Modified-Since": earlier})[0] == 200
    assert get(port, "/rss.xml", **{"If-None-Match": '"stale"'})[0] == 200


def test_gzip_when_asked_with_its_own_etag(served: tuple[Path, int]) -> None:
    _, port = served
    status, headers, body = get(port, "/rss.xml", **{"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["content-encoding"] == "gzip" and gzip.decompress(body) == RSS
    assert headers["vary"] == "Accept-Encoding"
    plain_etag = get(port, "/rss.xml")[1]["etag"]
    assert headers["etag"] != plain_etag
    again = get(port, "/rss.xml", **{"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
    assert again[0] == 304


@pytest.mark.parametrize(
    ("accepted", "gzipped"),
    [("gzip;q=0.5, br", True), ("br, gzip; q=0.8", True), ("gzip;q=0", False), ("gzip;q=0.0", False),
     ("deflate", False), ("GZIP", True)],
)  # fmt: skip
def test_gzip_by_its_weight_in_accept_encoding(
    served: tuple[Path, int], accepted: str, gzipped: bool
) -> None:
    _, port = served
    headers = get(port, "/rss.xml", **{"Accept-Encoding": accepted})[1]
    assert (headers.get("content-encoding") == "gzip") == gzipped


@pytest.mark.parametrize(
    "path",
    [
        "/../storage/tracker.db",
        "/%2e%2e/storage/tracker.db",
        "/tags/../../storage/tracker.db",
        "/..%2fstorage%2ftracker.db",
        "/nope.xml",
    ],
)
def test_nothing_outside_the_feeds_folder_is_served(served: tuple[Path, int], path: str) -> None:
    _, port = served
    status, _, body = get(port, path)
    assert status == 404 and b"secrets" not in body


def test_the_index_page_links_every_feed_but_not_temporary_files(served: tuple[Path, int]) -> None:
    _, port = served
    status, headers, body = get(port, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode("utf-8")
    for name in ("rss.xml", "atom.xml", "feed.json", "tags/cast.atom.xml", "index.opml"):
        assert f'href="{name}"' in page
    assert ".tmp" not in page


def test_serve_refuses_a_missing_folder_and_a_taken_port(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--feeds-dir", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no such folder" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--feeds-dir", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 2 and "cannot listen" in result.output


def test_serve_can_tell_where_the_published_feeds_say_they_live(tmp_path: Path) -> None:
    """`serve` warns when rel="self" is not the address it serves at (base_url not set)."""
    assert self_link(tmp_path) is None
    (tmp_path / "rss.xml").write_text(
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        '<atom:link href="file:///srv/feeds/rss.xml" rel="self"/></channel></rss>',
        encoding="utf-8",
    )
    assert self_link(tmp_path) == "file:///srv/feeds/rss.xml"


def test_the_gzip_cache_compresses_a_version_once_and_keeps_to_its_budget() -> None:
    cache = GzipCache(budget=3000)
    pages = {f'"etag{n}"': os.urandom(1500) for n in range(3)}  # random: gzip cannot shrink them
    first = cache.compressed('"etag0"', pages['"etag0"'])
    assert gzip.decompress(first) == pages['"etag0"']
    assert cache.compressed('"etag0"', pages['"etag0"']) is first  # kept, not compressed again
    for etag, data in pages.items():
        cache.compressed(etag, data)
    # each weighs a little over 1500 bytes: two are over budget, so the least recently used go first
    assert list(cache.bodies) == ['"etag2"'] and cache.size == len(cache.bodies['"etag2"']) <= 3000
