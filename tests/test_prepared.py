"""Statements run on the driver (prepared.py) store what Core stores and fail as Core fails."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import bindparam, create_engine, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from aoud_tracker import clusters, prepared
from aoud_tracker.models import Article, ArticleUrl, Claim, DedupeEntry, HttpValidator, Story
from aoud_tracker.neardup import signature
from aoud_tracker.upsert import upsert

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

SEEN = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
BY_URL_KEY = select(Article.id).where(Article.url_key == bindparam("url_key"))


def story_row(title: str) -> dict[str, Any]:
    return {"topic": "t", "title": title, "url": "https://example.com/a", "summary": "",
            "published_at": SEEN, "first_seen_at": SEEN, "updated_at": SEEN, "newest_at": SEEN}  # fmt: skip


def article_row(story_id: int, url_key: str) -> dict[str, Any]:
    url = f"https://example.com/{url_key}"
    return {"topic": "t", "story_id": story_id, "source_id": None, "url": url, "url_key": url_key,
            "canonical_url": url, "title": "Ti", "summary": "", "body": "Bo", "author": "", "site_name": "Ex",
            "language": "en", "published_at": None, "modified_at": SEEN, "fetched_at": SEEN,
            "first_seen_at": SEEN, "updated_at": SEEN, "fingerprint": "f", "content_hash": "h",
            "relevance": 2.5, "official": True, "gone_at": None, "gone_status": None}  # fmt: skip


def claim_row(story_id: int, article_id: int) -> dict[str, Any]:
    return {"topic": "t", "story_id": story_id, "article_id": article_id, "kind": "release_date",
            "start": date(2027, 1, 1), "end": date(2027, 3, 31), "precision": "quarter", "hedge": "rumor",
            "actor": None, "character": None, "status": None, "spoiler": True, "phrase": "Q1 2027",
            "sentence": "It lands in Q1 2027.", "as_of": date(2026, 3, 1), "site": "Ex",
            "official": False}  # fmt: skip


def core_id(connection: Connection, model: type[Any], row: dict[str, Any]) -> int:
    """The row inserted through Core, as the store did before; its new id."""
    key = connection.execute(insert(model), row).inserted_primary_key
    assert key is not None
    return int(key[0])


def rows_of(connection: Connection, model: type[Any]) -> list[tuple[Any, ...]]:
    """Every row as the database holds it (read on the driver: SQLite's times are text, and a
    time stored with its offset would differ from one stored naive, which Core reads back alike)."""
    table = model.__table__
    query = select(table).order_by(*table.primary_key.columns).compile(dialect=connection.dialect)
    return [tuple(row) for row in connection.exec_driver_sql(str(query))]


def test_rows_written_on_the_driver_read_back_as_rows_written_by_core(engine: Engine) -> None:
    """Every kind of value a stored article has (aware times, dates, booleans, floats, bytes,
    NULLs) goes through its column type's conversion, on SQLite and PostgreSQL alike."""
    with engine.begin() as connection:
        core_story = core_id(connection, Story, story_row("core"))
        driver_story = prepared.inserted_id(connection, Story, story_row("driver"))
        assert driver_story == core_story + 1
        core_article = core_id(connection, Article, article_row(core_story, "a"))
        driver_article = prepared.inserted_id(connection, Article, article_row(driver_story, "b"))
        connection.execute(insert(Claim), claim_row(core_story, core_article))
        row = claim_row(driver_story, driver_article)
        prepared.run_many(connection, prepared.insert_of(Claim, tuple(row)), [row])
        connection.execute(insert(DedupeEntry), {"article_id": core_article, "signature": b"\x00\xff"})
        entry = {"article_id": driver_article, "signature": b"\x00\xff"}  # reason: its constant default
        prepared.run(connection, prepared.insert_of(DedupeEntry, tuple(entry)), entry)

        written = {model: rows_of(connection, model) for model in (Story, Article, Claim, DedupeEntry)}
    identity = {"id", "title", "story_id", "article_id", "url", "url_key", "canonical_url"}
    for model, (by_core, by_driver) in written.items():
        assert without(model, by_core, identity) == without(model, by_driver, identity), model
    with engine.connect() as connection:  # and read through SQLAlchemy: aware UTC, to the microsecond
        assert connection.scalar(select(Article.modified_at).where(Article.id == driver_article)) == SEEN
        claim = connection.execute(select(Claim).where(Claim.article_id == driver_article)).one()
    assert (claim.start, claim.end, claim.as_of, claim.spoiler, claim.actor) == (
        date(2027, 1, 1), date(2027, 3, 31), date(2026, 3, 1), True, None
    )  # fmt: skip
    assert written[DedupeEntry][1][1:] == (b"\x00\xff", "first", None, None)


