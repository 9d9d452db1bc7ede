"""Stories' newest_at (published, else first seen) with an index, and tags by name: `latest` and
`latest --tag` read the 20 newest stories from an index instead of sorting every story.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("newest_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE stories SET newest_at = coalesce(published_at, first_seen_at)")
    op.create_index("ix_stories_topic_newest", "stories", ["topic", "newest_at"])
    op.create_index("ix_tags_name_story", "tags", ["name", "story_id"])


def downgrade() -> None:
    op.drop_index("ix_tags_name_story", table_name="tags")
    op.drop_index("ix_stories_topic_newest", table_name="stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("newest_at")
