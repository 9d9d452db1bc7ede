"""Concurrent writers: processes storing overlapping articles at the same moment leave one row per
article and lose none, on SQLite (BEGIN IMMEDIATE, busy timeout) and PostgreSQL (constraints,
upserts, one retry)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.models import Article, ArticleUrl, HttpValidator
from tests.factories import article

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

    from sqlalchemy.orm import Session

TOPIC = "aoud-s2"
WRITERS = 3
SHARED = 15  # articles every writer stores
OWN = 10  # articles only one writer stores


def body(number: int) -> str:
    return (
        f"Report {number}: All of Us Are Dead Season 2 news item number {number}, with its own facts. "
        f"Source {number} says filming block {number} wrapped in Seoul, and editor {number} adds that "
        f"the episode {number} cut ran {number + 40} minutes. Fans counted {number * 3} teasers so far, "
        f"and the studio answered question {number} in its weekly note {number}."
    )


def writer(db_url: str, name: int, start: Barrier, errors: multiprocessing.Queue[str]) -> None:
    """Store the shared articles and this writer's own, as fast as possible, starting together."""
    engine = store.make_engine(db_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    numbers = [*range(SHARED), *range(1000 * (name + 1), 1000 * (name + 1) + OWN)]
    start.wait()
    try:
        for number in numbers:
            url = f"https://site{number}.example/news/{number}"
            item = article(url, title=f"Item {number}", body=body(number))
            item.validators = (url, f'"etag-{number}"', "")
            store.store_item(sessions, TOPIC, item)
    except Exception as exc:  # reported to the test, which fails with it
        errors.put(f"writer {name}: {type(exc).__name__}: {exc}")
    finally:
        engine.dispose()


def test_concurrent_writers_store_each_article_once(db_url: str) -> None:
    store.make_engine(db_url).dispose()  # the schema, before the writers race
    context = multiprocessing.get_context("spawn")
    start, errors = context.Barrier(WRITERS), context.Queue()
    processes = [context.Process(target=writer, args=(db_url, n, start, errors)) for n in range(WRITERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    problems = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    assert problems == []
    assert [p.exitcode for p in processes] == [0] * WRITERS

    engine = store.make_engine(db_url)
    try:
        with sessionmaker(engine)() as session:
            check(session)
    finally:
        engine.dispose()
    if db_url.startswith("sqlite:///"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def check(session: Session) -> None:
    expected = SHARED + WRITERS * OWN
    assert session.scalar(select(func.count()).select_from(Article)) == expected, "none lost, none twice"
    assert session.scalar(select(func.count(func.distinct(Article.url_key)))) == expected
    assert session.scalar(select(func.count()).select_from(HttpValidator)) == expected
    assert session.scalar(select(func.count()).select_from(ArticleUrl)) == expected
