"""Tags: each one earned by a sentence of the article, with that sentence kept as evidence."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from aoud_tracker.findings import TAGS
from aoud_tracker.tagging import Tagger

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

AS_OF = datetime(2025, 9, 1, tzinfo=UTC)
NEUTRAL_TITLE = "All of Us Are Dead season 2 update"


@pytest.fixture(scope="module")
def tagger(topic: Topic) -> Tagger:
    return Tagger(topic)


def _tags(
    tagger: Tagger, body: str, *, title: str = NEUTRAL_TITLE, as_of: datetime = AS_OF
) -> tuple[str, ...]:
    return tagger.tag(title, body, as_of=as_of).tags


# --- every tag is earned by a sentence ---------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "sentence"),
    [
        ("release_date", "The second season will premiere on Netflix in early 2026."),
        ("release_date", "Netflix is aiming for a release in the second half of next year."),
        ("cast", "Lomon returns as class president Lee Su-hyeok."),
        ("cast", "Roh Jae-won joins the cast as a soldier guarding the quarantine zone."),
        ("plot", "The new season will follow the survivors as they start university."),
        ("production", "Filming began in Incheon last week."),
        ("production", "The cast gathered for the first table read in March."),
        ("spoiler", "Spoiler: Su-hyeok dies in the second episode."),
        ("release_date", "'지금 우리 학교는' 시즌2는 2026년 하반기 공개 예정이다."),
        ("cast", "박지후가 시즌2에 다시 출연한다."),
        ("plot", "시즌2는 대학생이 된 온조의 이야기를 그릴 예정이다."),
        ("production", "시즌2는 지난달 촬영을 시작했다."),
    ],
)
def test_tag_is_earned_by_its_sentence(tagger: Tagger, tag: str, sentence: str) -> None:
    """The sentence that earned a tag is kept, so a reader can check why the story was filed there."""
    tagging = tagger.tag(NEUTRAL_TITLE, f"Fans have waited a long time. {sentence}", as_of=AS_OF)

    assert tag in tagging.tags
    assert tagging.evidence[tag] == sentence


def test_tags_come_in_the_canonical_order(tagger: Tagger) -> None:
    """Feeds list categories in one fixed order, so the same article gives the same bytes."""
    tagging = tagger.tag(
        NEUTRAL_TITLE,
        "Spoilers ahead. Filming began in May. Lomon returns as Lee Su-hyeok. The season premieres in 2026. "
        "Su-hyeok dies in episode 3.",
        as_of=AS_OF,
    )

    assert tagging.tags == tuple(t for t in TAGS if t in tagging.tags)
    assert {"release_date", "cast", "production", "spoiler"} <= set(tagging.tags)


def test_evidence_is_the_first_sentence_that_earns_a_tag(tagger: Tagger) -> None:
    """The lede is the best evidence; later repetitions do not replace it."""
    tagging = tagger.tag(NEUTRAL_TITLE, "Filming began in Incheon. Filming continued in Busan.", as_of=AS_OF)

    assert tagging.evidence["production"] == "Filming began in Incheon."


def test_a_keyword_alone_earns_nothing(tagger: Tagger) -> None:
    """'release' and 'cast' as bare words are not claims."""
    tags = _tags(tagger, "The release of new photos delighted fans. The cast is popular with teenagers.")

    assert not {"release_date", "cast"} & set(tags)


# --- background and boilerplate ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The first season premiered in January 2022 and topped the global chart.",
        "All of Us Are Dead was released on Netflix in January 2022.",
        "Since its debut in 2022, the series has been watched by millions.",
        "시즌1은 2022년 1월 공개됐다.",
    ],
)
def test_season_one_release_background_is_not_a_release_date(tagger: Tagger, sentence: str) -> None:
    """Every article repeats when Season 1 came out; that is not news about Season 2."""
    assert "release_date" not in _tags(tagger, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "In the first season, Park Ji-hu played Nam On-jo.",
        "The series starred Park Ji-hu as Nam On-jo and Lomon as Lee Su-hyeok.",
    ],
)
def test_season_one_cast_background_is_not_cast_news(tagger: Tagger, sentence: str) -> None:
    """Recaps of who played whom are background, not casting."""
    assert "cast" not in _tags(tagger, sentence)


def test_season_one_plot_recap_is_not_plot_news(tagger: Tagger) -> None:
    """The plot tag is for what the new season will be about."""
    tags = _tags(
        tagger, "The first season followed students trapped in a school, and this time in 2022 it was grim."
    )

    assert "plot" not in tags


@pytest.mark.parametrize(
    "sentence",
    [
        "Netflix has not announced a release date for the second season yet.",
        "There is no release date yet for All of Us Are Dead season 2.",
        "No premiere date has been announced for the second season.",
    ],
)
def test_no_release_date_yet_closing_a_casting_story_is_not_tagged(tagger: Tagger, sentence: str) -> None:
    """The boilerplate line of every casting story is the absence of news: no tag, but a no_date claim."""
    tagging = tagger.tag(NEUTRAL_TITLE, f"Lomon returns as Lee Su-hyeok. {sentence}", as_of=AS_OF)

    assert "release_date" not in tagging.tags
    assert [c.hedge for c in tagging.claims.release_dates] == ["no_date"]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Still no release date for All of Us Are Dead season 2", "Fans keep asking. Netflix is silent."),
        (NEUTRAL_TITLE, "Netflix has not announced a release date for the second season yet."),
    ],
)
def test_no_release_date_as_the_news_itself_is_tagged(tagger: Tagger, title: str, body: str) -> None:
    """In the headline, or in an article about nothing else, "no date yet" is the release news."""
    tagging = tagger.tag(title, body, as_of=AS_OF)

    assert "release_date" in tagging.tags
    assert [c.hedge for c in tagging.claims.release_dates] == ["no_date"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Netflix did not reveal plot details.",
        "Details of the plot remain under wraps.",
        "줄거리는 공개되지 않았다.",
    ],
)
def test_no_plot_details_is_not_tagged(tagger: Tagger, sentence: str) -> None:
    """'The plot is under wraps' is not a plot report."""
    assert "plot" not in _tags(tagger, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "A release date has not been set, but filming wrapped in July.",
        "Netflix has not announced a release date, though the cast met for a script reading in March.",
    ],
)
def test_no_release_date_next_to_another_events_month_is_not_a_window(tagger: Tagger, sentence: str) -> None:
    """The month belongs to filming, and the release date is explicitly missing."""
    claims = tagger.tag(NEUTRAL_TITLE, sentence, as_of=AS_OF).claims

    assert [(c.hedge, c.start) for c in claims.release_dates] == [("no_date", None)]


@pytest.mark.parametrize(
    "sentence",
    ["Netflix may release the first teaser soon.", "The new episodes may arrive sooner than fans think."],
)
def test_modal_may_is_not_a_month(tagger: Tagger, sentence: str) -> None:
    """'may' as a verb is the most common word in speculative coverage."""
    assert "release_date" not in _tags(tagger, sentence)


def test_the_month_may_still_counts(tagger: Tagger) -> None:
    """The real month stays a time expression."""
    assert "release_date" in _tags(tagger, "Season 2 will be released in May 2026.")


def test_ap_style_abbreviated_date_is_a_release_date(tagger: Tagger) -> None:
    """US wire copy abbreviates months ('Jan. 9'); the release date is the headline news."""
    assert "release_date" in _tags(
        tagger, "All of Us Are Dead season 2 premieres on Netflix on Jan. 9, 2026."
    )


def test_season_one_production_background_is_not_production_news(tagger: Tagger) -> None:
    """How the first season was shot is background, like its release date."""
    assert "production" not in _tags(tagger, "Filming of the first season wrapped in 2021.")


@pytest.mark.parametrize("sentence", ["This review is spoiler-free.", "No spoilers here, we promise."])
def test_spoiler_free_is_not_a_spoiler(tagger: Tagger, sentence: str) -> None:
    """A promise of no spoilers is the opposite of a spoiler warning."""
    assert "spoiler" not in _tags(tagger, sentence)


# --- years relative to the article's date ------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "as_of", "tagged"),
    [
        ("Season 2 will launch in 2026.", datetime(2025, 9, 1, tzinfo=UTC), True),
        ("Season 2 will launch in 2025.", datetime(2025, 9, 1, tzinfo=UTC), True),
        ("Season 2 will launch in 2025.", datetime(2026, 3, 1, tzinfo=UTC), False),
        ("The show launched in 2022 and topped the charts.", datetime(2025, 9, 1, tzinfo=UTC), False),
        ("After its 2022 debut, the series returns in 2026.", datetime(2025, 9, 1, tzinfo=UTC), True),
    ],
    ids=["future-year", "this-year", "year-already-past", "past-year", "past-and-future-year"],
)
def test_release_year_is_judged_against_the_articles_own_date(
    tagger: Tagger, sentence: str, as_of: datetime, tagged: bool
) -> None:
    """Re-tagging an old article later must give the same tags it had when it was published."""
    assert ("release_date" in _tags(tagger, sentence, as_of=as_of)) is tagged


def test_without_as_of_the_current_year_is_used(tagger: Tagger) -> None:
    """Next year, seen from today, is a claim about the future."""
    next_year = datetime.now(UTC).year + 1
    tagging = tagger.tag(NEUTRAL_TITLE, f"Season 2 will launch in {next_year}.")

    assert "release_date" in tagging.tags


# --- cast lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Park Ji-hu as Nam On-jo, Yoon Chan-young as Lee Cheong-san.",
        "New set photos show Cho Yi-hyun as Choi Nam-ra in a quarantine camp.",
        "PARK JIHU AS NAM ONJO",
    ],
)
def test_actor_as_character_line_is_cast_news(tagger: Tagger, sentence: str) -> None:
    """Cast lists in announcements are 'Actor as Character' with no verb at all."""
    assert "cast" in _tags(tagger, sentence)


def test_a_character_name_without_a_casting_verb_is_not_cast_news(tagger: Tagger) -> None:
    """Talking about a character is not casting."""
    assert "cast" not in _tags(tagger, "Fans still argue about what happened to Nam On-jo.")


def test_a_casting_verb_without_a_known_name_is_not_cast_news(tagger: Tagger) -> None:
    """'joins' about an unknown person is not about this show's cast."""
    assert "cast" not in _tags(tagger, "A famous chef joins the new cooking show.")


