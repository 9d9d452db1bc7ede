"""Relevance: a page counts only when a season marker is anchored to one of the show's titles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from aoud_tracker.extract import extract
from aoud_tracker.relevance import RelevanceScorer, season_markers

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

PAGES = Path(__file__).parent / "fixtures" / "pages"
NOW = datetime(2025, 9, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def scorer(topic: Topic) -> RelevanceScorer:
    return RelevanceScorer(topic)


def test_season_markers_include_the_usual_spellings(topic: Topic) -> None:
    """'season 2', 'second season', '2nd season', 'All of Us Are Dead 2' and Korean '시즌2' all count."""
    markers = {m.lower() for m in season_markers(topic)}

    assert {"season 2", "season two", "second season", "2nd season", "시즌2", "시즌 2"} <= markers
    assert "all of us are dead 2" in markers


# --- relevant pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "All of Us Are Dead season 2 begins filming with the returning cast",
            "Filming on All of Us Are Dead season 2 began this week in Seoul. Park Ji-hu and Yoon Chan-young "
            "return, joined by newcomer Lee Min-jae, and Lee Jae-kyoo directs again.",
        ),
        (
            "Netflix confirms second season of Now at Our School",
            "The second season of Now at Our School, known abroad as All of Us Are Dead, is in production. "
            "Lomon and Cho Yi-hyun are back.",
        ),
        (
            "Season 2 of All of Us Are Dead is officially filming",
            "Season 2 of All of Us Are Dead is filming in Incheon, and Park Ji-hu is back as Nam On-jo.",
        ),
        (
            "What the survivors face next",
            "All of Us Are Dead is officially returning for a second season. Park Ji-hu, Lomon, Cho Yi-hyun "
            "and Yoon Chan-young are confirmed. All of Us Are Dead season 2 has no date yet.",
        ),
    ],
    ids=["season-2-in-headline", "second-season-of-alt-title", "marker-before-title", "body-only"],
)
def test_pages_about_the_new_season_are_relevant(scorer: RelevanceScorer, title: str, body: str) -> None:
    """The show's title with a season marker next to it, in headline or body, is what the tracker wants."""
    verdict = scorer.score(title, body)

    assert verdict.relevant, verdict.reason
    assert verdict.score >= scorer.threshold


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "'지금 우리 학교는' 시즌2 촬영 돌입…박지후·윤찬영 다시 뭉친다",
            "넷플릭스 '지금 우리 학교는' 시즌2가 촬영에 들어갔다. 박지후, 윤찬영, 조이현, 로몬이 출연한다.",
        ),
        (
            "넷플릭스 지금 우리 학교 시즌 2 제작 확정",
            "'지금 우리 학교는' 시즌 2의 제작이 확정됐다. 이재규 감독이 다시 연출을 맡는다.",
        ),
    ],
)
def test_korean_pages_are_relevant(scorer: RelevanceScorer, title: str, body: str) -> None:
    """Hangul titles take particles ('학교는', '시즌2가'); the match must survive them."""
    verdict = scorer.score(title, body)

    assert verdict.relevant, verdict.reason


def test_title_case_headline_is_relevant(scorer: RelevanceScorer) -> None:
    """In a Title Case headline every word is capitalised; that alone must not break the anchor."""
    verdict = scorer.score(
        "All of Us Are Dead Is Officially Returning For Season 2, Netflix Confirms",
        "Netflix has confirmed that All of Us Are Dead will return. Park Ji-hu returns as Nam On-jo.",
    )

    assert verdict.relevant, verdict.reason
    assert "season marker next to title in headline" in verdict.reason


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("hanriverherald_graph.html", "https://www.hanriverherald.example/culture/2025/07/23/aoud-s2-cast"),
        (
            "streamledger_opengraph.html",
            "https://streamledger.example/yoo-in-soo-all-of-us-are-dead-season-2/",
        ),
        ("zombiehomeroom_blog.html", "https://zombiehomeroom.example/posts/season-two-wrap-rumours"),
        ("kscreennews_euckr.html", "http://www.kscreennews.example/news/view.html?no=88140"),
    ],
)
def test_extracted_fixture_articles_are_relevant(scorer: RelevanceScorer, name: str, url: str) -> None:
    """The real pipeline order: extract first, then score the extracted headline and body."""
    page = extract((PAGES / name).read_bytes(), url, now=NOW)

    verdict = scorer.score(page.title, page.body)

    assert verdict.relevant, verdict.reason


# --- pages that are not about the new season ---------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Squid Game season 2 sets a viewing record",
            "Squid Game season 2 drew record numbers in its first week. The show joins All of Us Are Dead "
            "and Hellbound among Netflix's biggest Korean hits.",
        ),
        (
            "Sweet Home season 2 review",
            "Sweet Home season 2 doubles down on monsters. Like All of Us Are Dead, it is set in Korea.",
        ),
        (
            "'오징어 게임' 시즌2 공개",
            "'오징어 게임' 시즌2가 공개됐다. 앞서 '지금 우리 학교는'도 큰 인기를 끌었다.",
        ),
    ],
    ids=["squid-game", "sweet-home", "korean-other-show"],
)
def test_other_shows_second_seasons_are_not_relevant(scorer: RelevanceScorer, title: str, body: str) -> None:
    """Another show's season 2 next to a passing mention of ours must not be tracked."""
    verdict = scorer.score(title, body)

    assert not verdict.relevant
    assert "no season marker next to a title" in verdict.reason


