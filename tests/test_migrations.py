"""Schema migrations (Alembic): a store at the first revision, filled, upgraded to head, loses nothing;
a store that is behind is refused by every command until `aoud-tracker db upgrade`; on both back-ends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from aoud_tracker import schema, store
from aoud_tracker.models import Article, Base, Claim, CrawlRun, HttpValidator, Story, Tag
from tests.conftest import run_cli
from tests.factories import FETCHED, article

if TYPE_CHECKING:
    from pathlib import Path

    from aoud_tracker.demo.server import SampleSites

TOPIC = "aoud-s2"


def contents(url: str) -> dict[str, Any]:
    """What a store holds, read through the models (works at any revision from the baseline on)."""
    engine = store.make_engine(url, check_schema=False)
    try:
        with Session(engine) as session:
            return {
                "articles": sorted(
                    (a.url_key, a.title, a.body, a.published_at) for a in session.scalars(select(Article))
                ),
                "stories": sorted((s.title, s.url) for s in session.scalars(select(Story))),
                "tags": sorted(t.name for t in session.scalars(select(Tag))),
                "claims": sorted((c.kind, c.sentence) for c in session.scalars(select(Claim))),
                "runs": sorted((r.spider, r.status) for r in session.scalars(select(CrawlRun))),
                "validators": sorted((v.url, v.etag) for v in session.scalars(select(HttpValidator))),
            }  # fmt: skip
    finally:
        engine.dispose()


def fill(url: str) -> None:
    engine = store.make_engine(url, check_schema=False)
    try:
        with Session(engine) as session, session.begin():
            for number in range(3):
                body = (
                    f"Netflix says All of Us Are Dead Season 2 episode {number} was filmed in Seoul. "
                    f"Lomon returns as Lee Su-hyeok; the release is set for early 2027 (part {number})."
                )
                store.save_article(session, TOPIC, article(f"https://site{number}.example/a", body=body))
            run_id = store.start_run(session, TOPIC, "feeds")
            store.finish_run(session, run_id, "ok", "finished", {"aoud/stored/new": 3})
            session.add(
                HttpValidator(topic=TOPIC, url="https://site0.example/a", etag='"v1"', seen_at=FETCHED)
            )
    finally:
        engine.dispose()


def store_at(url: str, revision: str) -> None:
    engine = store.make_engine(url, check_schema=False)
    try:
        schema.upgrade(engine, revision)
    finally:
        engine.dispose()


def test_a_store_at_the_first_revision_upgrades_to_head_with_nothing_lost(
    db_url: str, tmp_path: Path
) -> None:
    store_at(db_url, schema.BASELINE)
    fill(db_url)
    before = contents(db_url)
    assert len(before["articles"]) == 3 and before["tags"] and before["validators"], "the store was filled"
    with pytest.raises(store.StoreError, match=r"aoud-tracker db upgrade"):
        store.make_engine(db_url)

    options = ["--db", db_url, "--storage-dir", str(tmp_path / "storage")]
    result = run_cli("db", "upgrade", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"from revision {schema.BASELINE} to {schema.head_revision()}" in result.stdout
    assert contents(db_url) == before
    store.make_engine(db_url).dispose()  # accepted now
    again = run_cli("db", "upgrade", *options, cwd=tmp_path)
    assert "already at revision" in again.stdout
    current = run_cli("db", "current", "--db", db_url, cwd=tmp_path)
    assert "up to date" in current.stdout


def test_migrations_build_exactly_the_schema_the_models_describe(db_url: str) -> None:
    store_at(db_url, "head")
    engine = store.make_engine(db_url, check_schema=False)
    try:
        with engine.connect() as connection:
            options = {"compare_type": True, "include_name": schema.modelled}
            context = MigrationContext.configure(connection, opts=options)
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_a_store_made_before_migrations_is_refused_then_upgraded(
    db_url: str, tmp_path: Path, sample_sites: SampleSites
) -> None:
    engine = store.make_engine(db_url, check_schema=False)
    try:
        old_tables = [t for name, t in Base.metadata.tables.items() if name != "source_copies"]
        Base.metadata.create_all(engine, tables=old_tables)  # what an unversioned earlier release made
    finally:
        engine.dispose()
    fill(db_url)
    before = contents(db_url)
    topic = tmp_path / "topic.toml"
    topic.write_text(sample_sites.render_topic(), encoding="utf-8")
    common = ["--topic", str(topic), "--db", db_url, "--storage-dir", str(tmp_path / "storage")]

    refused = run_cli("crawl", *common, cwd=tmp_path)
    assert refused.returncode == 2
    assert "made before migrations" in refused.stderr and "aoud-tracker db upgrade" in refused.stderr
    assert contents(db_url) == before, "nothing was written"
    assert run_cli("latest", *common, cwd=tmp_path).returncode == 2, "reads are refused too"

    upgraded = run_cli("db", "upgrade", *common, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"from revision none to {schema.head_revision()}" in upgraded.stdout
    assert contents(db_url) == before
    engine = store.make_engine(db_url)
    try:
        assert inspect(engine).has_table("source_copies")
    finally:
        engine.dispose()


def test_a_new_store_is_made_at_head(db_url: str) -> None:
    engine = store.make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert schema.current_revision(connection) == schema.head_revision()
    finally:
        engine.dispose()


def test_an_unknown_target_revision_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    result = run_cli(
        "db", "upgrade", "--db", url, "--to", "9999", "--storage-dir", str(tmp_path), cwd=tmp_path
    )
    assert result.returncode == 2
    assert "--to 9999" in result.stderr