# --- official or rumor -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Netflix announced on Wednesday that production has begun.",
        "Netflix has officially confirmed the second season.",
        "Filming has begun, according to Netflix.",
        "JTBC Studios has confirmed that production is underway.",
        "Film Monster confirmed that the cast has been finalised.",
        "In a press release, the streamer named the eight cast members.",
        "넷플릭스는 23일 시즌2 촬영을 시작했다고 밝혔다.",
    ],
)
def test_lede_crediting_the_studio_or_an_announcement_is_official(tagger: Tagger, sentence: str) -> None:
    """News credited to Netflix or the production companies is official; the attribution is the evidence."""
    tagging = tagger.tag(NEUTRAL_TITLE, sentence, as_of=AS_OF)

    assert "official" in tagging.tags and "rumor" not in tagging.tags


@pytest.mark.parametrize(
    "sentence",
    [
        "Netflix has officially confirmed the second season.",
        "In a press release, the streamer named the cast.",
    ],
)
def test_official_evidence_is_the_attributing_sentence(tagger: Tagger, sentence: str) -> None:
    """The evidence for 'official' is the sentence that says who announced it."""
    tagging = tagger.tag(NEUTRAL_TITLE, f"Fans have waited three years. {sentence}", as_of=AS_OF)

    assert tagging.evidence["official"] == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Netflix announced on Wednesday that production has begun.",
        "Filming has begun, according to Netflix.",
        "넷플릭스는 23일 시즌2 촬영을 시작했다고 밝혔다.",
    ],
)
def test_official_evidence_is_the_studio_credit(tagger: Tagger, sentence: str) -> None:
    """A reader checking why a story is 'official' must see the sentence crediting the studio."""
    tagging = tagger.tag(NEUTRAL_TITLE, f"Fans have waited three years. {sentence}", as_of=AS_OF)

    assert tagging.evidence["official"] == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Filming has reportedly begun, insiders say.",
        "Soompi reported that production is underway.",
        "The season could arrive next year, industry sources said.",
        "시즌2가 내년 상반기 공개될 것으로 알려졌다.",
    ],
)
def test_unattributed_or_hedged_news_is_rumor(tagger: Tagger, sentence: str) -> None:
    """What is not credited to the studio, or is hedged, is a rumor."""
    tagging = tagger.tag(NEUTRAL_TITLE, sentence, as_of=AS_OF)

    assert "rumor" in tagging.tags and "official" not in tagging.tags


