"""The `aoud-tracker` command: crawl, publish, run (the cron job), latest, demo.

The only module that prints or exits. Exit codes: 0 ok, 1 the crawl failed, 2 bad
configuration (nothing was touched).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import sessionmaker

from aoud_tracker import __version__, ledger, schema, store
from aoud_tracker.claims_view import KINDS, LedgerView, iso, print_report, report_json
from aoud_tracker.findings import TAGS
from aoud_tracker.mail import MailError, SmtpServer, default_sender, digest_message, send
from aoud_tracker.publish import Published, PublishError, digests, publish, write_all
from aoud_tracker.runlock import Locked, RunLock
from aoud_tracker.search import search
from aoud_tracker.serve import make_server, self_link
from aoud_tracker.spiders import SPIDER_NAMES
from aoud_tracker.status import HISTORY_RUNS, recent_runs, run_summaries, source_health, unlisted_sources
from aoud_tracker.topic import Topic, TopicError, load_topic

if TYPE_CHECKING:
    import redis
    from scrapy.settings import Settings
    from sqlalchemy import Engine

    from aoud_tracker.crawl import SpiderOutcome
    from aoud_tracker.spiders.base import TopicSpider

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
EXIT_CRAWL_FAILED = 1
EXIT_CONFIG = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the lock; cron tries again next time


class LockedError(click.ClickException):
    """Another run holds storage/run.lock: exit 75 at once, nothing read or written."""

    exit_code = EXIT_LOCKED


@contextmanager
def run_lock(config: Config, wait: bool) -> Iterator[None]:
    """Hold the storage folder's run lock for the block (runlock.py), or exit 75."""
    try:
        with RunLock(config.storage_dir, wait=wait):
            yield
    except Locked as exc:
        raise LockedError(str(exc)) from None


class ConfigError(click.ClickException):
    """Bad configuration: exit code 2, before anything is read or written."""

    exit_code = EXIT_CONFIG


@dataclass(frozen=True)
class Config:
    """The resolved options every command works with."""

    topic: Topic
    db_url: str
    feeds_dir: Path
    storage_dir: Path

    def engine(self, *, create: bool = True, check_schema: bool = True) -> Engine:
        """The store's engine; query commands pass create=False so a wrong path is an error."""
        try:
            return store.make_engine(self.db_url, create=create, check_schema=check_schema)
        except store.StoreError as exc:
            raise ConfigError(str(exc)) from None

    def check_store(self) -> None:
        """Connect to an existing store, writing nothing, before the run lock creates storage/run.lock:
        a file that is not a database or a server that refuses us exits 2 with nothing created. A
        SQLite file not there yet is no problem: the crawl creates it, under the lock."""
        url = make_url(self.db_url)
        on_disk = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        if on_disk and not Path(url.database or "").exists():
            return
        self.engine(create=False, check_schema=False).dispose()


class PublishFailed(click.ClickException):
    """The feeds could not be written (disk full, permission denied): one line, exit 1."""

    exit_code = EXIT_CRAWL_FAILED


def written(feeds_dir: Path, files: Callable[[], T]) -> T:
    """Run what writes into feeds_dir, turning an operating-system error (disk full, permission
    denied) into one line naming the folder instead of a traceback, and saying what it left."""
    try:
        return files()
    except OSError as exc:
        replaced = exc.replaced if isinstance(exc, PublishError) else ()
        left = f"{len(replaced)} files were already replaced" if replaced else "the files there are intact"
        raise PublishFailed(f"{feeds_dir}/: cannot write the feeds ({exc.strerror or exc}); {left}") from None


FEEDS_DIR_OPTION = click.option(
    "--feeds-dir",
    envvar="AOUD_FEEDS_DIR",
    default="feeds",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where feeds and the digest go.",
)


