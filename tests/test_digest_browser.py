"""The HTML digest in a real browser: headless Chromium loads it from `serve` and takes a screenshot.

The screenshot is kept (build/test-artifacts/digest.png) so a person can look at what the test saw.
"""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.publish import publish
from aoud_tracker.serve import make_server, serve_in_background
from tests.conftest import require_program
from tests.factories import FETCHED, article

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

ARTIFACTS = Path(
    os.environ.get("AOUD_TEST_ARTIFACTS", Path(__file__).parent.parent / "build" / "test-artifacts")
)
SIZE = (900, 1600)


@pytest.fixture
def chromium() -> str:
    return require_program("chromium", "chromium-browser")


def png_size_and_colours(data: bytes) -> tuple[int, int, int]:
    """Width, height and how many distinct byte values the pixel rows hold (1 for a blank page)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return width, height, len(set(pixels[1 : 1 + width * 4 * 50]))  # the first rows, after the filter byte


def run_chromium(binary: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
        f"--window-size={SIZE[0]},{SIZE[1]}", "--hide-scrollbars", *arguments,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)


def test_the_html_digest_renders_in_chromium(chromium: str, tmp_path: Path, topic: Topic) -> None:
    feeds = tmp_path / "feeds"
    engine = store.make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    with sessionmaker(engine).begin() as session:
        store.save_article(session, topic.slug, article())
        copy = article("https://kculture.example/stories/copy.html", site="K-Culture Now", fetched=FETCHED)
        store.save_article(session, topic.slug, copy)
        other = article(
            "https://hallyu.example/news/x/", title="Season 2 could arrive in early 2027",
            body="Industry sources say All of Us Are Dead Season 2 could premiere in early 2027. " * 6,
            tags=("release_date", "rumor"), fetched=FETCHED - timedelta(days=2),
        )  # fmt: skip
        store.save_article(session, topic.slug, other)
        publish(session, topic, feeds)
    engine.dispose()
    server = make_server(feeds, "127.0.0.1", 0)
    serve_in_background(server)
    url = f"http://127.0.0.1:{server.server_address[1]}/digest.html"
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        screenshot = ARTIFACTS / "digest.png"
        screenshot.unlink(missing_ok=True)
        shot = run_chromium(chromium, tmp_path / "profile", f"--screenshot={screenshot}", url)
        dom = run_chromium(chromium, tmp_path / "profile-dom", "--dump-dom", url)
    finally:
        server.shutdown()
        server.server_close()

    assert screenshot.is_file(), shot.stderr[-2000:]
    width, height, colours = png_size_and_colours(screenshot.read_bytes())
    assert (width, height) == SIZE
    assert colours > 2, "the page is not blank"
    for heading in ("Release date watch", "Stories"):
        assert f"<h2>{heading}</h2>" in dom.stdout
    assert "<svg" in dom.stdout and "All of Us Are Dead Season 2 starts filming" in dom.stdout
