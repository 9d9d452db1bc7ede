"""Spiders, one per source kind: `feeds` (RSS/Atom) and `sites` (sitemaps and listing pages)."""
