"""The dedupe index's keys lead with the bucket: (bucket, topic, article_id) and (bucket, topic).

Every candidate lookup and bucket count names up to 42 buckets of one topic. Keyed by the topic
first, PostgreSQL without statistics that say one topic holds every row (a new store before its
first ANALYZE, or autovacuum off) read all of the topic's rows for each article and filtered them:
11-17 ms a lookup at 25,000 rows, against 0.3 ms once analyzed, and the write rate fell as the
store grew (64 then 27 articles/s). Led by the bucket, the index can only be used through the
buckets. Without statistics PostgreSQL may still scan a table it takes for small whole: 1.4-1.9 ms
at 15,000 rows in a store never analyzed; at 363,000 rows it used the index (0.06 ms).
On SQLite, whose tables are these keys (WITHOUT ROWID), each table is rebuilt in the new order;
with one topic the rows keep the same order.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BUCKET_FIRST = {"lsh_buckets": ("bucket", "topic", "article_id"), "lsh_bucket_sizes": ("bucket", "topic")}
TOPIC_FIRST = {"lsh_buckets": ("topic", "bucket", "article_id"), "lsh_bucket_sizes": ("topic", "bucket")}


def upgrade() -> None:
    _key(BUCKET_FIRST)


def downgrade() -> None:
    _key(TOPIC_FIRST)


def _key(keys: dict[str, tuple[str, ...]]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table, columns in keys.items():
            op.drop_constraint(f"{table}_pkey", table, type_="primary")
            op.create_primary_key(f"{table}_pkey", table, list(columns))
        return
    _rebuild("lsh_buckets", _bucket_columns(), keys["lsh_buckets"])
    op.create_index("ix_lsh_buckets_article", "lsh_buckets", ["article_id"], unique=False)
    _rebuild("lsh_bucket_sizes", _size_columns(), keys["lsh_bucket_sizes"])


def _rebuild(table: str, columns: list[sa.Column[object]], key: tuple[str, ...]) -> None:
    """SQLite: the table made again with `key` as its primary key, its rows copied in key order."""
    names = [column.name for column in columns]
    rebuilt = op.create_table(
        f"{table}_rebuilt", *columns, sa.PrimaryKeyConstraint(*key), sqlite_with_rowid=False
    )
    old = sa.table(table, *(sa.column(name) for name in names))
    op.execute(
        sa.insert(rebuilt).from_select(names, sa.select(*old.c).order_by(*(old.c[name] for name in key)))
    )
    op.drop_table(table)
    op.rename_table(rebuilt.name, table)


def _bucket_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("band", sa.SmallInteger(), nullable=False),
    ]


def _size_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
    ]