@pytest.mark.parametrize(
    "body",
    [
        "Netflix hits such as All of Us Are Dead and Squid Game, whose second season broke records, have "
        "made Korea central to the streamer's plans.",
        "Fans still love All of Us Are Dead. Season 2 of Kingdom is what they want next.",
        "Cho Yi-hyun, the All of Us Are Dead star, has joined the thriller Hellbound for its second season.",
    ],
    ids=["list-of-hits", "sentence-boundary", "actor-joins-other-show"],
)
def test_passing_mentions_are_not_relevant(scorer: RelevanceScorer, body: str) -> None:
    """The season marker belongs to something named in between, or sits in another sentence."""
    verdict = scorer.score("Netflix's Korean slate", body)

    assert not verdict.relevant


def test_season_one_retrospective_is_not_relevant(scorer: RelevanceScorer) -> None:
    """Anniversary pieces name the show and its cast but no new season."""
    verdict = scorer.score(
        "All of Us Are Dead, three years on: why the first season still works",
        "All of Us Are Dead premiered in January 2022. The first season followed students trapped in "
        "Hyosan High, and Park Ji-hu played Nam On-jo. Lomon and Cho Yi-hyun became stars.",
    )

    assert not verdict.relevant
    assert verdict.score > 0  # it is close to the topic, just not about season 2


def test_a_higher_season_number_is_not_season_two(scorer: RelevanceScorer) -> None:
    """'season 20' contains 'season 2' as text but is another marker."""
    verdict = scorer.score(
        "All of Us Are Dead season 20?", "All of Us Are Dead season 20 would be a long wait."
    )

    assert not verdict.relevant


def test_headline_alone_is_not_enough_when_the_body_never_names_the_show(scorer: RelevanceScorer) -> None:
    """A relevant headline over a cookie wall or a paywall stub is not an article about the show."""
    verdict = scorer.score(
        "All of Us Are Dead season 2 update",
        "Subscribe to keep reading. Cookies help us deliver our services.",
    )

    assert not verdict.relevant
    assert "never names the show" in verdict.reason


def test_a_single_weak_body_mention_stays_below_the_threshold(scorer: RelevanceScorer) -> None:
    """One anchored phrase in a round-up about something else scores, but not enough."""
    verdict = scorer.score(
        "This week on Netflix",
        "Physical: 100 returns for part 3, and All of Us Are Dead season 2 is filming. Also new: baking.",
    )

    assert not verdict.relevant
    assert "below" in verdict.reason


def test_score_grows_with_the_evidence(scorer: RelevanceScorer) -> None:
    """More anchored mentions and more cast names mean a more clearly on-topic page."""
    thin = scorer.score("AOUD news", "All of Us Are Dead season 2 is filming, with Park Ji-hu.")
    rich = scorer.score(
        "All of Us Are Dead season 2 is filming",
        "All of Us Are Dead season 2 is filming, with Park Ji-hu, Lomon, Cho Yi-hyun and Yoon Chan-young. "
        "The second season of All of Us Are Dead is directed by Lee Jae-kyoo.",
    )

    assert rich.score > thin.score


def test_title_case_headline_about_another_shows_season_is_not_relevant(scorer: RelevanceScorer) -> None:
    """'Actress Joins Hellbound' names another show even when every word is capitalised."""
    verdict = scorer.score(
        "All of Us Are Dead Actress Joins Hellbound Season 2",
        "Cho Yi-hyun, of All of Us Are Dead fame, has joined Hellbound season 2. Filming starts next month.",
    )

    assert not verdict.relevant


def test_korean_headline_about_another_shows_season_is_not_relevant(scorer: RelevanceScorer) -> None:
    """Korean headlines name an actor's famous show before the new one: '<our show>' actor, '<other>' S2."""
    verdict = scorer.score(
        "'지금 우리 학교는' 조이현, '스위트홈' 시즌2 합류",
        "배우 조이현이 '스위트홈' 시즌2에 합류한다. 조이현은 '지금 우리 학교는'으로 이름을 알렸다.",
    )

    assert not verdict.relevant


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.timeout(20)
def test_a_five_megabyte_one_line_body_is_scored_in_linear_time(scorer: RelevanceScorer) -> None:
    """Every title was tried against every marker: a 1 MB body took 8 s and 5 MB hung the crawl.

    Scoring runs on the reactor thread; the verdict must stay the same, one anchored mention per
    sentence, and come back well inside the timeout.
    """
    sentence = (
        "All of Us Are Dead season 2 begins filming, and Park Ji-hu returns for the second season "
        "of the show, Now at Our School. "
    )
    repeats = 5_000_000 // len(sentence)

    verdict = scorer.score("All of Us Are Dead season 2", sentence * repeats)

    assert verdict.relevant, verdict.reason
    assert f"{repeats * 2} anchored season mention(s) in body" in verdict.reason
    assert f"{repeats * 2} title mention(s) in body" in verdict.reason