def test_hedged_headline_makes_the_story_a_rumor_even_with_an_official_lede(tagger: Tagger) -> None:
    """'could arrive in 2026' in the headline is the story's claim, whatever background the lede cites."""
    tagging = tagger.tag(
        "All of Us Are Dead season 2 could arrive in 2026",
        "Netflix confirmed the cast in July. The date is a guess.",
        as_of=AS_OF,
    )

    assert "rumor" in tagging.tags
    assert tagging.evidence["rumor"] == "All of Us Are Dead season 2 could arrive in 2026"


def test_attribution_far_below_the_lede_does_not_make_it_official(tagger: Tagger) -> None:
    """Only the headline and the first sentences say where the story comes from."""
    tagging = tagger.tag(
        NEUTRAL_TITLE,
        "Fans are excited. Photos spread online. A fan account posted more. Nobody knows more. "
        "Much later, Netflix confirmed filming.",
        as_of=AS_OF,
    )

    assert "rumor" in tagging.tags


def test_official_source_is_official_without_attribution(tagger: Tagger) -> None:
    """Netflix's own newsroom does not write 'Netflix announced' in every sentence."""
    tagging = tagger.tag(NEUTRAL_TITLE, "Filming began this week.", official_source=True, as_of=AS_OF)

    assert "official" in tagging.tags and "rumor" not in tagging.tags


