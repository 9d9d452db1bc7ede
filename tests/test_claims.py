"""Claims from single sentences: release windows and their hedges, cast statuses, plot lines, credits."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

import pytest

from aoud_tracker.attribution import Attribution
from aoud_tracker.claims import ClaimExtractor
from aoud_tracker.findings import Claims, ReleaseClaim
from aoud_tracker.release_claims import strongest

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

AS_OF = date(2026, 5, 20)


@pytest.fixture(scope="module")
def extractor(topic: Topic) -> ClaimExtractor:
    return ClaimExtractor(topic)


def claims_of(extractor: ClaimExtractor, body: str, *, as_of: date = AS_OF, official: bool = False) -> Claims:
    return extractor.extract("", body, as_of, official_source=official)


def windows(claims: Claims) -> list[tuple[str | None, str | None, str | None, str]]:
    return [
        (c.start.isoformat() if c.start else None, c.end.isoformat() if c.end else None, c.precision, c.hedge)
        for c in claims.release_dates
    ]


# --- release windows and how sure they are ----------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        (
            "All of Us Are Dead Season 2 will premiere in late 2026, Netflix announced on Tuesday.",
            "confirmed",
        ),
        ("Per Netflix, the zombie drama's second season streams from late 2026.", "confirmed"),
        ("넷플릭스는 '지금 우리 학교는' 시즌2를 올해 말 공개한다고 밝혔다.", "confirmed"),
        ("All of Us Are Dead Season 2 is slated for late 2026.", "expected"),
        ("The second season is set to debut in late 2026.", "expected"),
        ("Season 2 could arrive in late 2026, according to people familiar with the schedule.", "rumored"),
        ("My money is on late 2026 for the season 2 drop.", "rumored"),
        ("'지금 우리 학교는' 시즌2가 올해 말 공개된다는 소문이 돌고 있다.", "rumored"),
        ("Netflix denied a report that Season 2 would premiere in late 2026.", "denied"),
        ("Season 2 still hasn't started filming, ruling out a late 2026 release.", "denied"),
        ("The VFX house is booked through the fall, so there's no way it drops in late 2026.", "denied"),
        ("I'm betting on a late 2026 drop for S2.", "rumored"),
        (
            "A claim that the second season will stream in late 2026 is simply wrong, the streamer said.",
            "denied",
        ),
    ],
)
def test_the_hedge_follows_who_says_it_and_how(extractor: ClaimExtractor, sentence: str, hedge: str) -> None:
    assert windows(claims_of(extractor, sentence)) == [("2026-09-01", "2026-12-31", "season", hedge)]


def test_a_hedge_in_a_later_clause_does_not_reach_back(extractor: ClaimExtractor) -> None:
    """'Targeting fall, though effects could push it back': the doubt is about something else."""
    claims = claims_of(
        extractor, "Season 2 is targeting a fall 2026 release, though effects work could push it back."
    )

    assert windows(claims) == [("2026-09-01", "2026-11-30", "season", "expected")]


def test_no_release_date_yet_is_a_claim_of_its_own(extractor: ClaimExtractor) -> None:
    claims = claims_of(
        extractor,
        "Netflix dismissed the December rumour, saying the premiere date will be announced in due course.",
    )

    assert ("no_date" in [h for *_, h in windows(claims)]) and claims.release_dates[-1].start is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Filming on All of Us Are Dead Season 2 is set to wrap in late 2026.",
        "Netflix will hold a premiere event for the season in Seoul on March 3, 2027.",
        "The teaser for All of Us Are Dead Season 2 could drop in late 2026.",
        "Netflix confirmed on November 18, 2026 that the cast would attend a fan event.",
        "Season 1 premiered on January 28, 2022 and topped the chart.",
        "시즌2는 2026년 8월 크랭크인했다.",
        "Moonlit Ferry returns for a third season in late 2026.",
        "Netflix will host the Seoul premiere of All of Us Are Dead Season 2 on March 3, 2027.",
    ],
)
def test_dates_of_other_events_are_not_release_claims(extractor: ClaimExtractor, sentence: str) -> None:
    assert claims_of(extractor, sentence).release_dates == ()


def test_the_event_date_and_the_launch_date_in_one_sentence(extractor: ClaimExtractor) -> None:
    claims = claims_of(
        extractor,
        "Netflix will hold a red-carpet premiere in Seoul on March 3, 2027, two days before the season "
        "launches worldwide on March 5, 2027.",
        official=True,
    )

    assert windows(claims) == [("2027-03-05", "2027-03-05", "day", "confirmed")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Over the past year, reports had pointed to a release in 2026.",
        "That makes a late 2026 premiere unlikely.",
        'Late last year, reports suggested only that the series would arrive "in 2027".',
    ],
)
def test_a_retold_or_doubted_window_is_talk_not_a_claim(extractor: ClaimExtractor, sentence: str) -> None:
    """The article discusses the release date (so it is tagged) without claiming the window."""
    claims = claims_of(extractor, sentence)

    assert claims.release_dates == () and claims.release_talk == (sentence,)


@pytest.mark.parametrize(
    ("sentence", "as_of", "window"),
    [
        (
            "The season will come out later this year.",
            date(2026, 5, 20),
            ("2026-06-01", "2026-12-31", "season"),
        ),
        (
            "Season 2 is expected to arrive next month.",
            date(2027, 2, 3),
            ("2027-03-01", "2027-03-31", "month"),
        ),
        ("시즌2는 내년 상반기 공개 예정이다.", date(2026, 5, 20), ("2027-01-01", "2027-06-30", "half")),
        (
            "시즌 2가 내년 1월 말 공개될 것으로 보인다.",
            date(2026, 11, 12),
            ("2027-01-21", "2027-01-31", "part_of_month"),
        ),
        (
            "I'd guess November or December 2026 for the drop.",
            date(2026, 3, 1),
            ("2026-11-01", "2026-12-31", "month"),
        ),
        (
            "It will premiere in Q4 2026 or Q1 2027.",
            date(2026, 3, 1),
            ("2026-10-01", "2027-03-31", "quarter"),
        ),
        (
            "시즌2는 2025년 말이나 2026년 상반기 공개될 전망이다.",
            date(2024, 8, 30),
            ("2025-09-01", "2026-06-30", "half"),
        ),
    ],
)
def test_relative_phrases_and_disjunctions_are_one_window(
    extractor: ClaimExtractor, sentence: str, as_of: date, window: tuple[str, str, str]
) -> None:
    assert [w[:3] for w in windows(claims_of(extractor, sentence, as_of=as_of))] == [window]


def test_one_window_said_twice_keeps_the_strongest_statement() -> None:
    """A content farm repeating 'March 2027', once as Netflix's word: one confirmed claim."""
    start, end = date(2027, 3, 1), date(2027, 3, 31)
    said = [
        ReleaseClaim(start, end, "month", hedge, "March 2027", "s")
        for hedge in ("expected", "confirmed", "rumored")
    ]

    assert [c.hedge for c in strongest(said)] == ["confirmed"]


