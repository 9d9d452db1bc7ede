"""Source copies: a feed, sitemap or listing page kept with its validators, read again on a 304.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("source_copies"):
        return  # made by an unversioned store's create_all between the two releases
    op.create_table(
        "source_copies",
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("etag", sa.String(length=512), nullable=False),
        sa.Column("last_modified", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("topic", "url"),
    )


def downgrade() -> None:
    op.drop_table("source_copies")
