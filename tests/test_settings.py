"""The Scrapy project: polite defaults, and `scrapy list` working from the repository root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scrapy.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def project_settings() -> Settings:
    settings = Settings()
    settings.setmodule("aoud_tracker.settings", priority="project")
    return settings


def test_crawling_is_polite_by_default() -> None:
    settings = project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings["USER_AGENT"].startswith("aoud-tracker/")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert 0 < settings.getint("DOWNLOAD_TIMEOUT") <= 60
    assert settings.getbool("RETRY_ENABLED") and settings.getint("RETRY_TIMES") >= 1
    assert settings.getint("DOWNLOAD_MAXSIZE") == 32 * 1024 * 1024, "32 MiB, not Scrapy's 1 GiB"


def test_no_console_or_code_server_listens_beside_a_crawl() -> None:
    """Scrapy's telnet console and its remote control (2.19: runs Python sent over HTTP) are off;
    every other extension of Scrapy's base list is kept."""
    settings = project_settings()
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    base = settings.getdict("EXTENSIONS_BASE")
    scrapy_base = Settings().getdict("EXTENSIONS_BASE")
    assert set(scrapy_base) - set(base) == {"scrapy.extensions.remote_control.RemoteControl"}


def test_pipelines_run_in_the_documented_order() -> None:
    pipelines = project_settings().getdict("ITEM_PIPELINES")
    ordered = [name.rsplit(".", 1)[1] for name, _ in sorted(pipelines.items(), key=lambda kv: kv[1])]
    assert ordered == [
        "ValidatePipeline",
        "RelevancePipeline",
        "DedupePipeline",
        "TagPipeline",
        "StorePipeline",
    ]


def test_scrapy_list_works_from_the_repository_root() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["feeds", "sites"]
