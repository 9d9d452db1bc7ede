"""Schema migrations (Alembic): a store at the first revision, filled, upgraded to head, loses nothing;
a store that is behind is refused by every command until `aoud-tracker db upgrade`; on both back-ends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, insert, inspect, select, text

from aoud_tracker import schema, store
from aoud_tracker.models import Base
from tests.conftest import run_cli
from tests.factories import FETCHED

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from aoud_tracker.demo.server import SampleSites

TOPIC = "aoud-s2"


# The baseline's own columns: the store is filled and read through them, never through today's
# models, which may have columns the first revision did not.
BASELINE_COLUMNS = {
    "stories": ("title", "url", "published_at"),
    "articles": ("url_key", "title", "body", "published_at"),
    "tags": ("name",),
    "crawl_runs": ("spider", "status"),
    "http_validators": ("url", "etag"),
    "lsh_buckets": ("topic", "bucket", "article_id", "band"),
    "lsh_bucket_sizes": ("topic", "bucket", "articles"),
}
SHARED_BUCKET = -(2**63)  # the dedupe index's keys are signed 64-bit hashes: the smallest one too


def contents(url: str) -> dict[str, Any]:
    """What a store holds, by the baseline's columns (works at any revision from the baseline on)."""
    engine = store.make_engine(url, check_schema=False)
    tables = MetaData()
    tables.reflect(engine, only=list(BASELINE_COLUMNS))
    try:
        with engine.connect() as connection:
            return {
                name: sorted(
                    tuple(str(value) for value in row)
                    for row in connection.execute(select(*(tables.tables[name].c[c] for c in columns)))
                )
                for name, columns in BASELINE_COLUMNS.items()
            }
    finally:
        engine.dispose()


def fill(url: str) -> None:
    """Three stories of one article each, tagged and in the dedupe index (a bucket of its own and one
    they share, marked crowded), a crawl run and a validator, as plain rows."""
    engine = store.make_engine(url, check_schema=False)
    tables = MetaData()
    tables.reflect(engine, only=list(BASELINE_COLUMNS))
    stories, articles, tags = (tables.tables[name] for name in ("stories", "articles", "tags"))
    try:
        with engine.begin() as connection:
            for number in range(3):
                page = f"https://site{number}.example/a"
                when = FETCHED.replace(tzinfo=None)
                dated = {"published_at": when, "first_seen_at": when, "updated_at": when}
                story_id = connection.execute(
                    insert(stories).values(
                        topic=TOPIC, title=f"Story {number}", url=page, summary="", **dated
                    )
                ).inserted_primary_key[0]
                article_id = connection.execute(
                    insert(articles).values(
                        topic=TOPIC,
                        story_id=story_id,
                        url=page,
                        url_key=f"site{number}.example/a",
                        canonical_url=page,
                        title=f"Story {number}",
                        summary="",
                        body=f"Lomon returns ({number}).",
                        author="",
                        site_name="",
                        language="en",
                        fetched_at=dated["first_seen_at"],
                        fingerprint="",
                        content_hash=f"{number:064x}",
                        relevance=9.0,
                        official=False,
                        **dated,
                    )
                ).inserted_primary_key[0]
                connection.execute(insert(tags).values(story_id=story_id, article_id=article_id, name="cast"))
                connection.execute(insert(tables.tables["lsh_buckets"]), [
                    {"topic": TOPIC, "bucket": bucket, "article_id": article_id, "band": band}
                    for band, bucket in enumerate((2**63 - 1 - number, SHARED_BUCKET))
                ])  # fmt: skip
            connection.execute(insert(tables.tables["lsh_bucket_sizes"]).values(
                topic=TOPIC, bucket=SHARED_BUCKET, articles=33
            ))  # fmt: skip
            connection.execute(insert(tables.tables["crawl_runs"]).values(
                topic=TOPIC, spider="feeds", started_at=dated["first_seen_at"], status="ok", finish_reason="",
                pages=3, items_new=3, items_updated=0, items_unchanged=0, items_dropped=0, errors=0, stats={},
            ))  # fmt: skip
            connection.execute(insert(tables.tables["http_validators"]).values(
                topic=TOPIC, url="https://site0.example/a", etag='"v1"', last_modified="",
                seen_at=dated["first_seen_at"],
            ))  # fmt: skip
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
    assert len(before["articles"]) == 3 and before["tags"] and before["http_validators"], (
        "the store was filled"
    )
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
    store_at(db_url, schema.BASELINE)  # what an unversioned earlier release made: the baseline's
    engine = store.make_engine(db_url, check_schema=False)  # tables, without a version
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
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


def test_the_dedupe_index_is_keyed_by_bucket_first_after_an_upgrade_and_back_after_a_downgrade(
    db_url: str,
) -> None:
    """A lookup names its buckets: keyed by topic first, PostgreSQL without statistics read every
    row of the topic for each article (revision 0007)."""
    store_at(db_url, "0006")
    fill(db_url)
    before = contents(db_url)
    for revision, leading in (("0007", "bucket"), ("0006", "topic"), ("head", "bucket")):
        engine = store.make_engine(db_url, check_schema=False)
        try:
            if revision == "0006":
                _downgrade(engine, revision)
            else:
                schema.upgrade(engine, revision)
            keys = {table: inspect(engine).get_pk_constraint(table)["constrained_columns"]
                    for table in ("lsh_buckets", "lsh_bucket_sizes")}  # fmt: skip
            indexes = [index["name"] for index in inspect(engine).get_indexes("lsh_buckets")]
        finally:
            engine.dispose()
        assert keys["lsh_buckets"][0] == keys["lsh_bucket_sizes"][0] == leading, (revision, keys)
        assert set(keys["lsh_buckets"]) == {"bucket", "topic", "article_id"}
        assert "ix_lsh_buckets_article" in indexes, "an edited article's buckets are found by its id"
        assert contents(db_url) == before, f"rows lost at revision {revision}"


def _downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(schema._config(connection), revision)


def test_a_new_store_is_made_at_head(db_url: str) -> None:
    engine = store.make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert schema.current_revision(connection) == schema.head_revision()
            assert MigrationContext.configure(connection).get_current_revision() == schema.HEAD
    finally:
        engine.dispose()


def test_the_written_out_head_is_the_migration_scripts_head() -> None:
    """schema.HEAD spares every command Alembic; a new migration must move it too."""
    assert schema.head_revision() == schema.HEAD


def test_the_revision_is_read_at_every_step_as_alembic_reads_it(db_url: str) -> None:
    engine = store.make_engine(db_url, check_schema=False)
    try:
        with engine.connect() as connection:
            assert schema.current_revision(connection) is None  # no version table yet
        for revision in ("0001", "0003", "head"):
            schema.upgrade(store.writer(engine), revision)
            with engine.connect() as connection:
                expected = MigrationContext.configure(connection).get_current_revision()
                assert schema.current_revision(connection) == expected
        assert expected == schema.HEAD
    finally:
        engine.dispose()


def test_an_unknown_target_revision_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    result = run_cli(
        "db", "upgrade", "--db", url, "--to", "9999", "--storage-dir", str(tmp_path), cwd=tmp_path
    )
    assert result.returncode == 2
    assert "--to 9999" in result.stderr
