"""The topic file (TOML): which show and season to track, who is in it, where to look.

`load_topic` turns the file into frozen dataclasses and refuses anything it does not
understand, naming the file, the key and the problem, so that a typo in a cron-driven
config fails loudly before a crawl touches the store.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from aoud_tracker.urls import same_site

SOURCE_KINDS: Final = ("feed", "sitemap", "listing")
CAST_STATUSES: Final = ("returning", "new", "rumored", "leaving")
DEFAULT_TOPIC: Final = "aoud-s2.toml"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_REQUIRED: Final = object()


class TopicError(ValueError):
    """A topic file that cannot be used; the message names the file, the key (none when the
    whole file is unusable: missing, unreadable, not TOML) and the problem."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"{path}: {key}: {problem}" if key else f"{path}: {problem}")


@dataclass(frozen=True)
class Person:
    """Someone in the cast or crew, with every spelling the press uses."""

    name: str
    aliases: tuple[str, ...] = ()
    character: str = ""
    character_aliases: tuple[str, ...] = ()
    status: str = ""
    role: str = "actor"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def character_names(self) -> tuple[str, ...]:
        return (self.character, *self.character_aliases) if self.character else ()


@dataclass(frozen=True)
class Source:
    """A place to crawl: a feed, a sitemap or a listing page."""

    name: str
    url: str
    kind: str
    allow: tuple[str, ...] = ()
    official: bool = False
    enabled: bool = True

    def allows(self, url: str) -> bool:
        """True when the URL's path matches one of the `allow` patterns (or there are none)."""
        if not self.allow:
            return True
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        return any(re.search(pattern, target) for pattern in self.allow)


@dataclass(frozen=True)
class PublishOptions:
    """How feeds and the digest are written."""

    base_url: str = ""
    feed_limit: int = 50
    digest_days: int = 7
    id_authority: str = "aoud-tracker.invalid"
    show_spoilers: bool = False


@dataclass(frozen=True)
class Topic:
    """Everything the crawler, the pipelines and the publisher need to know about one show."""

    path: Path
    name: str
    slug: str
    titles: tuple[str, ...]
    season: int
    season_markers: tuple[str, ...]
    homepage: str = ""
    studios: tuple[str, ...] = ()
    min_relevance: float = 4.0
    dedupe_threshold: float = 0.35
    cast: tuple[Person, ...] = ()
    crew: tuple[Person, ...] = ()
    sources: tuple[Source, ...] = ()
    publish: PublishOptions = field(default_factory=PublishOptions)

    def is_official(self, url: str) -> bool:
        """True when the URL is on the site of a source marked `official`."""
        return any(s.official and same_site(url, s.url) for s in self.sources)


def default_topic_path() -> Path:
    """The bundled topic file (All of Us Are Dead, Season 2)."""
    return Path(str(resources.files("aoud_tracker") / "topics" / DEFAULT_TOPIC))


