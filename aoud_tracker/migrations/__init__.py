"""Alembic migrations of the store's schema (`aoud-tracker db upgrade`); see schema.py."""