# --- cast ---------------------------------------------------------------------------------------


def cast_of(extractor: ClaimExtractor, sentence: str) -> list[tuple[str, str | None, str]]:
    return [(c.actor, c.character, c.status) for c in claims_of(extractor, sentence).cast]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Park Jihu, Jo Yi-hyun and Romon all return as their Season 1 characters.",
         [("Park Ji-hu", None, "returning"), ("Cho Yi-hyun", None, "returning"),
          ("Lomon", None, "returning")]),
        ("Noh Jae Won has been cast as Han Doo-seok.", [("Roh Jae-won", "Han Du-seok", "new")]),
        ("Lee You-mi is reportedly reviewing an offer to return as Na-yeon.",
         [("Lee Yoo-mi", "Lee Na-yeon", "rumored")]),
        ("Yoo In-soo will not return, ending speculation that he would reprise Gwi-nam.",
         [("Yoo In-soo", None, "leaving")]),
        ("배우 노재원이 시즌2 출연을 검토 중인 것으로 알려졌다.", [("Roh Jae-won", None, "rumored")]),
    ],
)  # fmt: skip
def test_each_name_takes_the_status_of_its_verb(
    extractor: ClaimExtractor, sentence: str, expected: list[tuple[str, str | None, str]]
) -> None:
    assert cast_of(extractor, sentence) == expected


def test_unknown_names_count_only_next_to_a_casting_verb(extractor: ClaimExtractor) -> None:
    assert cast_of(extractor, "Rookie Seo Ha-neul joins the cast as Baek Do-hyun, a medic.") == [
        ("Seo Ha-neul", "Baek Do-hyun", "new")
    ]
    assert cast_of(extractor, "Seo Ha-neul was spotted at a cafe in Seongsu.") == []


def test_a_korean_verb_fused_to_a_name_governs_that_name(extractor: ClaimExtractor) -> None:
    """'하차한 공태림을 대신해': the one who left is the one the verb is fused to."""
    found = cast_of(extractor, "배우 표민결이 시즌2에서 하차한 공태림을 대신해 강도윤 역을 맡는다.")

    assert [(actor, status) for actor, _, status in found] == [("표민결", "new"), ("공태림", "leaving")]


def test_a_hedge_in_another_clause_does_not_make_a_return_a_rumour(extractor: ClaimExtractor) -> None:
    sentence = (
        "Yoon Chan-young is also back as Lee Cheong-san; according to reports, his scenes are flashbacks."
    )

    assert cast_of(extractor, sentence) == [("Yoon Chan-young", "Lee Cheong-san", "returning")]


