"""Articles whose page answered 404 or 410: kept and marked (gone_at, gone_status), never deleted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("gone_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("gone_status", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("gone_status")
        batch.drop_column("gone_at")
