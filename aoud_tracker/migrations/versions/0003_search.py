"""Full-text search over articles' titles and bodies: SQLite FTS5, PostgreSQL tsvector with GIN.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

SQLite: an FTS5 table over `articles` (external content, kept in step by triggers), tokenized
by unicode61 (case and diacritics folded; Hangul words kept whole, so queries match by prefix:
학교 finds 학교는). PostgreSQL: a GIN index on the 'simple' text-search vector of title and body
(no stemming, as for mixed English and Korean text); queries use the same expression.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_FORGET_OLD = (
    "INSERT INTO articles_fts(articles_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body);"
)
_INDEX_NEW = "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);"
SQLITE_UP = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN {_INDEX_NEW} END",
    f"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN {_FORGET_OLD} END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles "
    f"BEGIN {_FORGET_OLD} {_INDEX_NEW} END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
)
POSTGRESQL_UP = (
    "CREATE INDEX ix_articles_search ON articles "
    "USING gin (to_tsvector('simple'::regconfig, title || ' ' || body))",
)
POSTGRESQL_DOWN = ("DROP INDEX IF EXISTS ix_articles_search",)


def _run(statements: dict[str, tuple[str, ...]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})
