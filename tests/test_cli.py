"""The command line: help, version, configuration errors (exit 2, nothing touched), latest and publish.

CliRunner runs commands in-process; run_cli (a subprocess) is used where the whole program
must start, so that nothing it does on import or on a bad topic can go unnoticed.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import feedparser
import pytest
from click.testing import CliRunner, Result
from conftest import run_cli

from aoud_tracker import __version__
from aoud_tracker.cli import main, parse_since
from aoud_tracker.store import make_engine

COMMANDS_WITH_TOPIC = ("crawl", "run", "publish", "latest")
# A topic whose only source is a closed port on 127.0.0.1: a test that crawls by mistake stays local.
LOCAL_TOPIC = """\
[topic]
name = "Local show"
slug = "local"
titles = ["Local show"]

[[sources]]
name = "Closed port"
url = "http://127.0.0.1:9/feed.xml"
kind = "feed"
"""
# `titels` is a typo for `titles`.
BAD_TOPIC = '[topic]\nname = "Show"\nslug = "show"\ntitels = ["Show"]\n'


def invoke(*args: str) -> Result:
    """Run the CLI in-process, without any AOUD_* variable of the outer environment."""
    clean_env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("AOUD_")}
    return CliRunner(env=clean_env).invoke(main, list(args), prog_name="aoud-tracker")


def contents(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def flat(text: str) -> str:
    """Text with every run of whitespace made one space, so wrapped help lines compare whole."""
    return " ".join(text.split())


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder: default storage/ and feeds/ would appear here."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def local_topic(tmp_path: Path) -> Path:
    path = tmp_path / "local.toml"
    path.write_text(LOCAL_TOPIC, encoding="utf-8")
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    make_engine(url).dispose()
    return url


# ---- help and version ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", *sorted(main.commands)])
def test_help_exits_0_with_description_and_creates_nothing(workdir: Path, command: str) -> None:
    target = main.commands[command] if command else main
    args = [command, "--help"] if command else ["--help"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: aoud-tracker")
    assert flat(target.get_short_help_str(limit=200)) in flat(result.output)
    assert contents(workdir) == []


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("", "First time? aoud-tracker demo"),
        ("crawl", "Example: aoud-tracker crawl --spider feeds"),
        ("publish", "Example: aoud-tracker publish --feeds-dir"),
        ("run", "Example crontab line:"),
        ("latest", "Example: aoud-tracker latest --tag cast --since 7d --json"),
    ],
)
def test_help_shows_an_example(workdir: Path, command: str, example: str) -> None:
    result = invoke(*([command, "--help"] if command else ["--help"]))
    assert example in flat(result.output)


def test_short_help_flag_works() -> None:
    assert invoke("-h").output == invoke("--help").output


def test_help_in_a_fresh_process_creates_nothing(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "crawl" in result.stdout and "publish" in result.stdout
    assert contents(tmp_path) == []


def test_version_prints_program_and_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"aoud-tracker, version {__version__}"


# ---- configuration errors: exit 2, one line, nothing created --------------------------------


@pytest.mark.parametrize("command", COMMANDS_WITH_TOPIC)
def test_bad_topic_exits_2_naming_file_and_key_and_creates_nothing(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_TOPIC, encoding="utf-8")
    result = run_cli(command, "--topic", str(bad), cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {bad}: topic.titels: unknown key")
    assert contents(tmp_path) == ["bad.toml"]


@pytest.mark.parametrize("command", COMMANDS_WITH_TOPIC)
def test_db_that_is_not_a_url_exits_2_naming_it(workdir: Path, local_topic: Path, command: str) -> None:
    result = invoke(command, "--topic", str(local_topic), "--db", "not-a-url")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --db not-a-url: not a database URL")
    assert contents(workdir) == []


@pytest.mark.parametrize("command", COMMANDS_WITH_TOPIC)
@pytest.mark.parametrize("option", ["--feeds-dir", "--storage-dir"])
def test_folder_option_pointing_at_a_file_exits_2(
    workdir: Path, local_topic: Path, empty_db: str, command: str, option: str
) -> None:
    taken = workdir / "taken"
    taken.write_text("keep me", encoding="utf-8")
    result = invoke(command, "--topic", str(local_topic), "--db", empty_db, option, str(taken))
    assert result.exit_code == 2
    assert option in result.stderr
    assert taken.read_text(encoding="utf-8") == "keep me"
    assert contents(workdir) == ["taken"]


@pytest.mark.parametrize("command", ["crawl", "run"])
def test_lowercase_scrapy_setting_exits_2(
    workdir: Path, local_topic: Path, empty_db: str, command: str
) -> None:
    result = invoke(command, "--topic", str(local_topic), "--db", empty_db, "-s", "lowercase=1")
    assert result.exit_code == 2
    assert "-s lowercase=1" in result.stderr
    assert "upper-case" in result.stderr
    assert contents(workdir) == []


@pytest.mark.parametrize("command", ["crawl", "run"])
@pytest.mark.parametrize(
    ("pair", "expected"),
    [("DOWNLOAD_TIMEOUT=abc", "must be a number"), ("ROBOTSTXT_OBEY=maybe", "must be true or false"),
     ("AOUD_REVISIT_DAYS=two weeks", "must be a number")],
)  # fmt: skip
def test_a_setting_of_the_wrong_type_exits_2_before_anything_is_touched(
    workdir: Path, local_topic: Path, empty_db: str, command: str, pair: str, expected: str
) -> None:
    result = invoke(command, "--topic", str(local_topic), "--db", empty_db, "-s", pair)
    assert result.exit_code == 2
    assert f"-s {pair}" in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr
    assert contents(workdir) == []


def test_db_with_unknown_dialect_exits_2_naming_it(workdir: Path, local_topic: Path) -> None:
    result = invoke("latest", "--topic", str(local_topic), "--db", "nosuchdb://host/db")
    assert result.exit_code == 2
    assert "nosuchdb://host/db" in result.stderr


# ---- parse_since -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "age"),
    [
        ("7d", timedelta(days=7)),
        ("12h", timedelta(hours=12)),
        ("2w", timedelta(weeks=2)),
        ("30m", timedelta(minutes=30)),
        (" 3d ", timedelta(days=3)),
    ],
)
def test_parse_since_reads_an_age_before_now(value: str, age: timedelta) -> None:
    before = datetime.now(UTC)
    since = parse_since(value)
    after = datetime.now(UTC)
    assert since is not None
    assert since.utcoffset() == timedelta(0)
    assert before - age <= since <= after - age


def test_parse_since_reads_a_date_as_utc_midnight() -> None:
    since = parse_since("2026-11-01")
    assert since == datetime(2026, 11, 1, tzinfo=UTC)
    assert since is not None and since.tzinfo is UTC


def test_parse_since_honours_an_explicit_offset() -> None:
    assert parse_since("2026-11-01T09:00+09:00") == datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, ""])
def test_parse_since_without_value_means_no_limit(value: str | None) -> None:
    assert parse_since(value) is None


@pytest.mark.parametrize("value", ["yesterday", "7 days", "7D", "-3d"])
def test_parse_since_refuses_other_text(value: str) -> None:
    with pytest.raises(click.BadParameter, match="use 7d, 12h, 2w, 30m or a date"):
        parse_since(value)


def test_parse_since_refuses_an_age_too_large_for_a_date() -> None:
    with pytest.raises(click.BadParameter):
        parse_since("100000000w")


# ---- latest ----------------------------------------------------------------------------------


def test_latest_on_empty_store_says_no_stories(workdir: Path, empty_db: str) -> None:
    result = invoke("latest", "--db", empty_db)
    assert result.exit_code == 0, result.output
    assert "No stories match" in result.output


def test_latest_json_on_empty_store_prints_empty_array(workdir: Path, empty_db: str) -> None:
    result = invoke("latest", "--db", empty_db, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("command", ["latest", "stories", "claims"])
def test_a_query_on_a_missing_store_exits_2_and_creates_nothing(
    workdir: Path, tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "typo" / "tracker.db"
    result = invoke(command, "--db", f"sqlite:///{missing}")
    assert result.exit_code == 2, result.output
    assert f"no store at {missing} yet" in result.stderr
    assert not missing.parent.exists() and contents(workdir) == []


def test_claims_on_empty_store_says_so(workdir: Path, empty_db: str) -> None:
    result = invoke("claims", "--db", empty_db)
    assert result.exit_code == 0, result.output
    assert "No claims in the store yet" in result.output


def test_latest_with_unknown_tag_exits_2(workdir: Path, empty_db: str) -> None:
    result = invoke("latest", "--db", empty_db, "--tag", "nonsense")
    assert result.exit_code == 2
    assert "'nonsense' is not one of" in result.stderr
    assert contents(workdir) == []


def test_latest_with_unreadable_since_exits_2(workdir: Path, empty_db: str) -> None:
    result = invoke("latest", "--db", empty_db, "--since", "yesterday")
    assert result.exit_code == 2
    assert "'yesterday'" in result.stderr


def test_latest_with_unreadable_since_creates_no_store(workdir: Path, tmp_path: Path) -> None:
    invoke("latest", "--db", f"sqlite:///{tmp_path / 'new.db'}", "--since", "yesterday")
    assert not (tmp_path / "new.db").exists()


# ---- publish ---------------------------------------------------------------------------------


@pytest.fixture
def published(workdir: Path, tmp_path: Path, empty_db: str) -> Path:
    """The feeds folder after `publish` on an empty store."""
    feeds_dir = tmp_path / "out" / "feeds"
    result = invoke("publish", "--db", empty_db, "--feeds-dir", str(feeds_dir))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("published 0 stories")
    return feeds_dir


def test_publish_on_empty_store_writes_feeds_and_digest(published: Path, workdir: Path) -> None:
    assert contents(published) == [
        "atom.xml", "claims.atom.xml", "claims.json", "claims.xml", "digest.html", "digest.md", "digest.txt",
        "feed.json", "index.opml", "rss.xml", "tags",
    ]  # fmt: skip
    assert len(list((published / "tags").iterdir())) == 3 * 7, "RSS, Atom and JSON Feed for each of 7 tags"
    assert (published / "digest.md").read_text(encoding="utf-8").strip()
    assert contents(workdir) == []


@pytest.mark.parametrize(
    ("name", "version", "title"),
    [
        ("rss.xml", "rss20", "All of Us Are Dead: Season 2 (aoud-tracker)"),
        ("atom.xml", "atom10", "All of Us Are Dead: Season 2 (aoud-tracker)"),
        ("claims.xml", "rss20", "All of Us Are Dead: Season 2: what changed (aoud-tracker)"),
        ("claims.atom.xml", "atom10", "All of Us Are Dead: Season 2: what changed (aoud-tracker)"),
    ],
)
def test_published_empty_feeds_parse_cleanly(published: Path, name: str, version: str, title: str) -> None:
    parsed = feedparser.parse((published / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert parsed.entries == []
    assert parsed.feed.title == title


def test_cron_prints_a_line_that_runs_from_anywhere(workdir: Path, local_topic: Path, tmp_path: Path) -> None:
    result = invoke("cron", "--topic", str(local_topic), "--schedule", "5 * * * *")
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[-1]
    assert line.startswith("5 * * * * cd ")
    command = shlex.split(line.split(" && ", 1)[1])
    assert "run" in command and "--quiet" in command and str(local_topic.resolve()) in command
    assert all(Path(part).is_absolute() for part in command if part.startswith(("/", ".")))
    elsewhere = subprocess.run(
        [*command, "--help"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert elsewhere.returncode == 0 and "Crawl, then publish" in elsewhere.stdout


def test_cron_refuses_a_schedule_that_is_not_five_fields(workdir: Path) -> None:
    result = invoke("cron", "--schedule", "hourly")
    assert result.exit_code == 2 and "five crontab fields" in result.stderr


def test_a_crawl_on_one_machine_loads_neither_redis_nor_alembic(tmp_path: Path) -> None:
    """Every command once imported both (37 and 75 ms after Scrapy and SQLAlchemy); only
    `crawl --redis`, `seed` and the `db` commands need them. Nor Scrapy's remote control
    (aiohttp, 84 ms), which is off."""
    db_url = f"sqlite:///{tmp_path / 's.db'}"
    make_engine(db_url).dispose()  # a new store is made by the migrations; the check opens it again
    check = (
        "import sys\n"
        "from aoud_tracker import cli, store\n"
        "from aoud_tracker.crawl import SPIDERS, crawl_settings\n"
        "from aoud_tracker.topic import load_topic\n"
        "from scrapy.utils.misc import load_object\n"
        f"topic_file = {str(tmp_path / 'topic.toml')!r}\n"
        f"open(topic_file, 'w').write({LOCAL_TOPIC!r})\n"
        f"store.make_engine({db_url!r}).dispose()\n"
        "settings = crawl_settings(load_topic(topic_file), 'sqlite://', '.', {})\n"
        "for name in ('EXTENSIONS', 'SPIDER_MIDDLEWARES', 'DOWNLOADER_MIDDLEWARES', 'ITEM_PIPELINES'):\n"
        "    for path in settings.getwithbase(name):\n"
        "        load_object(path)\n"
        "shown = ('redis', 'scrapy_redis', 'alembic', 'aiohttp')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in shown))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert loaded.strip() == "[]"