def common_options(command: F) -> F:
    """--topic, --db, --feeds-dir and --storage-dir, also read from AOUD_* variables."""
    options = [
        click.option(
            "--topic",
            "topic_path",
            envvar="AOUD_TOPIC",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Topic file (TOML). Default: the bundled All of Us Are Dead Season 2 topic.",
        ),
        click.option(
            "--db",
            "db_url",
            envvar="AOUD_DB_URL",
            metavar="URL",
            help="SQLAlchemy database URL. Default: sqlite in the storage folder.",
        ),
        FEEDS_DIR_OPTION,
        click.option(
            "--storage-dir",
            envvar="AOUD_STORAGE_DIR",
            default="storage",
            show_default=True,
            type=click.Path(file_okay=False, path_type=Path),
            help="Default store and crawl state.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def resolve(topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path) -> Config:
    """Validate every option before anything is touched; ConfigError (exit 2) names the problem."""
    try:
        topic = load_topic(topic_path)
    except TopicError as exc:
        raise ConfigError(str(exc)) from None
    url = db_url or store.default_db_url(storage_dir)
    try:
        make_url(url)
    except ArgumentError:
        raise ConfigError(f"--db {url}: not a database URL (example: sqlite:///storage/tracker.db)") from None
    for name, folder in (("--feeds-dir", feeds_dir), ("--storage-dir", storage_dir)):
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"{name} {folder}: exists and is not a folder")
    return Config(topic, url, feeds_dir, storage_dir)


def _program_path() -> str:
    """How to call this program again: `aoud-tracker`, or its path when it is not on PATH."""
    invoked = Path(sys.argv[0])
    if invoked.name == "aoud-tracker" and shutil.which("aoud-tracker") != str(invoked.resolve()):
        try:
            return str(invoked.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(invoked)
    return "aoud-tracker"


def setting_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    """-s NAME=VALUE pairs by name, or exit 2 naming one that is not such a pair. Their values are
    checked by check_settings, which needs Scrapy's defaults."""
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.isupper():
            raise ConfigError(f"-s {pair}: expected NAME=VALUE with an upper-case Scrapy setting name")
        overrides[name] = value
    return overrides


def check_settings(overrides: dict[str, str]) -> dict[str, str]:
    """The -s values, each checked against the type of the setting's default, so that
    `-s DOWNLOAD_TIMEOUT=abc` stops here with exit 2 instead of failing inside the crawl."""
    from scrapy.settings import Settings  # Scrapy: imported by the commands that crawl, when they do

    defaults = Settings()
    defaults.setmodule("aoud_tracker.settings", priority="project")
    for name, value in overrides.items():
        _check_setting(defaults, name, value)
    return overrides


@contextmanager
def early_work_pool(topic: Topic, overrides: Mapping[str, str]) -> Iterator[None]:
    """The crawl's work processes (workpool.py) started first, and held for the block.

    A work process takes about a second from spawn to its first page (its imports, the tagger's
    patterns), and reads every page of the crawl: started when the spiders opened, 1.3 s into the
    crawl, it began reading 2.1-2.3 s in, with pages waiting. Started here, before Scrapy is even
    imported, its start overlaps the crawl's own. Its count is AOUD_WORK_PROCESSES from the -s
    settings, or the project's default (AUTO); a value that is no whole number starts none here,
    and check_settings says what is wrong with it.
    """
    from aoud_tracker import workpool  # multiprocessing and Twisted: only for the commands that crawl

    try:
        wanted = int(overrides.get("AOUD_WORK_PROCESSES", workpool.AUTO))
    except ValueError:
        wanted = 0
    with workpool.held(topic, workpool.resolved_processes(wanted)):
        yield


def _check_setting(defaults: Settings, name: str, value: str) -> None:
    default = defaults.get(name)
    kinds = ((bool, "getbool", "true or false"), (int, "getfloat", "a number"),
             (float, "getfloat", "a number"), (dict, "getdict", "a JSON object"),
             (list | tuple, "getlist", "a comma-separated list"))  # fmt: skip
    for kind, getter, expected in kinds:
        if isinstance(default, kind):
            trial = defaults.copy()
            trial.set(name, value, priority="cmdline")
            try:
                getattr(trial, getter)(name)
            except (ValueError, TypeError):
                raise ConfigError(
                    f"-s {name}={value}: {name} must be {expected} (default {default!r})"
                ) from None
            return


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="aoud-tracker")
def main() -> None:
    """Track news and rumors about a show's next season: crawl, dedupe, tag, publish feeds.

    \b
    First time?   aoud-tracker demo
    From cron:    aoud-tracker run --quiet
    Query:        aoud-tracker latest --tag cast --since 7d
    """


def _crawl(
    config: Config,
    spiders: tuple[str, ...],
    settings: dict[str, Any],
    log_level: str | None,
    quiet: bool = False,
) -> list[SpiderOutcome]:
    from aoud_tracker.crawl import crawl_settings, run_spiders  # Scrapy: only for the commands that crawl

    chosen = _chosen_spiders(config, spiders)
    config.engine().dispose()  # fail on an unusable store before any request goes out
    level = (log_level or ("ERROR" if quiet else "WARNING")).upper()
    overrides = {"LOG_LEVEL": level, "AOUD_PROGRESS": not quiet and sys.stderr.isatty(), **settings}
    return run_spiders(
        crawl_settings(config.topic, config.db_url, str(config.storage_dir), overrides),
        chosen,
        log_dir=config.storage_dir / "logs",
    )


def terminal() -> Console:
    """A console that prints scraped text as it is: with markup on, a title like "[red]x" would be
    read as styling (and a word in brackets would vanish from a search snippet)."""
    return Console(soft_wrap=False, markup=False)


def _chosen_spiders(config: Config, spiders: tuple[str, ...]) -> list[type[TopicSpider]]:
    """The named spiders (all by default) that have enabled sources in the topic, or exit 2."""
    from aoud_tracker.crawl import spiders_for

    chosen = spiders_for(config.topic, spiders)
    if not chosen:
        wanted = ", ".join(spiders or SPIDER_NAMES)
        raise ConfigError(f"{config.topic.path}: sources: no enabled source for the spiders {wanted}")
    return chosen


def _report(outcomes: list[SpiderOutcome], quiet: bool) -> bool:
    """Print one line per spider (only failures when quiet); True when every spider succeeded."""
    for o in outcomes:
        if quiet and o.status == "ok":
            continue
        stored = {k: o.count(f"aoud/stored/{k}") for k in ("new", "merged", "updated", "unchanged")}
        dropped = ", ".join(f"{k} {v}" for k, v in o.dropped.items()) or "none"
        errors = ", ".join(f"{k} {v}" for k, v in o.errors.items() if k and v) or "none"
        line = (
            f"{o.spider}: {o.count('aoud/articles/fetched')} pages; stored {stored['new']} new, "
            f"{stored['merged']} copies merged, {stored['updated']} updated, "
            f"{stored['unchanged']} unchanged; "
            f"dropped: {dropped}; errors: {errors}"
        )
        click.echo(
            line if o.status == "ok" else f"{line}\n{o.spider}: FAILED: {o.problem}",
            err=o.status != "ok",
        )
    return all(o.status == "ok" for o in outcomes)


def _publish(config: Config) -> Published:
    engine = config.engine()
    try:
        with sessionmaker(engine)() as session:
            return written(config.feeds_dir, lambda: publish(session, config.topic, config.feeds_dir))
    finally:
        engine.dispose()


crawl_options = [
    click.option(
        "--spider",
        "spiders",
        multiple=True,
        type=click.Choice(sorted(SPIDER_NAMES)),
        help="Run only this spider (repeatable). Default: every spider with sources.",
    ),
    click.option(
        "-s",
        "--set",
        "settings",
        multiple=True,
        metavar="NAME=VALUE",
        help="Override a Scrapy setting.",
    ),
    click.option(
        "--log-level",
        type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
        help="Scrapy's log level on stderr. Default: WARNING, or ERROR with --quiet.",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print nothing unless something failed (for cron)."),
    click.option("--wait", is_flag=True, help="If another run is active, wait for it instead of exiting 75."),
]


def with_crawl_options(command: F) -> F:
    for option in reversed(crawl_options):
        command = option(command)
    return command


REDIS_OPTION = click.option(
    "--redis",
    "redis_url",
    envvar="AOUD_REDIS_URL",
    metavar="URL",
    help="A distributed crawl: share the frontier in this Redis (redis://HOST:PORT/DB) with other workers.",
)


def _frontier_client(redis_url: str) -> redis.Redis:
    """A client of the Redis of a distributed crawl (exit 2 naming it, before anything is written,
    when it does not answer)."""
    from aoud_tracker import distributed  # here: Redis and scrapy-redis, for distributed crawls only

    try:
        return distributed.connect(redis_url)
    except distributed.RedisUnavailable as exc:
        raise ConfigError(str(exc)) from None


@main.command()
@common_options
@with_crawl_options
@REDIS_OPTION
def crawl(
    topic_path: Path | None,
    db_url: str | None,
    feeds_dir: Path,
    storage_dir: Path,
    spiders: tuple[str, ...],
    settings: tuple[str, ...],
    log_level: str | None,
    quiet: bool,
    wait: bool,
    redis_url: str | None,
) -> None:
    """Crawl the topic's sources into the store. Exits 75 if another run is active.

    With --redis, this process is one worker of a distributed crawl: it takes requests from the
    shared frontier (filled by `aoud-tracker seed`) until it is empty and no worker is busy; any
    number of workers may run at once, on any machine, so no local run lock is taken.

    Example: aoud-tracker crawl --spider feeds --log-level INFO
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    overrides = setting_pairs(settings)
    with early_work_pool(config.topic, overrides):
        check_settings(overrides)  # every option checked before the lock touches storage/
        if redis_url:
            _frontier_client(redis_url).close()
            from aoud_tracker import distributed

            overrides |= distributed.crawl_settings(redis_url, config.topic.slug)
            ok = _report(_crawl(config, spiders, overrides, log_level, quiet), quiet)
        else:
            config.check_store()  # before the lock creates storage/run.lock
            with run_lock(config, wait):
                ok = _report(_crawl(config, spiders, overrides, log_level, quiet), quiet)
    if not ok:
        sys.exit(EXIT_CRAWL_FAILED)


@main.command()
@common_options
@click.option("--redis", "redis_url", envvar="AOUD_REDIS_URL", metavar="URL", required=True,
              help="The Redis of the distributed crawl (redis://HOST:PORT/DB).")  # fmt: skip
@click.option("--spider", "spiders", multiple=True, type=click.Choice(sorted(SPIDER_NAMES)),
              help="Seed only this spider's sources (repeatable).")  # fmt: skip
def seed(
    topic_path: Path | None,
    db_url: str | None,
    feeds_dir: Path,
    storage_dir: Path,
    redis_url: str,
    spiders: tuple[str, ...],
) -> None:
    """Start a distributed crawl round: put the topic's sources into the shared frontier.

    The previous round's frontier and seen-set are cleared. Then start workers anywhere with
    `aoud-tracker crawl --redis URL`. Example: aoud-tracker seed --redis redis://127.0.0.1:6379/0
    """
    from aoud_tracker import distributed
    from aoud_tracker.crawl import crawl_settings, source_requests

    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    chosen = _chosen_spiders(config, spiders)
    client = _frontier_client(redis_url)
    # The spiders are built for their start requests only: no page is read, so no work process.
    overrides = {"LOG_LEVEL": "ERROR", "AOUD_WORK_PROCESSES": 0}
    settings = crawl_settings(config.topic, config.db_url, str(config.storage_dir), overrides)
    with client:
        queued = distributed.seed(client, config.topic.slug, source_requests(settings, chosen))
    click.echo(f"queued {queued} sources of {config.topic.name} in {redis_url}; start workers with "
               f"`aoud-tracker crawl --redis {redis_url}`")  # fmt: skip


@main.command(name="publish")
@common_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing.")
def publish_command(
    topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path, quiet: bool
) -> None:
    """Write the feeds (all stories, one per tag, what changed; RSS, Atom, JSON), index.opml and digest.md.

    Example: aoud-tracker publish --feeds-dir /var/www/aoud
    """
    result = _publish(resolve(topic_path, db_url, feeds_dir, storage_dir))
    if not quiet:
        changed = ", ".join(str(p) for p in result.changed) or "none"
        click.echo(
            f"published {result.stories} stories to {feeds_dir}/: {len(result.paths)} files; "
            f"changed: {changed}"
        )


@main.command()
@common_options
@with_crawl_options
def run(
    topic_path: Path | None,
    db_url: str | None,
    feeds_dir: Path,
    storage_dir: Path,
    spiders: tuple[str, ...],
    settings: tuple[str, ...],
    log_level: str | None,
    quiet: bool,
    wait: bool,
) -> None:
    """Crawl, then publish: the command for cron. Exits 1 when the crawl failed, 75 if another run is active.

    Example crontab line: 17 */3 * * * cd /srv/aoud-tracker && .venv/bin/aoud-tracker run --quiet
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    overrides = setting_pairs(settings)
    with early_work_pool(config.topic, overrides):
        check_settings(overrides)  # every option checked before the lock touches storage/
        config.check_store()  # so is the store
        with run_lock(config, wait):
            ok = _report(_crawl(config, spiders, overrides, log_level, quiet), quiet)
            result = _publish(config)
    if not quiet:
        click.echo(
            f"published {result.stories} stories to {config.feeds_dir}/ ({len(result.changed)} files changed)"
        )
    if not ok:
        sys.exit(EXIT_CRAWL_FAILED)


def since_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    """click callback: --since is checked before anything else runs."""
    return parse_since(value)


def parse_since(value: str | None) -> datetime | None:
    """'7d', '12h', '2w', '30m' before now, or an ISO date; None for no limit."""
    if not value:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", value)
    if match:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match[2]]
        try:
            return datetime.now(UTC) - timedelta(**{unit: int(match[1])})
        except OverflowError:
            raise click.BadParameter(f"{value!r} reaches back before year 1") from None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: use 7d, 12h, 2w, 30m or a date like 2026-11-01") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def source_json(source: store.SourceView, explain: bool) -> dict[str, Any]:
    """One source of a story; with `explain`, why it joined the story and every URL it was reached under."""
    data: dict[str, Any] = {
        "url": source.url, "site": source.site, "title": source.title,
        "published_at": iso(source.published_at), "author": source.author, "official": source.official,
        "gone": {"at": iso(source.gone_at), "status": source.gone_status} if source.gone_at else None,
    }  # fmt: skip
    if explain:
        data.update(
            article_id=source.article_id, joined_because=source.joined_because, similarity=source.similarity,
            matched_article_id=source.matched_article_id, reached_as=list(source.urls),
        )  # fmt: skip
    return data


def story_json(story: store.StoryView, explain: bool = False) -> dict[str, Any]:
    return {
        "id": story.id, "title": story.title, "url": story.url, "summary": story.summary,
        "published_at": iso(story.published_at), "first_seen_at": iso(story.first_seen_at),
        "updated_at": iso(story.updated_at), "tags": list(story.tags),
        "sources": [source_json(s, explain) for s in story.sources],
    }  # fmt: skip


@main.command()
@common_options
@click.option("--tag", type=click.Choice(TAGS), help="Only stories with this tag.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of text.")
def stories(
    topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path,
    tag: str | None, limit: int, as_json: bool,
) -> None:  # fmt: skip
    """Show each story with its articles and why each joined it: same text, similar text, or first.

    Example: aoud-tracker stories --json --limit 5
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    engine = config.engine(create=False)
    try:
        with sessionmaker(engine)() as session:
            found = store.list_stories(session, config.topic.slug, tag=tag, limit=limit)
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps([story_json(s, explain=True) for s in found], ensure_ascii=False, indent=2))
        return
    for story in found:
        click.echo(f"story {story.id}: {story.title}  [{', '.join(story.tags)}]")
        for source in story.sources:
            why = source.joined_because + (
                f" {source.similarity:.2f}" if source.similarity is not None else ""
            )
            also = f" (+{len(source.urls) - 1} other URLs)" if len(source.urls) > 1 else ""
            click.echo(f"  - {why:<22} {source.site}: {source.url}{also}")


@main.command()
@common_options
@click.option("--tag", type=click.Choice(TAGS), help="Only stories with this tag.")
@click.option(
    "--since", metavar="AGE", callback=since_option, help="Only stories updated since: 7d, 12h, 2w or a date."
)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def latest(
    topic_path: Path | None,
    db_url: str | None,
    feeds_dir: Path,
    storage_dir: Path,
    tag: str | None,
    since: datetime | None,
    limit: int,
    as_json: bool,
) -> None:
    """Show the newest stories (by publication date); --since filters on their last update.

    Example: aoud-tracker latest --tag cast --since 7d --json
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    engine = config.engine(create=False)
    try:
        with sessionmaker(engine)() as session:
            stories = store.list_stories(session, config.topic.slug, tag=tag, since=since, limit=limit)
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps([story_json(s) for s in stories], ensure_ascii=False, indent=2))
        return
    _table(stories, config.topic)