def load_topic(path: Path | str | None = None) -> Topic:
    """Read and validate a topic file; raise TopicError naming file, key and problem."""
    topic_path = Path(path) if path is not None else default_topic_path()
    try:
        data = tomllib.loads(topic_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TopicError(topic_path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TopicError(topic_path, "", f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TopicError(topic_path, "", f"not valid TOML: {exc}") from None
    return _Reader(topic_path).topic(data)


class _Reader:
    """Typed access to the parsed TOML that reports problems with their dotted key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> TopicError:
        return TopicError(self.path, key, problem)

    def table(self, data: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        self.only(value, key, allowed)
        return value

    def tables(self, data: dict[str, Any], key: str, allowed: set[str]) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"must be an array of tables ([[{key}]])")
        for index, entry in enumerate(value):
            self.only(entry, f"{key}[{index}]", allowed)
        return value

    def only(self, table: dict[str, Any], where: str, allowed: set[str]) -> None:
        for unknown in sorted(set(table) - allowed):
            raise self.fail(f"{where}.{unknown}", f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def text(self, table: dict[str, Any], where: str, key: str, default: Any = _REQUIRED) -> str:
        value = table.get(key, default)
        if value is _REQUIRED:
            raise self.fail(f"{where}.{key}", "missing (required)")
        if not isinstance(value, str) or (default is _REQUIRED and not value.strip()):
            raise self.fail(f"{where}.{key}", "must be a non-empty string")
        return value.strip()

    def texts(self, table: dict[str, Any], where: str, key: str, required: bool = False) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{where}.{key}", "must be a list of non-empty strings")
        if required and not value:
            raise self.fail(f"{where}.{key}", "must list at least one entry")
        return tuple(v.strip() for v in value)

    def number(self, table: dict[str, Any], where: str, key: str, default: int, low: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(f"{where}.{key}", f"must be a whole number of at least {low}")
        return value

    def flag(self, table: dict[str, Any], where: str, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "must be true or false")
        return value

    def url(self, table: dict[str, Any], where: str, key: str, default: Any = _REQUIRED) -> str:
        value = self.text(table, where, key, default)
        if not value:
            return value
        try:
            parts = urlsplit(value)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port or 1) > 0
        except ValueError:  # bad IPv6 brackets, port out of range
            valid = False
        if not valid:
            raise self.fail(f"{where}.{key}", f"{value!r} is not an absolute http(s) URL")
        return value

    def topic(self, data: dict[str, Any]) -> Topic:
        self.only(data, "(top level)", {"topic", "relevance", "dedupe", "publish", "cast", "crew", "sources"})
        if "topic" not in data:
            raise self.fail("topic", "missing [topic] table")
        head = self.table(
            data, "topic", {"name", "slug", "titles", "season", "season_markers", "homepage", "studios"}
        )
        slug = self.text(head, "topic", "slug")
        if not _SLUG.match(slug):
            raise self.fail("topic.slug", f"{slug!r} must be lowercase letters, digits and dashes")
        relevance = self.table(data, "relevance", {"min_score"})
        min_score = relevance.get("min_score", 4.0)
        if isinstance(min_score, bool) or not isinstance(min_score, int | float) or min_score <= 0:
            raise self.fail("relevance.min_score", "must be a positive number")
        return Topic(
            path=self.path,
            name=self.text(head, "topic", "name"),
            slug=slug,
            titles=self.texts(head, "topic", "titles", required=True),
            season=self.number(head, "topic", "season", 1, low=1),
            season_markers=self.texts(head, "topic", "season_markers"),
            homepage=self.url(head, "topic", "homepage", ""),
            studios=self.texts(head, "topic", "studios"),
            min_relevance=float(min_score),
            dedupe_threshold=self.dedupe_threshold(data),
            cast=tuple(
                self.person(entry, f"cast[{i}]", "actor")
                for i, entry in enumerate(
                    self.tables(
                        data,
                        "cast",
                        {"actor", "actor_aliases", "character", "character_aliases", "status"},
                    )
                )
            ),
            crew=tuple(
                self.person(entry, f"crew[{i}]", "name")
                for i, entry in enumerate(self.tables(data, "crew", {"name", "aliases", "role"}))
            ),
            sources=self.sources(data),
            publish=self.publish(data),
        )

    def dedupe_threshold(self, data: dict[str, Any]) -> float:
        table = self.table(data, "dedupe", {"threshold"})
        value = table.get("threshold", 0.35)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.1 <= value <= 0.95:
            raise self.fail("dedupe.threshold", "must be a number from 0.1 to 0.95")
        return float(value)

    def person(self, entry: dict[str, Any], where: str, name_key: str) -> Person:
        status = self.text(entry, where, "status", "")
        if status and status not in CAST_STATUSES:
            raise self.fail(f"{where}.status", f"{status!r} is not one of {', '.join(CAST_STATUSES)}")
        aliases_key = "actor_aliases" if name_key == "actor" else "aliases"
        return Person(
            name=self.text(entry, where, name_key),
            aliases=self.texts(entry, where, aliases_key),
            character=self.text(entry, where, "character", ""),
            character_aliases=self.texts(entry, where, "character_aliases"),
            status=status,
            role=self.text(entry, where, "role", "actor"),
        )

    def sources(self, data: dict[str, Any]) -> tuple[Source, ...]:
        entries = self.tables(data, "sources", {"name", "url", "kind", "allow", "official", "enabled"})
        sources: list[Source] = []
        for index, entry in enumerate(entries):
            where = f"sources[{index}]"
            kind = self.text(entry, where, "kind")
            if kind not in SOURCE_KINDS:
                raise self.fail(f"{where}.kind", f"{kind!r} is not one of {', '.join(SOURCE_KINDS)}")
            allow = self.texts(entry, where, "allow")
            for pattern in allow:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise self.fail(f"{where}.allow", f"{pattern!r} is not a valid pattern: {exc}") from None
            source = Source(
                name=self.text(entry, where, "name"),
                url=self.url(entry, where, "url"),
                kind=kind,
                allow=allow,
                official=self.flag(entry, where, "official", False),
                enabled=self.flag(entry, where, "enabled", True),
            )
            if any(known.url == source.url for known in sources):
                raise self.fail(f"{where}.url", f"{source.url} is listed twice")
            sources.append(source)
        return tuple(sources)

    def publish(self, data: dict[str, Any]) -> PublishOptions:
        table = self.table(
            data,
            "publish",
            {"base_url", "feed_limit", "digest_days", "id_authority", "show_spoilers"},
        )
        base_url = self.url(table, "publish", "base_url", "")
        authority = self.text(table, "publish", "id_authority", PublishOptions.id_authority)
        if not re.match(r"^[A-Za-z0-9.-]+$", authority):
            raise self.fail(
                "publish.id_authority", f"{authority!r} must be a domain name (tag: URI authority)"
            )
        return PublishOptions(
            base_url=base_url.rstrip("/") + "/" if base_url else "",
            feed_limit=self.number(table, "publish", "feed_limit", 50, low=1),
            digest_days=self.number(table, "publish", "digest_days", 7, low=1),
            id_authority=authority,
            show_spoilers=self.flag(table, "publish", "show_spoilers", False),
        )
