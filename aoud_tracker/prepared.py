"""The statements every stored article runs, compiled once and sent to the database driver itself.

A crawl stores thousands of articles, each with about ten small statements, and SQLAlchemy's work
around a statement (its cache key, the parameters' processing, a result object, events) cost
more than the database's: a lookup by URL took 62 µs through Core, 52 µs through
`exec_driver_sql` and 6 µs on the driver's own cursor (5,000 lookups each, one run, SQLite).
So these statements are written with SQLAlchemy, compiled once per database kind, and run on the
driver's cursor inside the session's transaction, with what SQLAlchemy would have done kept: each
value converted by its column's type (a UTC datetime made naive, a date as SQLite keeps it), a
driver error raised as SQLAlchemy's own (`IntegrityError`, `OperationalError`: what the store's
callers catch), and a connection the server dropped invalidated. What is not kept: engine events
and echo logging do not see these statements, and selected values come back as the driver gives
them (a SQLite datetime is text), so only statements whose results need no conversion run here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import bindparam, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.schema import ScalarElementColumnDefault

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.engine import Connection, Dialect
    from sqlalchemy.orm import DeclarativeBase
    from sqlalchemy.schema import Table
    from sqlalchemy.sql.compiler import SQLCompiler
    from sqlalchemy.sql.elements import ClauseElement

Values = tuple[Any, ...] | dict[str, Any]


@dataclass(frozen=True)
class Prepared:
    """A statement compiled for one dialect: its SQL, its parameters as the driver takes them."""

    sql: str
    fixed: Mapping[str, Any]  # values the statement carries itself (a literal bound by SQLAlchemy)
    processors: Mapping[str, Callable[[Any], Any]]  # each type's conversion, where it has one
    # The values in order, for drivers whose parameters are positional (SQLite's); None for named.
    pick: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None

    def values(self, parameters: Mapping[str, Any]) -> Values:
        """The parameters converted and laid out for the driver."""
        if self.fixed or self.processors:
            parameters = {**self.fixed, **parameters}
            for name, process in self.processors.items():
                parameters[name] = process(parameters[name])
        return self.pick(parameters) if self.pick is not None else dict(parameters)


def _picker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The named values in this order, as a tuple (itemgetter gives a lone value bare)."""
    if len(names) > 1:
        return itemgetter(*names)
    return lambda values: tuple(values[name] for name in names)


@lru_cache(maxsize=128)
def prepare(statement: ClauseElement, dialect: Dialect) -> Prepared:
    """`statement` compiled for `dialect` once (statements are module constants or built by
    cached functions, so the cache keeps each)."""
    compiled = cast("SQLCompiler", statement.compile(dialect=dialect))
    processors = {}
    for name, parameter in compiled.binds.items():
        process = parameter.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors[name] = process
    pick = _picker(tuple(compiled.positiontup or ())) if compiled.positional else None
    return Prepared(str(compiled), dict(compiled.params), processors, pick)


@lru_cache(maxsize=64)
def insert_of(
    model: type[DeclarativeBase], columns: tuple[str, ...], returning_id: bool = False
) -> ClauseElement:
    """An INSERT of these columns of the model's table (with `returning_id`, giving back the new
    row's id), its values bound at execution (`column_values`)."""
    table = table_of(model)
    statement = insert(table).values(column_values(table, columns))
    return statement.returning(table.c.id) if returning_id else statement


def table_of(model: type[DeclarativeBase]) -> Table:
    return cast("Table", model.__table__)


def column_values(table: Table, columns: tuple[str, ...]) -> dict[str, Any]:
    """An INSERT's VALUES: these columns bound at execution, and each column left out that has a
    constant default given it (Core fills in defaults; the driver does not). A column left out
    whose default is computed (the time) is an error: it must be given."""
    values: dict[str, Any] = {name: bindparam(name) for name in columns}
    for column in table.columns:
        if column.name in values or column.default is None:
            continue
        if not isinstance(column.default, ScalarElementColumnDefault):
            raise ValueError(f"insert into {table.name} without {column.name}, whose default is computed")
        values[column.name] = column.default.arg
    return values


def run(
    connection: Connection,
    statement: ClauseElement,
    parameters: Mapping[str, Any],
    *,
    per_values: bool = False,
) -> Any:
    """Run the statement once on the connection's driver cursor; return that cursor (its rows).

    `per_values`: on PostgreSQL, planned for these values every time. psycopg prepares a statement
    run five times, and the server then keeps one plan for any values when it looks as cheap, until
    the next ANALYZE. For a value most rows hold (an empty fingerprint) that was a scan that stops at
    the first match, a scan of the whole table for a value no row holds; for a table that was
    nearly empty when the plan was made (a new store's LSH buckets), a scan of the whole table as it
    grew (benchmarks/store.py at 1,000,000 articles: 40-49 articles/s, 105-131 planned per values).
    The planning costs 0.15-0.25 ms a statement (the 42-bucket count on a new store: 300-440 µs
    against 155-190 µs prepared, 2026-12-08), which is why only the statements that need it ask.
    """
    prepared = prepare(statement, connection.dialect)
    return _execute(connection, prepared.sql, prepared.values(parameters), per_values=per_values)


def run_many(connection: Connection, statement: ClauseElement, rows: Iterable[Mapping[str, Any]]) -> None:
    """Run the statement once per row, in one executemany."""
    prepared = prepare(statement, connection.dialect)
    if values := [prepared.values(row) for row in rows]:
        _execute(connection, prepared.sql, values, many=True)


def inserted_id(connection: Connection, model: type[DeclarativeBase], row: Mapping[str, Any]) -> int:
    """Insert one row; return its new id (SQLite's row id; elsewhere the id the INSERT returns)."""
    on_sqlite = connection.dialect.name == "sqlite"
    cursor = run(connection, insert_of(model, tuple(row), returning_id=not on_sqlite), row)
    return int(cursor.lastrowid if on_sqlite else cursor.fetchone()[0])


def _execute(
    connection: Connection, sql: str, values: Any, *, many: bool = False, per_values: bool = False
) -> Any:
    """Run the SQL on a new cursor of the connection's driver connection (`many`: once per value
    set; `per_values`: see `run`); a driver error is raised as SQLAlchemy's, and a connection found
    dead is invalidated, as Core would. Return the cursor."""
    dialect = connection.dialect
    driver_connection = connection.connection.dbapi_connection
    assert driver_connection is not None, "a connection in use always has its driver connection"
    cursor = driver_connection.cursor()
    options = {"prepare": False} if per_values and dialect.name == "postgresql" else {}
    try:
        (cursor.executemany if many else cursor.execute)(sql, values, **options)
    except dialect.loaded_dbapi.Error as error:
        dropped = dialect.is_disconnect(error, driver_connection, cursor)
        if dropped:
            connection.invalidate(error)
        raise DBAPIError.instance(
            sql, values, error, dialect.loaded_dbapi.Error, connection_invalidated=dropped, dialect=dialect
        ) from error
    return cursor
