"""Claim transitions and feeds/claims.xml: one entry per change in what is known, never per article."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import feedparser

from aoud_tracker import store
from aoud_tracker.publish import publish
from aoud_tracker.tagging import Tagger
from aoud_tracker.transitions import claim_transitions
from tests.factories import article

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session, sessionmaker

    from aoud_tracker.items import ArticleItem
    from aoud_tracker.topic import Topic

RUMOR_2026 = (
    "All of Us Are Dead Season 2 could premiere in the second half of 2026, industry sources say, as "
    "filming on the zombie drama continues in Paju and Incheon."
)
RUMOR_EARLY_2027 = (
    "Insiders now say All of Us Are Dead Season 2 will arrive in early 2027 because the visual effects "
    "for the outbreak scenes need several more months of work."
)
OFFICIAL_EARLY_2027 = (
    "Netflix confirmed that All of Us Are Dead Season 2 will premiere in early 2027, giving fans the "
    "first official release window for the zombie drama."
)
WRONG_ROLE = "Kim Si-eun has been cast as Choi Nam-ra in All of Us Are Dead Season 2, a blog reported."


def tagged(topic: Topic, item: ArticleItem) -> ArticleItem:
    """The item as the tag pipeline leaves it: tags and claims from its text."""
    tagging = Tagger(topic).tag(item.title, item.body, official_source=item.official, as_of=item.published_at)
    item.tags, item.claims = tagging.tags, tagging.claims
    return item


def save(sessions: sessionmaker[Session], topic: Topic, *items: ArticleItem) -> None:
    with sessions.begin() as session:
        for item in items:
            store.save_article(session, topic.slug, tagged(topic, item))


def piece(url: str, body: str, day: datetime, site: str = "Hallyu Wire", **kwargs: object) -> ArticleItem:
    return article(
        url, title="All of Us Are Dead Season 2 update", body=body, published=day, site=site, **kwargs
    )  # type: ignore[arg-type]


def kinds(sessions: sessionmaker[Session], topic: Topic) -> list[tuple[str, str]]:
    with sessions() as session:
        return [(t.kind, t.title) for t in claim_transitions(session, topic)]


def test_a_rumour_then_its_confirmation_are_two_transitions(
    sessions: sessionmaker[Session], topic: Topic
) -> None:
    """A rumour is news when first reported; the official window too, with what it confirms and rules out."""
    save(
        sessions, topic,
        piece("https://a.example/1", RUMOR_2026, datetime(2026, 2, 9, tzinfo=UTC)),
        piece("https://b.example/2", RUMOR_EARLY_2027, datetime(2026, 6, 10, tzinfo=UTC), site="Seoul"),
        piece("https://c.example/3", OFFICIAL_EARLY_2027, datetime(2026, 11, 18, tzinfo=UTC), site="KCN"),
    )  # fmt: skip
    with sessions() as session:
        found = claim_transitions(session, topic)

    assert [t.kind for t in found] == ["release_reported", "release_reported", "release_confirmed"]
    confirmed = found[-1]
    assert confirmed.title.startswith("Official release window: early 2027")
    assert "Confirms 1 earlier rumour(s): early 2027" in confirmed.detail
    assert "Rules out 1: second half of 2026" in confirmed.detail


def test_a_copy_or_a_repeat_adds_no_transition(sessions: sessionmaker[Session], topic: Topic) -> None:
    """A second site saying the same window is a source more, not a change."""
    save(sessions, topic, piece("https://a.example/1", RUMOR_2026, datetime(2026, 2, 9, tzinfo=UTC)))
    before = kinds(sessions, topic)
    save(
        sessions,
        topic,
        piece("https://z.example/9", RUMOR_2026, datetime(2026, 2, 10, tzinfo=UTC), site="Copycat"),
    )

    assert kinds(sessions, topic) == before


def test_a_rumour_after_the_official_window_is_flagged_as_contradicting_it(
    sessions: sessionmaker[Session], topic: Topic
) -> None:
    save(
        sessions, topic,
        piece("https://c.example/3", OFFICIAL_EARLY_2027, datetime(2026, 11, 18, tzinfo=UTC)),
        piece("https://a.example/1", RUMOR_2026.replace("2026", "2027").replace("second", "first"),
              datetime(2026, 11, 20, tzinfo=UTC)),
    )  # fmt: skip
    with sessions() as session:
        late = claim_transitions(session, topic)[-1]

    assert late.kind == "release_reported"
    assert late.detail == ""  # the first half of 2027 overlaps early 2027: no contradiction
    save(sessions, topic, piece("https://d.example/4", RUMOR_2026, datetime(2026, 11, 21, tzinfo=UTC)))
    with sessions() as session:
        clash = claim_transitions(session, topic)[-1]
    assert clash.detail.startswith("It contradicts the official window, early 2027")


def test_cast_transitions_follow_status_and_flag_a_wrong_role(
    sessions: sessionmaker[Session], topic: Topic
) -> None:
    save(
        sessions, topic,
        piece("https://a.example/1", "Roh Jae-won is reportedly in talks to join All of Us Are Dead 2.",
              datetime(2025, 6, 27, tzinfo=UTC)),
        piece("https://b.example/2", WRONG_ROLE, datetime(2025, 6, 30, tzinfo=UTC)),
        piece("https://c.example/3", "Netflix said Roh Jae-won joins the cast as Han Du-seok.",
              datetime(2025, 7, 23, tzinfo=UTC)),
        piece("https://d.example/4", "Roh Jae-won is rumoured to join All of Us Are Dead Season 2.",
              datetime(2025, 7, 24, tzinfo=UTC)),
    )  # fmt: skip
    found = kinds(sessions, topic)

    assert ("cast_rumored", "Roh Jae-won rumoured for the season") in found
    assert ("cast_new", "Roh Jae-won joins the season as Han Du-seok") in found
    assert ("cast_wrong_role", "Disputed: Kim Si-eun as Choi Nam-ra") in found
    assert sum(kind == "cast_rumored" and "Roh" in title for kind, title in found) == 1, (
        "a late rumour is no news"
    )


def entries(path: Path) -> list[tuple[str, str, str]]:
    parsed = feedparser.parse(path.read_bytes())
    return [(e.id, e.title, e.published) for e in parsed.entries]


def test_claims_feed_parses_and_keeps_its_entries_when_an_article_is_edited(
    sessions: sessionmaker[Session], topic: Topic, tmp_path: Path
) -> None:
    """Subscribers hear about changes in knowledge, never about an article being touched up."""
    save(
        sessions, topic,
        piece("https://a.example/1", RUMOR_2026, datetime(2026, 2, 9, tzinfo=UTC)),
        piece("https://c.example/3", OFFICIAL_EARLY_2027, datetime(2026, 11, 18, tzinfo=UTC), site="Netflix"),
    )  # fmt: skip
    feeds = tmp_path / "feeds"
    with sessions() as session:
        publish(session, topic, feeds)
    first = {name: entries(feeds / name) for name in ("claims.xml", "claims.atom.xml")}
    for name in first:
        parsed = feedparser.parse((feeds / name).read_bytes())
        assert not parsed.bozo
        assert parsed.entries[0].title.startswith("Official release window: early 2027")
        assert len({e.id for e in parsed.entries}) == len(parsed.entries) == 2

    edited = RUMOR_2026.replace("continues in Paju and Incheon", "continues in Paju, Incheon and Busan")
    save(sessions, topic, piece("https://a.example/1", edited, datetime(2026, 2, 9, tzinfo=UTC)))
    with sessions() as session:
        publish(session, topic, feeds)

    # Same ids, titles and dates: no reader announces anything; only the quoted sentence follows the edit.
    assert {name: entries(feeds / name) for name in first} == first
