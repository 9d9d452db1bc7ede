"""INSERT … ON CONFLICT on SQLite and PostgreSQL: rows keyed on a unique constraint, written
atomically, so two processes storing the same row at the same moment leave one.

A read-then-write in Python ("look it up, add it if missing") lets both processes miss the row
and both insert it; the constraint then fails one of them. The database decides instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import DeclarativeBase, Session


def insert_for(session: Session, model: type[DeclarativeBase]) -> Any:
    """The dialect's INSERT (the one that knows ON CONFLICT) for `model`."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"upserts on {dialect}")
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(model)


def upsert(
    session: Session,
    model: type[DeclarativeBase],
    values: dict[str, Any],
    keys: Sequence[str],
    *,
    update: bool = True,
) -> None:
    """Insert the row, or on a conflict over `keys` overwrite its other columns (or keep it)."""
    statement = insert_for(session, model).values(**values)
    if update:
        changed = {name: statement.excluded[name] for name in values if name not in keys}
        statement = statement.on_conflict_do_update(index_elements=list(keys), set_=changed)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    session.execute(statement)