def test_a_wrong_role_is_kept_as_written_for_the_ledger(extractor: ClaimExtractor) -> None:
    assert cast_of(extractor, "Kim Si-eun cast as Nam-ra, report says") == [
        ("Kim Si-eun", "Choi Nam-ra", "rumored")
    ]
    assert cast_of(extractor, "Kim Si-eun will play Nam-ra's younger sister.") == [
        ("Kim Si-eun", None, "new")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "In the first season, Park Ji-hu played Nam On-jo.",
        "The series starred Park Ji-hu as Nam On-jo and Lomon as Lee Su-hyeok.",
        "Director Lee Jae-kyoo will return for the new season.",
    ],
)
def test_history_and_crew_are_not_cast_claims(extractor: ClaimExtractor, sentence: str) -> None:
    assert cast_of(extractor, sentence) == []


# --- plot ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "spoiler"),
    [
        ("The new season moves the action to a university campus in Seoul.", False),
        ("So Ju-ran hides her infection from her new classmates.", False),
        ("Cho Yi-hyun said Nam-ra must choose between the humans and the halfbies.", False),
        ("The finale kills off Han Du-seok on a burning rooftop.", True),
        ("But this season she has to choose between her friends and her orders.", False),
        ("Yoon Ga-yi's Jong-ah is the first human who can sense the halfbies.", False),
        (
            "남라 역의 조이현은 '이번 시즌에서 남라는 인간과 좀비 사이에서 선택을 강요받는다'고 말했다.",
            False,
        ),
    ],
)
def test_plot_lines_are_kept_with_a_spoiler_flag(
    extractor: ClaimExtractor, sentence: str, spoiler: bool
) -> None:
    assert [(p.sentence, p.spoiler) for p in claims_of(extractor, sentence).plot] == [(sentence, spoiler)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Lee Min-jae's Yong Ma-ru gets a menacing introduction in the trailer.",
        "Gwi-nam was the scariest villain in any K-drama.",
        "Details of the plot remain under wraps.",
        "Lee JQ returns to direct the second season, this time sharing the chair with Kim Nam-su.",
        "Lomon is back as Su-hyeok and they are already looking for a new villain.",
        "Asked when fans can expect Season 2, a spokesperson said there is nothing to share at this time.",
        "A teaser poster shows On-jo and Su-hyeok standing in front of Hyosan High.",
        "Fans are sure Nam-ra and Su-hyeok are coming back.",
    ],
)
def test_naming_a_role_or_remembering_season_one_is_not_plot(
    extractor: ClaimExtractor, sentence: str
) -> None:
    assert claims_of(extractor, sentence).plot == ()


def test_a_casting_word_with_nobody_cast_does_not_hide_the_plot(extractor: ClaimExtractor) -> None:
    sentence = "The final shot reveals it was Du-seok playing old recordings to lure the survivors."

    assert [p.sentence for p in claims_of(extractor, sentence).plot] == [sentence]


def test_a_sentence_about_another_quoted_title_claims_nothing(extractor: ClaimExtractor) -> None:
    """Korean news quotes titles; the other drama's date and casting are not the season's."""
    claims = claims_of(
        extractor,
        "한편 조이현이 출연한 '종이 왕관' 시즌2는 오는 10월 공개된다. "
        "조이현은 새 드라마 '종이 왕관'에서 궁중 조향사 역을 맡았다.",
        as_of=date(2026, 9, 9),
    )

    assert claims.release_dates == () and claims.cast == ()


def test_every_plot_line_of_a_spoiler_article_is_a_spoiler(extractor: ClaimExtractor) -> None:
    claims = claims_of(extractor, "SPOILERS ahead. Nam-ra chooses to stay with the halfbies.")

    assert [p.spoiler for p in claims.plot] == [True]


# --- credits --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "official"),
    [
        ("Filming wrapped, according to production company Film Monster.", True),
        ("넷플릭스에 따르면 촬영은 4월에 끝났다.", True),
        ("A Netflix Korea spokesperson said filming wrapped.", True),
        ("The streamer told reporters that filming wrapped.", True),
        ("Neither Netflix nor the agency has confirmed the casting.", False),
        ("Fans on a Netflix forum say filming wrapped.", False),
    ],
)
def test_a_studio_credit_makes_news_official(topic: Topic, sentence: str, official: bool) -> None:
    assert Attribution(topic).official(sentence) is official


def test_the_studios_come_from_the_topic_file(topic: Topic) -> None:
    other = Attribution(dataclasses.replace(topic, studios=("Lumen+",)))

    assert other.official("Lumen+ confirmed the date.") and not other.official("Netflix confirmed the date.")
