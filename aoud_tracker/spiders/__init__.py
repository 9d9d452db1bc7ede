"""Spiders, one per source kind: `feeds` (RSS/Atom) and `sites` (sitemaps and listing pages)."""

from typing import Final

# The spiders' names, known without importing Scrapy: the CLI offers them as choices to every
# command, and only the commands that crawl import the spiders (aoud_tracker.crawl.SPIDERS, which
# tests/test_startup.py holds to these names).
SPIDER_NAMES: Final = ("feeds", "sites")
