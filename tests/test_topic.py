"""The topic file: the bundled topic loads, sources filter URLs, and broken files fail with file+key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from aoud_tracker.topic import (
    CAST_STATUSES,
    SOURCE_KINDS,
    Person,
    Source,
    TopicError,
    default_topic_path,
    load_topic,
)

if TYPE_CHECKING:
    from pathlib import Path

    from aoud_tracker.topic import Topic

# A small valid topic; every broken case below differs from it in one place.
MINIMAL = """\
[topic]
name = "Show: Season 2"
slug = "show-s2"
titles = ["Show"]
season = 2
homepage = "https://show.example.org/"

[relevance]
min_score = 3.5

[publish]
base_url = "https://feeds.example.org/show"
feed_limit = 10

[[cast]]
actor = "Jane Doe"
actor_aliases = ["J. Doe"]
status = "returning"

[[crew]]
name = "John Roe"
role = "director"

[[sources]]
name = "Example feed"
url = "https://news.example.org/feed"
kind = "feed"
allow = ["/show/"]
"""

SECOND_SOURCE = """
[[sources]]
name = "Example copy"
url = "https://news.example.org/feed"
kind = "feed"
"""


WITHOUT_TOPIC = MINIMAL.partition("\n\n")[2]


def variant(old: str, new: str) -> str:
    """MINIMAL with one piece of text replaced (the piece must be there)."""
    assert old in MINIMAL, f"{old!r} is not in MINIMAL"
    return MINIMAL.replace(old, new, 1)


def cast_named(topic: Topic, name: str) -> Person:
    return next(person for person in topic.cast if person.name == name)


# ---- the bundled topic -----------------------------------------------------------------------


def test_bundled_topic_names_the_show_and_season(topic: Topic) -> None:
    assert topic.name == "All of Us Are Dead: Season 2"
    assert topic.slug == "aoud-s2"
    assert topic.season == 2
    assert {"All of Us Are Dead", "지금 우리 학교는"} <= set(topic.titles)
    assert "season 2" in topic.season_markers


def test_bundled_topic_is_the_default(topic: Topic) -> None:
    assert default_topic_path().is_file()
    assert topic.path == default_topic_path()
    assert load_topic(default_topic_path()) == topic


@pytest.mark.parametrize(
    ("actor", "alias"),
    [
        ("Lomon", "Park Solomon"),
        ("Roh Jae-won", "Noh Jae-won"),
        ("Park Ji-hu", "박지후"),
        ("Yoon Chan-young", "Yun Chan-young"),
    ],
)
def test_bundled_cast_lists_press_spellings_of_actors(topic: Topic, actor: str, alias: str) -> None:
    person = cast_named(topic, actor)
    assert person.names[0] == actor
    assert alias in person.names


def test_bundled_cast_lists_character_names_and_aliases(topic: Topic) -> None:
    lomon = cast_named(topic, "Lomon")
    assert lomon.character_names[0] == "Lee Su-hyeok"
    assert "Soo-hyuk" in lomon.character_names


def test_bundled_cast_statuses_are_known_and_varied(topic: Topic) -> None:
    statuses = {person.status for person in topic.cast}
    assert statuses <= set(CAST_STATUSES)
    assert {"returning", "new", "rumored"} <= statuses
    assert cast_named(topic, "Lomon").status == "returning"
    assert cast_named(topic, "Roh Jae-won").status == "new"


def test_bundled_crew_has_director_and_writer(topic: Topic) -> None:
    roles = {person.name: person.role for person in topic.crew}
    assert roles["Lee Jae-kyoo"] == "director"
    assert roles["Chun Sung-il"] == "writer"


def test_bundled_sources_cover_every_kind(topic: Topic) -> None:
    assert {source.kind for source in topic.sources} == set(SOURCE_KINDS)


def test_bundled_sources_have_unique_https_urls(topic: Topic) -> None:
    urls = [source.url for source in topic.sources]
    assert len(urls) == len(set(urls))
    assert all(url.startswith("https://") for url in urls)


def test_bundled_official_sources_are_netflix_listings(topic: Topic) -> None:
    official = [source for source in topic.sources if source.official]
    assert official
    assert all(source.kind == "listing" and "netflix.com" in source.url for source in official)


def test_bundled_publish_options_are_the_defaults(topic: Topic) -> None:
    assert topic.publish.base_url == ""
    assert topic.publish.feed_limit == 50
    assert topic.publish.digest_days == 7
    assert topic.publish.id_authority == "aoud-tracker.invalid"
    assert topic.publish.show_spoilers is False


# ---- a small valid file ----------------------------------------------------------------------


def test_minimal_topic_loads(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    topic = load_topic(path)
    assert (topic.path, topic.slug, topic.titles, topic.season) == (path, "show-s2", ("Show",), 2)
    assert topic.min_relevance == 3.5
    assert topic.cast == (Person("Jane Doe", ("J. Doe",), status="returning"),)
    assert topic.crew == (Person("John Roe", role="director"),)


def test_publish_base_url_gets_one_trailing_slash(tmp_path: Path) -> None:
    path = tmp_path / "show.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_topic(path).publish.base_url == "https://feeds.example.org/show/"


def test_optional_tables_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "bare.toml"
    path.write_text('[topic]\nname = "Show"\nslug = "show"\ntitles = ["Show"]\n', encoding="utf-8")
    topic = load_topic(path)
    assert topic.season == 1
    assert (topic.cast, topic.crew, topic.sources) == ((), (), ())
    assert topic.publish.feed_limit == 50


# ---- Source.allows and Topic.is_official -----------------------------------------------------


def test_source_without_patterns_allows_every_url() -> None:
    source = Source("Feed", "https://news.example.org/feed", "feed")
    assert source.allows("https://news.example.org/anything?at=all")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.netflix.com/tudum/articles/all-of-us-are-dead-season-2", True),
        ("https://www.netflix.com/tudum/top10", False),
        ("https://www.netflix.com/title/81237994", False),
    ],
)
def test_source_allows_urls_whose_path_matches(topic: Topic, url: str, allowed: bool) -> None:
    tudum = next(source for source in topic.sources if "tudum" in source.url)
    assert tudum.allows(url) is allowed


def test_source_patterns_see_the_query() -> None:
    source = Source("Blog", "https://blog.example.org/", "listing", allow=(r"[?&]p=\d+",))
    assert source.allows("https://blog.example.org/?p=42")
    assert not source.allows("https://blog.example.org/?page=2")


def test_source_patterns_ignore_the_host() -> None:
    source = Source("Site", "https://show.example.org/", "listing", allow=("show",))
    assert not source.allows("https://show.example.org/about")
    assert source.allows("https://show.example.org/news/show-renewed")


def test_source_allows_when_any_pattern_matches() -> None:
    source = Source("Site", "https://example.org/", "listing", allow=("/news/", r"/\d{4}/\d{2}/"))
    assert source.allows("https://example.org/2026/05/renewed")
    assert source.allows("https://example.org/news/renewed")
    assert not source.allows("https://example.org/reviews/renewed")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.netflix.com/tudum/articles/aoud-season-2-cast",
        "https://netflix.com/tudum/articles/aoud-season-2-cast",
        "https://about.netflix.com/en/news/all-of-us-are-dead-season-2",
    ],
)
def test_urls_on_official_sites_are_official(topic: Topic, url: str) -> None:
    assert topic.is_official(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.soompi.com/article/1234/all-of-us-are-dead-season-2",
        "https://deadline.com/2026/05/all-of-us-are-dead-season-2/",
        "https://netflix.com.example.org/tudum/articles/fake",
    ],
)
def test_urls_elsewhere_are_not_official(topic: Topic, url: str) -> None:
    assert not topic.is_official(url)


# ---- validation ------------------------------------------------------------------------------

INVALID_TOPICS = [
    # the [topic] table
    pytest.param(variant("[topic]\n", "[show]\n"), "(top level).show", "unknown key", id="top-level-typo"),
    pytest.param(WITHOUT_TOPIC, "topic", "missing [topic]", id="no-topic"),
    pytest.param('topic = "Show"\n', "topic", "must be a table", id="topic-not-a-table"),
    pytest.param(variant('name = "Show: Season 2"\n', ""), "topic.name", "missing", id="no-name"),
    pytest.param(
        variant('name = "Show: Season 2"', 'name = "  "'), "topic.name", "non-empty", id="blank-name"
    ),
    pytest.param(variant('slug = "show-s2"\n', ""), "topic.slug", "missing", id="no-slug"),
    pytest.param(variant('titles = ["Show"]\n', ""), "topic.titles", "at least one", id="no-titles"),
    pytest.param(
        variant('titles = ["Show"]', "titles = []"), "topic.titles", "at least one", id="empty-titles"
    ),
    pytest.param(
        variant('titles = ["Show"]', 'titles = [""]'), "topic.titles", "non-empty", id="blank-title"
    ),
    pytest.param(variant('titles = ["Show"]', 'titles = "Show"'), "topic.titles", "list", id="titles-string"),
    pytest.param(
        variant('titles = ["Show"]', 'titels = ["Show"]'), "topic.titels", "unknown key", id="titels"
    ),
    pytest.param(
        variant('slug = "show-s2"', 'slug = "Show S2"'), "topic.slug", "lowercase", id="slug-spaces"
    ),
    pytest.param(variant('slug = "show-s2"', 'slug = "-show"'), "topic.slug", "lowercase", id="slug-dash"),
    pytest.param(variant("season = 2", "season = 0"), "topic.season", "at least 1", id="season-0"),
    pytest.param(variant("season = 2", 'season = "two"'), "topic.season", "whole number", id="season-two"),
    pytest.param(variant("season = 2", "season = true"), "topic.season", "whole number", id="season-bool"),
    pytest.param(variant("season = 2", "season = 2.5"), "topic.season", "whole number", id="season-float"),
    pytest.param(variant('homepage = "https', 'homepage = "ftp'), "topic.homepage", "http(s)", id="homepage"),
    # [relevance]
    pytest.param(
        variant("min_score = 3.5", "min_score = 0"), "relevance.min_score", "positive", id="score-0"
    ),
    pytest.param(variant("min_score", "minscore"), "relevance.minscore", "unknown key", id="score-typo"),
    # [[cast]] and [[crew]]
    pytest.param(
        variant('actor = "Jane Doe"\n', 'character = "Hero"\n'), "cast[0].actor", "missing", id="no-actor"
    ),
    pytest.param(
        variant("actor_aliases", "actor_alias"), "cast[0].actor_alias", "unknown key", id="cast-typo"
    ),
    pytest.param(variant('"returning"', '"dead"'), "cast[0].status", "not one of", id="cast-status"),
    pytest.param(variant("[[cast]]", "[cast]"), "cast", "array of tables", id="cast-not-array"),
    pytest.param(
        variant('role = "director"', 'rol = "director"'), "crew[0].rol", "unknown key", id="crew-typo"
    ),
    pytest.param(variant('name = "John Roe"\n', ""), "crew[0].name", "missing", id="crew-no-name"),
    # [[sources]]
    pytest.param(variant('kind = "feed"', 'kind = "rss"'), "sources[0].kind", "not one of", id="source-kind"),
    pytest.param(variant('kind = "feed"\n', ""), "sources[0].kind", "missing", id="source-no-kind"),
    pytest.param(
        variant('url = "https://news', 'url = "ftp://news'), "sources[0].url", "http(s)", id="source-ftp"
    ),
    pytest.param(
        variant('url = "https://news.example.org/feed"', 'url = "/feed"'),
        "sources[0].url",
        "http(s)",
        id="source-relative",
    ),
    pytest.param(
        variant('url = "https://news.example.org/feed"\n', ""), "sources[0].url", "missing", id="no-url"
    ),
    pytest.param(
        variant('allow = ["/show/"]', 'allow = ["(show"]'), "sources[0].allow", "pattern", id="allow"
    ),
    pytest.param(variant("allow =", "alow ="), "sources[0].alow", "unknown key", id="source-typo"),
    pytest.param(MINIMAL + SECOND_SOURCE, "sources[1].url", "listed twice", id="duplicate-url"),
    pytest.param(MINIMAL + 'official = "yes"\n', "sources[0].official", "true or false", id="official"),
    # [publish]
    pytest.param(
        variant("feed_limit = 10", "feed_limit = 0"), "publish.feed_limit", "at least 1", id="limit-0"
    ),
    pytest.param(
        variant("feed_limit = 10", "feed_limt = 10"), "publish.feed_limt", "unknown key", id="limit-typo"
    ),
    pytest.param(
        variant('base_url = "https://feeds.example.org/show"', 'base_url = "feeds/"'),
        "publish.base_url",
        "http(s)",
        id="base-url",
    ),
    pytest.param(
        variant("feed_limit = 10", 'id_authority = "aoud tracker"'),
        "publish.id_authority",
        "domain name",
        id="id-authority",
    ),
    pytest.param(
        variant("feed_limit = 10", "digest_days = -1"), "publish.digest_days", "at least 1", id="digest-days"
    ),
    # URLs urlsplit refuses: a broken IPv6 host at once, an impossible port when .port is read
    pytest.param(
        variant('url = "https://news.example.org/feed"', 'url = "http://[oops/feed"'),
        "sources[0].url",
        "http(s)",
        id="source-url-bad-ipv6",
    ),
    pytest.param(
        variant('url = "https://news.example.org/feed"', 'url = "https://news.example.org:99999/feed"'),
        "sources[0].url",
        "http(s)",
        id="source-url-bad-port",
    ),
]


@pytest.mark.parametrize(("text", "key", "problem"), INVALID_TOPICS)
def test_invalid_topic_names_file_key_and_problem(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TopicError) as caught:
        load_topic(path)
    assert (caught.value.path, caught.value.key) == (str(path), key)
    assert problem in caught.value.problem
    assert str(caught.value) == f"{path}: {key}: {caught.value.problem}"


def test_invalid_toml_syntax_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "syntax.toml"
    path.write_text('[topic]\nname = "unterminated\n', encoding="utf-8")
    with pytest.raises(TopicError, match="not valid TOML") as caught:
        load_topic(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(TopicError, match="file not found") as caught:
        load_topic(path)
    assert caught.value.path == str(path)
    assert str(caught.value) == f"{path}: file not found"  # no key: the whole file is missing


def test_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(variant("Show: Season 2", "Café").encode("latin-1"))
    with pytest.raises(TopicError, match="cannot read") as caught:
        load_topic(path)
    assert caught.value.path == str(path)


def test_folder_instead_of_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TopicError, match="cannot read") as caught:
        load_topic(tmp_path)
    assert caught.value.path == str(tmp_path)