def test_studio_list_comes_from_the_topic(topic: Topic) -> None:
    """Another show's topic names other studios; only those make a story official."""
    other = Tagger(dataclasses.replace(topic, studios=("Studio Dragon",)))
    sentence_netflix = "Netflix confirmed that filming has begun."
    sentence_studio = "Studio Dragon confirmed that filming has begun."

    assert "rumor" in other.tag(NEUTRAL_TITLE, sentence_netflix, as_of=AS_OF).tags
    assert "official" in other.tag(NEUTRAL_TITLE, sentence_studio, as_of=AS_OF).tags


def test_topic_without_studios_still_recognises_official_announcements(topic: Topic) -> None:
    """'officially announced' and press releases are official whoever the studio is."""
    bare = Tagger(dataclasses.replace(topic, studios=()))

    assert "official" in bare.tag(NEUTRAL_TITLE, "The cast was officially announced today.", as_of=AS_OF).tags
    assert "rumor" in bare.tag(NEUTRAL_TITLE, "Netflix confirmed that filming has begun.", as_of=AS_OF).tags


def test_every_article_is_either_official_or_rumor(tagger: Tagger) -> None:
    """Exactly one stance, with evidence, even when nothing else is tagged."""
    tagging = tagger.tag("A quiet week", "Nothing happened.", as_of=AS_OF)

    assert tagging.tags == ("rumor",)
    assert tagging.evidence["rumor"] == "A quiet week"