@main.command(name="search")
@common_options
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1, max=500), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def search_command(
    topic_path: Path | None,
    db_url: str | None,
    feeds_dir: Path,
    storage_dir: Path,
    words: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Find stories whose articles contain every word (title or body; 학교 also finds 학교는).

    Example: aoud-tracker search Lomon teaser --json
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    engine = config.engine(create=False)
    try:
        with sessionmaker(engine)() as session:
            hits = search(session, config.topic.slug, " ".join(words), limit=limit)
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps([{**asdict(h), "published_at": iso(h.published_at)} for h in hits],
                              ensure_ascii=False, indent=2))  # fmt: skip
        return
    console = terminal()
    if not hits:
        console.print(f"No story contains all of: {' '.join(words)}")
        return
    table = Table(title=f"{config.topic.name}: {len(hits)} stories match", title_justify="left")
    for column in ("story", "date", "title", "site", "match"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        when = hit.published_at.strftime("%Y-%m-%d") if hit.published_at else ""
        table.add_row(str(hit.story_id), when, hit.title, hit.site, hit.snippet)
    console.print(table)


def _table(stories: list[store.StoryView], topic: Topic) -> None:
    console = terminal()
    if not stories:
        console.print(
            "No stories match. Try a wider --since, another --tag, or run `aoud-tracker run` first."
        )
        return
    table = Table(title=f"{topic.name}: latest stories", show_lines=False)
    for column in ("id", "date", "title", "tags", "sources"):
        table.add_column(column, overflow="fold")
    for story in stories:
        table.add_row(
            str(story.id),
            story.date.strftime("%Y-%m-%d"),
            story.title,
            ", ".join(story.tags),
            str(len(story.sources)),
        )
    console.print(table)


@main.command()
@common_options
@click.option("--kind", type=click.Choice(KINDS), help="Only this kind of claim.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--spoilers", is_flag=True, help="Show plot claims marked as spoilers.")
def claims(
    topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path,
    kind: str | None, as_json: bool, spoilers: bool,
) -> None:  # fmt: skip
    """What sources claim about the release date, cast and plot: best answer, timeline, contradictions.

    Example: aoud-tracker claims --kind release_date --json
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    engine = config.engine(create=False)
    try:
        with sessionmaker(engine)() as session:
            release = ledger.release_ledger(session, config.topic.slug)
            cast = ledger.cast_ledger(session, config.topic)
            plot = ledger.plot_claims(session, config.topic.slug)
    finally:
        engine.dispose()
    kinds = (kind,) if kind else KINDS
    view = LedgerView(release, cast, plot, kinds, spoilers)
    if as_json:
        click.echo(json.dumps(report_json(view), ensure_ascii=False, indent=2))
        return
    print_report(view, terminal())


@main.command()
@click.option(
    "--feeds-dir",
    default="feeds",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--storage-dir",
    default="storage",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--log-level",
    default="ERROR",
    show_default=True,
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
)
def demo(feeds_dir: Path, storage_dir: Path, log_level: str) -> None:
    """Serve the bundled sample sites on 127.0.0.1, crawl them, publish, and show what came out.

    The demo keeps its own store (storage/demo.db, rebuilt on each run) and writes feeds/.

    Example: aoud-tracker demo && less feeds/digest.md
    """
    from aoud_tracker.demo.server import SampleSites  # only the demo needs the sample sites

    storage_dir.mkdir(parents=True, exist_ok=True)
    database = storage_dir / "demo.db"
    for leftover in (
        database,
        database.with_name("demo.db-wal"),
        database.with_name("demo.db-shm"),
    ):
        leftover.unlink(missing_ok=True)
    topic_file = storage_dir / "demo-topic.toml"
    with SampleSites() as sites:
        topic_file.write_text(sites.render_topic(), encoding="utf-8")
        config = resolve(topic_file, f"sqlite:///{database.resolve()}", feeds_dir, storage_dir)
        click.echo(f"Serving {len(sites.base_urls)} sample sites on 127.0.0.1; crawling them…")
        fast = {
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        }
        with early_work_pool(config.topic, {}):
            ok = _report(_crawl(config, (), fast, log_level), quiet=False)
    result = _publish(config)
    click.echo(
        f"\nPublished {result.stories} stories to {feeds_dir}/: rss.xml, atom.xml, feed.json, tags/ "
        f"(one feed per tag), claims.xml (what changed), index.opml (all feeds), digest.html/.md/.txt"
    )
    engine = config.engine()
    try:
        with sessionmaker(engine)() as session:
            newest = store.list_stories(session, config.topic.slug, limit=5)
    finally:
        engine.dispose()
    click.echo("\nNewest stories:")
    for story in newest:
        sources = f"{len(story.sources)} source{'s' if len(story.sources) != 1 else ''}"
        click.echo(f"  {story.date:%Y-%m-%d}  {story.title}  [{', '.join(story.tags)}] ({sources})")
    program = _program_path()
    db = f"sqlite:///{database}" if not database.is_absolute() else config.db_url
    click.echo(
        f"\nTry:\n  {program} latest --db {db} --tag cast\n"
        f"  {program} claims --db {db}\n"
        f"  {program} status --db {db} --topic {topic_file}\n"
        f"  {program} serve --feeds-dir {feeds_dir}   (then open http://127.0.0.1:8080/)\n"
        f"  less {feeds_dir / 'digest.md'}   (or open {feeds_dir / 'digest.html'} in a browser)"
    )
    if not ok:
        sys.exit(EXIT_CRAWL_FAILED)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any).")
@FEEDS_DIR_OPTION
def serve(host: str, port: int, feeds_dir: Path) -> None:
    """Serve the feeds folder over HTTP, read-only: 304s for readers, gzip, an index page at /.

    Example: aoud-tracker serve --port 8080   (then subscribe to http://127.0.0.1:8080/rss.xml)
    """
    if not feeds_dir.is_dir():
        raise ConfigError(f"--feeds-dir {feeds_dir}: no such folder (run `aoud-tracker publish` first)")
    try:
        server = make_server(feeds_dir, host, port)
    except OSError as exc:
        raise ConfigError(f"--host {host} --port {port}: cannot listen there ({exc.strerror})") from None
    served = f"http://{host}:{server.server_address[1]}/"
    click.echo(f"Serving {feeds_dir}/ at {served} (Ctrl-C to stop)")
    said = self_link(feeds_dir)
    if said is not None and not said.startswith(served):
        click.echo(
            f"Note: the feeds say they live at {said}. Readers and validators check that address: set "
            f'[publish] base_url = "{served}" (or your public address) in the topic file and publish again.'
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def parse_period(value: str) -> int:
    """'7d', '2w' or '48h' as whole days (at least one)."""
    match = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", value)
    if not match or int(match[1]) == 0:
        raise click.BadParameter(f"{value!r}: use a period like 7d, 2w or 48h")
    hours = int(match[1]) * {"h": 1, "d": 24, "w": 24 * 7}[match[2]]
    return max(1, -(-hours // 24))


def parse_smtp(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"--smtp {value}: expected HOST:PORT, e.g. localhost:25")
    return host, int(port)


@main.command(name="digest")
@common_options
@click.option("--since", "period", default="7d", show_default=True, help="The period covered: 7d, 2w, 48h.")
@click.option(
    "--email", "recipients", multiple=True, metavar="TO", help="Send it to this address (repeatable)."
)
@click.option("--smtp", metavar="HOST:PORT", help="The SMTP server to send through (needed with --email).")
@click.option("--sender", metavar="FROM", help="The From address. Default: aoud-tracker@this host.")
@click.option("--starttls", is_flag=True, help="Upgrade the SMTP connection with STARTTLS.")
@click.option(
    "--smtp-user", envvar="AOUD_SMTP_USER", help="Log in as this user (password: AOUD_SMTP_PASSWORD)."
)
def digest_command(
    topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path, period: str,
    recipients: tuple[str, ...], smtp: str | None, sender: str | None, starttls: bool, smtp_user: str | None,
) -> None:  # fmt: skip
    """Write feeds/digest.md, .html and .txt for a period, and e-mail it (text and HTML in one message).

    Example: aoud-tracker digest --since 7d --email me@example.org --smtp localhost:25
    """
    days = parse_period(period)
    if recipients and not smtp:
        raise ConfigError("--email needs --smtp HOST:PORT to send through")
    server = None
    if smtp:
        host, port = parse_smtp(smtp)
        password = os.environ.get("AOUD_SMTP_PASSWORD", "")
        server = SmtpServer(host, port, starttls, smtp_user or "", password)
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    engine = config.engine(create=False)
    try:
        with sessionmaker(engine)() as session:
            made = digests(session, config.topic, days)
    finally:
        engine.dispose()
    outputs = {config.feeds_dir / name: data for name, data in made.items()}
    written(config.feeds_dir, lambda: write_all(outputs))
    click.echo(f"wrote {', '.join(str(config.feeds_dir / name) for name in made)} ({days} days)")
    if server and recipients:
        subject = f"{config.topic.name}: digest of the last {days} days"
        message = digest_message(
            subject, made["digest.txt"].decode("utf-8"), made["digest.html"].decode("utf-8"),
            sender or default_sender(), list(recipients),
        )  # fmt: skip
        try:
            send(message, server)
        except MailError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"sent to {', '.join(recipients)} through {server.host}:{server.port}")


@main.command()
@common_options
@click.option(
    "--schedule", default="17 */3 * * *", show_default=True, help="When to run, in crontab's five fields."
)
def cron(
    topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path, schedule: str
) -> None:
    """Print a crontab line for this install: absolute paths, `run --quiet` (cron mails only on failure).

    Example: aoud-tracker cron --topic myshow.toml >> mycrontab && crontab mycrontab
    """
    if len(schedule.split()) != 5:
        raise ConfigError(f"--schedule {schedule!r}: expected five crontab fields, e.g. '17 */3 * * *'")
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    # absolute() and not resolve(): a venv's python is a symlink, and resolving it leaves the venv
    program = Path(sys.argv[0]).absolute() if Path(sys.argv[0]).name == "aoud-tracker" else None
    command = [str(program)] if program else [str(Path(sys.executable).absolute()), "-m", "aoud_tracker"]
    command += ["run", "--quiet", "--feeds-dir", str(config.feeds_dir.resolve())]
    command += ["--storage-dir", str(config.storage_dir.resolve())]
    if topic_path is not None:
        command += ["--topic", str(topic_path.resolve())]
    if db_url is not None:
        command += ["--db", db_url]
    click.echo(f"# aoud-tracker: crawl and publish {config.topic.name}; cron mails only when a run fails")
    click.echo(f"{schedule} cd {shlex.quote(str(Path.cwd()))} && {shlex.join(command)}")


@main.command()
@common_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option(
    "--runs", default=10, show_default=True, type=click.IntRange(1, 500), help="How many recent runs to list."
)
def status(
    topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path, as_json: bool, runs: int
) -> None:
    """The last runs, and each source's health: last success, last news, runs failed in a row.

    A source that failed 3 runs in a row is flagged. Example: aoud-tracker status --json
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    engine = config.engine(create=False)
    try:
        with sessionmaker(engine)() as session:
            history = recent_runs(session, config.topic.slug, limit=max(runs, HISTORY_RUNS))
            summaries = run_summaries(history[:runs])
            health = source_health(history, config.topic)
            unlisted = unlisted_sources(history, config.topic)
    finally:
        engine.dispose()
    if as_json:
        report = {
            "unlisted_sources": unlisted,
            "runs": [
                {**asdict(r), "started_at": iso(r.started_at), "finished_at": iso(r.finished_at)}
                for r in summaries
            ],
            "sources": [
                {
                    **asdict(h),
                    "last_success": iso(h.last_success),
                    "last_news": iso(h.last_news),
                    "flagged": h.flagged,
                }
                for h in health
            ],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    console = terminal()
    table = Table(title="Recent runs", title_justify="left")
    for column in ("started (UTC)", "spider", "status", "pages (304)", "KB", "items", "errors", "why"):
        table.add_column(column, overflow="fold", no_wrap=column in ("started (UTC)", "KB"))
    for run in summaries:
        why = "" if run.status == "ok" else run.finish_reason
        errors = ", ".join(f"{kind} {n}" for kind, n in run.errors_by_kind.items()) or str(run.errors)
        counts = {"new": run.items_new, "copies": run.items_duplicate, "updated": run.items_updated,
                  "dropped": run.items_dropped}  # fmt: skip
        items = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "none"
        table.add_row(f"{run.started_at:%m-%d %H:%M}", run.spider, run.status,
                      f"{run.pages} ({run.not_modified})", f"{run.bytes_received / 1024:.0f}", items, errors,
                      why)  # fmt: skip
    console.print(table)
    sources = Table(title="Sources", title_justify="left")
    for column in ("source", "last success", "last news", "failed in a row", "news per run"):
        sources.add_column(column, overflow="fold")
    sources.add_column("", no_wrap=True)
    for h in health:
        flag = f"FAILING ({h.last_problem})" if h.flagged else ""
        sources.add_row(h.name, f"{h.last_success:%Y-%m-%d %H:%M}" if h.last_success else "never",
                        f"{h.last_news:%Y-%m-%d}" if h.last_news else "never", str(h.failing_runs),
                        str(h.news_per_run), flag)  # fmt: skip
    console.print(sources)
    if unlisted and not any(h.visits for h in health):  # another topic file's store, not an edited one
        shown = ", ".join(unlisted[:3]) + (f" and {len(unlisted) - 3} more" if len(unlisted) > 3 else "")
        click.echo(
            f"The runs above read {len(unlisted)} source(s) that {config.topic.path} does not list: "
            f"{shown}. Crawled with another topic file? Pass it with --topic.",
            err=True,
        )


@main.group()
def db() -> None:
    """The store's schema: which revision it is at, and migrating it to this version's."""


@db.command(name="upgrade")
@common_options
@click.option("--to", "target", default="head", show_default=True, help="The revision to migrate to.")
def db_upgrade(
    topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path, target: str
) -> None:
    """Create the store, or migrate it to this version's schema (Alembic). Back it up first.

    Runs under the run lock, so no crawl writes meanwhile. Example: aoud-tracker db upgrade --db URL
    """
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    config.check_store()  # before the lock creates storage/run.lock
    with run_lock(config, wait=False):
        engine = config.engine(check_schema=False)
        try:
            before, after = schema.upgrade(store.writer(engine), target)
        except schema.MigrationFailed as exc:
            raise ConfigError(f"--to {target}: {exc}") from None
        finally:
            engine.dispose()
    shown = make_url(config.db_url).render_as_string(hide_password=True)
    if before == after:
        click.echo(f"{shown}: already at revision {after}")
    else:
        click.echo(f"{shown}: migrated from revision {before or 'none'} to {after}")


@db.command(name="current")
@common_options
def db_current(topic_path: Path | None, db_url: str | None, feeds_dir: Path, storage_dir: Path) -> None:
    """Print the store's schema revision and the one this version needs."""
    config = resolve(topic_path, db_url, feeds_dir, storage_dir)
    engine = config.engine(create=False, check_schema=False)
    try:
        with engine.connect() as connection:
            current = schema.current_revision(connection)
    finally:
        engine.dispose()
    state = "up to date" if current == schema.head_revision() else "behind: run `aoud-tracker db upgrade`"
    click.echo(f"store: {current or 'none'}; this version: {schema.head_revision()} ({state})")
