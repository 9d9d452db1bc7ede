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

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

BASELINE: Final = "0001"  # the schema of every store made before migrations existed
# What the migrations make that the models cannot describe: each back-end's full-text index.
UNMODELLED: Final = ("articles_fts", "ix_articles_search", "search_vector")


def modelled(name: str | None, kind: str, parents: Any) -> bool:
    """Alembic's include_name hook: leave the search structures out of model comparisons."""
    return not (name or "").startswith(UNMODELLED)


class SchemaBehind(RuntimeError):
    """The store's schema is older than this version's; the message names the command to run."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("aoud_tracker") / "migrations"))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest revision this version knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "aoud_tracker/migrations has no revision"
    return head


def current_revision(connection: Connection) -> str | None:
    """The store's revision; None for a store without a version (empty, or made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def ensure_current(engine: Engine, shown_url: str) -> None:
    """Make an empty store at the newest revision; refuse one whose schema is behind."""
    with engine.begin() as connection:
        current = current_revision(connection)
        if current == head_revision():
            return
        if current is None and not inspect(connection).has_table("articles"):
            command.upgrade(_config(connection), "head")  # the migrations: one source of the schema
            return
    found = f"revision {current}" if current else "a version made before migrations"
    raise SchemaBehind(
        f"{shown_url}: the store's schema is {found}; this aoud-tracker needs revision "
        f"{head_revision()}. Run `aoud-tracker db upgrade --db {shown_url}` first (back it up before)."
    )


def upgrade(engine: Engine, target: str = "head") -> tuple[str | None, str | None]:
    """Migrate the store to `target`; return its revision before and after."""
    with engine.begin() as connection:
        before = current_revision(connection)
        config = _config(connection)
        if before is None and inspect(connection).has_table("articles"):
            command.stamp(config, BASELINE)
        command.upgrade(config, target)
        return before, current_revision(connection)
