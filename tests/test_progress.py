"""The live progress line: drawn on a terminal while crawling, never in pipes, cron mail or logs."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from aoud_tracker.progress import progress_text
from tests.conftest import run_cli
from tests.test_e2e import FAST

if TYPE_CHECKING:
    from pathlib import Path

    from aoud_tracker.demo.server import SampleSites

LINE = re.compile(r"\d+ pages · \d+ new · \d+ updated · \d+ dropped · \d+ errors · [\d.]+ pages/s")


def test_progress_text_sums_what_a_reader_wants() -> None:
    stats = {"response_received_count": 40, "aoud/stored/new": 7, "aoud/stored/merged": 2,
             "aoud/stored/updated": 1, "item_dropped_count": 5, "aoud/errors": 3}  # fmt: skip
    assert progress_text(stats, 8.0) == "40 pages · 9 new · 1 updated · 5 dropped · 3 errors · 5.0 pages/s"
    assert progress_text({}, 0.0) == "0 pages · 0 new · 0 updated · 0 dropped · 0 errors · 0.0 pages/s"


def crawl_command(root: Path, sites: SampleSites) -> list[str]:
    topic = root / "topic.toml"
    topic.write_text(sites.render_topic(), encoding="utf-8")
    return ["crawl", "--topic", str(topic), "--db", f"sqlite:///{root / 't.db'}",
            "--storage-dir", str(root / "storage"), *FAST]  # fmt: skip


def read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.e2e
def test_on_a_terminal_the_line_is_drawn_in_place(tmp_path: Path, sample_sites: SampleSites) -> None:
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AOUD_")}
    crawler = subprocess.Popen(
        [sys.executable, "-m", "aoud_tracker", *crawl_command(tmp_path, sample_sites)],
        cwd=tmp_path, env=environment, stdout=terminal, stderr=terminal, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(terminal)
    output = read_all(controller).decode("utf-8", "replace")
    os.close(controller)
    assert crawler.wait(timeout=120) == 0, output
    assert LINE.search(output), output
    assert "\r\x1b[K" in output, "redrawn in place, not printed line after line"
    log = (tmp_path / "storage" / "logs" / "aoud-tracker.log").read_text(encoding="utf-8")
    assert "pages/s" not in log


@pytest.mark.e2e
def test_in_a_pipe_there_is_no_progress_line(tmp_path: Path, sample_sites: SampleSites) -> None:
    result = run_cli(*crawl_command(tmp_path, sample_sites), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pages/s" not in result.stderr + result.stdout
    assert "\x1b[K" not in result.stderr
    log = (tmp_path / "storage" / "logs" / "aoud-tracker.log").read_text(encoding="utf-8")
    assert "ProgressLine" not in log, "no 'Disabled …' warning in every cron run's log"