def names(model: type[Any]) -> list[str]:
    return [column.name for column in model.__table__.columns]


def without(model: type[Any], row: tuple[Any, ...], skipped: set[str]) -> dict[str, Any]:
    """The row's values by column, but for those named (what the test gave each row its own)."""
    return {name: value for name, value in zip(names(model), row, strict=True) if name not in skipped}


def test_upserts_on_the_driver_insert_then_overwrite(sessions: sessionmaker[Session]) -> None:
    later = SEEN.replace(hour=11)
    with sessions.begin() as session:
        for etag, seen in (('"v1"', SEEN), ('"v2"', later)):
            row = {
                "topic": "t",
                "url": "https://example.com/a",
                "etag": etag,
                "last_modified": "",
                "seen_at": seen,
            }
            upsert(session, HttpValidator, row, ("topic", "url"))
    with sessions.begin() as session:
        kept = session.execute(select(HttpValidator.etag, HttpValidator.seen_at)).all()
    assert [tuple(row) for row in kept] == [('"v2"', later)]


def test_a_driver_error_is_raised_as_sqlalchemys_and_the_transaction_rolls_back(
    sessions: sessionmaker[Session],
) -> None:
    """The store's callers catch SQLAlchemy's errors (an IntegrityError is a race with another
    process, saved again); the driver's own would escape them."""
    with sessions.begin() as session:
        story = prepared.inserted_id(session.connection(), Story, story_row("s"))
        prepared.inserted_id(session.connection(), Article, article_row(story, "a"))
    with pytest.raises(IntegrityError, match="articles") as raised, sessions.begin() as session:
        prepared.inserted_id(session.connection(), Story, story_row("lost"))
        prepared.inserted_id(session.connection(), Article, article_row(story, "a"))  # the same url_key
    assert raised.value.orig is not None and raised.value.statement is not None
    with sessions.begin() as session:  # the failed transaction left nothing, the session works on
        assert session.scalars(select(Story.title)).all() == ["s"]


def test_a_column_with_a_computed_default_must_be_given() -> None:
    """Core fills `first_seen_at=utcnow` itself; the driver would leave it out. Constant defaults
    are filled in (test above); a computed one is refused when the statement is built."""
    with pytest.raises(ValueError, match="article_urls without first_seen_at"):
        prepared.insert_of(ArticleUrl, ("article_id", "url"))


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_connection_the_server_dropped_is_invalidated(engine: Engine, db_url: str) -> None:
    """As Core does: the pool gets a new connection and the next transaction works."""
    with engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        admin = create_engine(db_url)
        with admin.begin() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        admin.dispose()
        with pytest.raises(DBAPIError) as raised:
            prepared.inserted_id(connection, Story, story_row("s"))
        assert raised.value.connection_invalidated
        assert connection.invalidated
    with engine.begin() as connection:
        assert prepared.inserted_id(connection, Story, story_row("s")) >= 1


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_candidate_lookup_is_planned_for_its_values(
    sessions: sessionmaker[Session],
) -> None:
    """psycopg prepares a statement run five times, and PostgreSQL may then keep one plan for any
    values: for the lookup, with most stored articles holding one fingerprint, a scan that stops at
    the first match scanned the whole table for a fingerprint no article holds (benchmarks/store.py
    at 1,000,000 articles: 40 articles/s), and a plan kept from a new store's first articles scanned
    the buckets' whole table. The lookup and the bucket count are never prepared statements; the
    others are."""
    text_signature = signature(" ".join(f"word{n}" for n in range(60)))
    with sessions() as session:
        for _ in range(8):
            clusters.find_story(session, "t", "fingerprint", text_signature, clusters.DEFAULT_THRESHOLD)
            clusters._bucket_counts(session, "t", list(range(42)))  # the count an indexed article runs
            prepared.run(session.connection(), BY_URL_KEY, {"url_key": "x"}).fetchall()
        kept = session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    assert any("url_key" in statement for statement in kept), "the other statements are prepared"
    assert not any("lsh_buckets" in statement for statement in kept), kept
