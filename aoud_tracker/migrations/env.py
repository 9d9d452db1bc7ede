"""Alembic's environment: migrates the connection schema.py hands over (never opens its own)."""

from __future__ import annotations

from alembic import context

from aoud_tracker.models import Base
from aoud_tracker.schema import modelled

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
    include_name=modelled,
)
with context.begin_transaction():
    context.run_migrations()
