"""Full-text search (`aoud-tracker search`): SQLite FTS5 and PostgreSQL tsvector answer alike."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from aoud_tracker import store
from aoud_tracker.search import fts5_query, query_words, search, tsquery
from tests.conftest import run_cli
from tests.factories import article

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session, sessionmaker

TOPIC = "aoud-s2"
TEASER = (
    "Netflix released the first teaser trailer for All of Us Are Dead Season 2 on Friday. "
    "Lomon returns as Lee Su-hyeok in the footage, which shows a flooded subway station.\n\n"
    "The streamer has not given a date yet, but the teaser ends with the words 'coming soon', and "
    "fans expect the season to premiere early next year, around five years after the first one."
)
CASTING = (
    "Roh Jae-won joins All of Us Are Dead Season 2 as Han Du-seok, an intelligence agent, "
    "while Yoon Ga-i plays Lee Jong-ah, a student who survived the outbreak in Hyosan."
)
KOREAN = "넷플릭스 시리즈 '지금 우리 학교는' 시즌2가 내년 1월 말 공개될 것으로 보인다. 로몬도 출연한다."


@pytest.fixture
def filled(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        store.save_article(
            session, TOPIC, article("https://a.example/teaser", title="Teaser is out", body=TEASER)
        )
        store.save_article(  # a verbatim copy elsewhere: the same story
            session, TOPIC, article("https://b.example/copy", title="Teaser arrives", body=TEASER)
        )
        store.save_article(session, TOPIC, article("https://a.example/cast", title="New cast", body=CASTING))
        store.save_article(
            session, TOPIC, article("https://k.example/1", title="시즌2 공개 유력", body=KOREAN)
        )
        store.save_article(session, "other-show", article("https://o.example/x", title="Teaser", body=TEASER))
    return sessions


def titles(sessions: sessionmaker[Session], query: str) -> list[str]:
    with sessions() as session:
        return [hit.title for hit in search(session, TOPIC, query)]


def test_every_word_must_match_in_title_or_body(filled: sessionmaker[Session]) -> None:
    assert titles(filled, "Lomon subway") in (["Teaser is out"], ["Teaser arrives"])
    assert titles(filled, "Lomon agent") == []
    assert titles(filled, "intelligence") == ["New cast"]
    assert titles(filled, "new cast") == ["New cast"], "title words count"


def test_one_hit_per_story_and_only_this_topic(filled: sessionmaker[Session]) -> None:
    with filled() as session:
        hits = search(session, TOPIC, "teaser")
    assert len(hits) == 1, "the copy is the same story, and the other show's article is not listed"
    assert "[teaser]" in hits[0].snippet.lower()
    assert hits[0].published_at is not None and hits[0].published_at.tzinfo is not None


def test_words_match_as_prefixes_so_korean_particles_do_not_hide_a_word(
    filled: sessionmaker[Session],
) -> None:
    assert titles(filled, "학교") == ["시즌2 공개 유력"], "학교 finds 학교는"
    assert titles(filled, "trail") != [], "a prefix of trailer"
    assert titles(filled, "LOMON") != [], "case does not matter"


@pytest.mark.parametrize(
    "query", ['"', "'", 'Lomon" OR "x', "NEAR(a b)", "*", "a:b", "(", "title:teaser", "\\", "--", "&|!"]
)
def test_any_text_is_a_query_never_a_syntax_error(filled: sessionmaker[Session], query: str) -> None:
    with filled() as session:
        search(session, TOPIC, query)  # no exception; what it finds is whatever contains the words


def test_an_edited_article_is_found_by_its_new_text(filled: sessionmaker[Session]) -> None:
    edited = replace(
        article(
            "https://a.example/cast", title="New cast", body=CASTING.replace("intelligence", "secret service")
        ),
        fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
    )
    with filled.begin() as session:
        assert store.save_article(session, TOPIC, edited) == "updated"
    assert titles(filled, "secret service") == ["New cast"]
    assert titles(filled, "intelligence") == []


def test_ranking_looks_only_at_the_newest_matches(filled: sessionmaker[Session]) -> None:
    """Only the newest `window` matches of the topic are ranked; a newer match of another topic
    does not use up the window."""
    newer = "A second teaser came out on Monday, showing the rooftop of Hyosan High School at night."
    with filled.begin() as session:
        store.save_article(
            session, TOPIC, article("https://c.example/new", title="Second teaser", body=newer)
        )
        store.save_article(session, "other-show", article("https://o.example/y", title="Teaser", body=newer))
    with filled() as session:
        everything = {hit.title for hit in search(session, TOPIC, "teaser")}
        newest_only = [hit.title for hit in search(session, TOPIC, "teaser", window=1)]

    assert everything == {"Second teaser", "Teaser is out"} or everything == {
        "Second teaser",
        "Teaser arrives",
    }
    assert newest_only == ["Second teaser"]


def test_query_building() -> None:
    assert query_words("Lomon's  return, 2027!") == ["lomon", "s", "return", "2027"]
    assert fts5_query(['a"b']) == '"a""b"*'
    assert tsquery(["o'neil", "x"]) == "'o''neil':* & 'x':*"
    assert query_words("?!") == []


def test_search_command(filled: sessionmaker[Session], db_url: str, tmp_path: Path) -> None:
    result = run_cli("search", "--db", db_url, "Roh", "agent", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert [h["title"] for h in hits] == ["New cast"]
    assert {"story_id", "url", "site", "published_at", "snippet"} <= set(hits[0])
    table = run_cli("search", "--db", db_url, "nothing-like-this", cwd=tmp_path)
    assert table.returncode == 0 and "No story contains" in table.stdout


def test_search_on_a_missing_store_exits_2(tmp_path: Path) -> None:
    result = run_cli("search", "--db", f"sqlite:///{tmp_path / 'none.db'}", "x", cwd=tmp_path)
    assert result.returncode == 2
    assert "none.db" in result.stderr


def test_tables_print_scraped_text_as_it_is(
    sessions: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    """Rich reads "[red]…" as styling: scraped titles and snippets must not be."""
    title = "[red]Leaked[/red] [teaser] notes"
    with sessions.begin() as session:
        store.save_article(session, TOPIC, article("https://x.example/markup", title=title, body=TEASER))
    for command in (["search", "teaser"], ["latest"]):
        result = run_cli(*command, "--db", db_url, cwd=tmp_path, env={"COLUMNS": "300"})
        assert result.returncode == 0, result.stderr
        assert "[red]Leaked[/red]" in result.stdout, command
    found = run_cli("search", "flooded", "--db", db_url, cwd=tmp_path, env={"COLUMNS": "300"})
    assert "[flooded]" in found.stdout, "the snippet keeps its match marks"
