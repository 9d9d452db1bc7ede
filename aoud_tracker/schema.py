"""The store's schema version, managed by Alembic (aoud_tracker/migrations).

A new, empty store is made at the newest revision directly. A store made by an older version is
never altered behind its owner's back: every command refuses it with a message naming
`aoud-tracker db upgrade`, which migrates it (and takes a store made before migrations existed,
which has tables but no version, as the baseline revision). Upgrading is an explicit step because
a large PostgreSQL store may take a while, and its owner may want a backup first.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import column, inspect, select, table

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

BASELINE: Final = "0001"  # the schema of every store made before migrations existed
# The newest revision, written out so that every command's check of a current store (the usual
# case) reads one row and needs no Alembic: importing it and reading the migration scripts took
# 75 ms after SQLAlchemy and Scrapy. tests/test_migrations.py checks it is Alembic's head.
HEAD: Final = "0007"
_VERSION: Final = table("alembic_version", column("version_num"))  # Alembic's, one row: the revision
# What the migrations make that the models cannot describe: each back-end's full-text index.
UNMODELLED: Final = ("articles_fts", "ix_articles_search", "search_vector")


def modelled(name: str | None, kind: str, parents: Any) -> bool:
    """Alembic's include_name hook: leave the search structures out of model comparisons."""
    return not (name or "").startswith(UNMODELLED)


class SchemaBehind(RuntimeError):
    """The store's schema is older than this version's; the message names the command to run."""


class MigrationFailed(RuntimeError):
    """Alembic refused the migration asked for (an unknown target revision, a broken history)."""


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # here: only migrating and `db` commands need Alembic

    config = Config()
    config.set_main_option("script_location", str(resources.files("aoud_tracker") / "migrations"))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision this version's migration scripts know (Alembic's reading of them)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "aoud_tracker/migrations has no revision"
    return head


def current_revision(connection: Connection) -> str | None:
    """The store's revision; None for a store without a version (empty, or made before migrations).

    Read as Alembic stores it, without Alembic (HEAD): the history is linear, so one row."""
    if not inspect(connection).has_table(_VERSION.name):
        return None
    revision = connection.execute(select(_VERSION.c.version_num)).scalar()
    return str(revision) if revision is not None else None


def ensure_current(engine: Engine, shown_url: str) -> None:
    """Make an empty store at the newest revision; refuse one whose schema is behind."""
    with engine.begin() as connection:
        current = current_revision(connection)
        if current == HEAD:
            return
        if current is None and not inspect(connection).has_table("articles"):
            from alembic import command

            command.upgrade(_config(connection), "head")  # the migrations: one source of the schema
            return
    found = f"revision {current}" if current else "a version made before migrations"
    raise SchemaBehind(
        f"{shown_url}: the store's schema is {found}; this aoud-tracker needs revision "
        f"{HEAD}. Run `aoud-tracker db upgrade --db {shown_url}` first (back it up before)."
    )


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str | None]:
    """Migrate the store to `target`; return its revision before and after."""
    from alembic import command
    from alembic.util import CommandError

    with engine.begin() as connection:
        before = current_revision(connection)
        config = _config(connection)
        try:
            if before is None and inspect(connection).has_table("articles"):
                command.stamp(config, BASELINE)
            command.upgrade(config, target)
        except CommandError as exc:
            raise MigrationFailed(str(exc)) from exc
        return before, current_revision(connection)
