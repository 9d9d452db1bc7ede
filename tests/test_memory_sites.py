"""benchmarks/memory_sites.py answers as the sample sites' server does, over real HTTP on 127.0.0.1.

crawl.py times both crawls against it: if it answered differently (another body, no gzip, no
validators), the benchmark would measure something other than the crawl the sample sites see.
"""

from __future__ import annotations

import gzip
import http.client
import importlib.util
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from aoud_tracker.demo.server import SampleSites, sample_sites_dir

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

SITE = "hallyuwire"
PATHS = ("/", "/robots.txt", "/sitemap.xml", "/sitemap-posts.xml", "/about/")


def _load_memory_sites() -> ModuleType:
    """The benchmark module, loaded by path: benchmarks/ on sys.path would put its incremental.py
    in place of the package of that name that Twisted imports."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "memory_sites.py"
    spec = importlib.util.spec_from_file_location("memory_sites_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=[False, True], ids=["close", "keep-alive"])
def both(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """The same site's address on the sample sites' server and on the in-memory one."""
    memory_sites = _load_memory_sites()
    with (
        SampleSites() as sample,
        memory_sites.MemorySites(sample_sites_dir(), keep_alive=request.param) as memory,
    ):
        yield sample.base_urls[SITE], memory.base_urls[SITE]


def _get(base_url: str, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def _shape(etag: str) -> str:
    """The ETag with its hash left out: '"H"', or '"H-gzip"' for the compressed body."""
    shape = re.sub(r"[0-9a-f]{16}", "H", etag)
    assert shape in ('"H"', '"H-gzip"'), etag
    return shape


def _site_listing() -> list[str]:
    root = sample_sites_dir() / SITE
    return [f"/{page.relative_to(root).as_posix()}" for page in sorted(root.rglob("*.html"))[:3]]


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_it_answers_each_page_as_the_sample_sites_do(both: tuple[str, str], gzipped: bool) -> None:
    sample, memory = both
    asked = {"Accept-Encoding": "gzip"} if gzipped else {}
    for path in (*PATHS, *_site_listing()):
        want_status, want_headers, want_body = _get(sample, path, **asked)
        status, headers, body = _get(memory, path, **asked)
        assert status == want_status, path
        for field in ("content-type", "content-encoding", "last-modified", "vary"):
            assert headers.get(field) == want_headers.get(field), (path, field)
        # the ETag hashes the body, whose links carry each server's own port
        assert _shape(headers["etag"]) == _shape(want_headers["etag"]), path
        if gzipped and want_headers.get("content-encoding") == "gzip":
            body, want_body = gzip.decompress(body), gzip.decompress(want_body)
        assert body.replace(memory.encode(), b"BASE") == want_body.replace(sample.encode(), b"BASE"), path


def test_it_answers_conditional_head_and_missing_requests(both: tuple[str, str]) -> None:
    _, memory = both
    status, headers, body = _get(memory, "/sitemap.xml", "HEAD")
    assert (status, body) == (200, b"") and int(headers["content-length"]) > 0
    etag = headers["etag"]
    assert _get(memory, "/sitemap.xml", **{"If-None-Match": etag})[0] == 304
    assert _get(memory, "/sitemap.xml", **{"If-None-Match": '"other"'})[0] == 200
    assert _get(memory, "/sitemap.xml", **{"If-Modified-Since": headers["last-modified"]})[0] == 304
    assert _get(memory, "/sitemap.xml", **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    assert _get(memory, "/no/such/page.html")[0] == 404
    assert _get(memory, "/sitemap.xml", "DELETE")[0] == 501
