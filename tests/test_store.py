"""The store on SQLite and PostgreSQL: idempotent saves, copies merged into stories, queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select, text

from aoud_tracker import store
from aoud_tracker.findings import CastClaim, Claims
from aoud_tracker.models import Article, Claim, CrawlRun, Story, Tag
from tests.factories import BODY, FETCHED, article

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.orm import Session, sessionmaker

TOPIC = "aoud-s2"
OTHER_BODY = (
    "A source close to the production says All of Us Are Dead Season 2 could premiere in early 2027, "
    "after a long post-production period for the effects-heavy Seoul outbreak scenes.\n\n"
    "Netflix has not commented on the report, and previous release rumours for the zombie drama turned out "
    "to be wrong more than once since the renewal in June 2022."
)


def save(sessions: sessionmaker[Session], *items: object) -> list[str]:
    outcomes = []
    for item in items:
        with sessions.begin() as session:
            outcomes.append(store.save_article(session, TOPIC, item))  # type: ignore[arg-type]
    return outcomes


def count(sessions: sessionmaker[Session], model: type[object]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_saving_the_same_article_twice_adds_no_row(sessions: sessionmaker[Session]) -> None:
    assert save(sessions, article(), article()) == ["new", "unchanged"]
    assert (count(sessions, Article), count(sessions, Story), count(sessions, Tag)) == (1, 1, 3)


def test_url_variants_are_one_article(sessions: sessionmaker[Session]) -> None:
    """Tracking parameters, AMP paths and mobile hosts all reach the row of the canonical URL."""
    base = "https://seoulscreen.example/entertainment/2025/07/aoud-s2-filming.html"
    variants = [
        base,
        base + "?utm_source=rss&utm_medium=feed",
        "https://m.seoulscreen.example/entertainment/2025/07/aoud-s2-filming.html",
        "https://seoulscreen.example/amp/entertainment/2025/07/aoud-s2-filming.html",
    ]
    assert save(sessions, *(article(u) for u in variants)) == ["new", "unchanged", "unchanged", "unchanged"]
    assert count(sessions, Article) == 1


def test_exact_copy_on_another_site_joins_the_story(sessions: sessionmaker[Session]) -> None:
    original = article()
    copy = article(
        "https://kculture.example/stories/aoud-s2-filming.html",
        site="K-Culture Now",
        fetched=FETCHED + timedelta(hours=3),
        published=datetime(2025, 7, 23, 15, 0, tzinfo=UTC),
    )
    assert save(sessions, original, copy) == ["new", "merged"]
    with sessions() as session:
        (story,) = store.list_stories(session, TOPIC)
    assert [s.site for s in story.sources] == ["Seoul Screen Daily", "K-Culture Now"]
    assert story.updated_at == FETCHED + timedelta(hours=3), "a new source moves the story's updated time"
    assert story.published_at == datetime(2025, 7, 23, 9, 0, tzinfo=UTC), "earliest publication wins"


def test_different_news_stays_a_different_story(sessions: sessionmaker[Session]) -> None:
    other = article(
        "https://hallyu.example/news/2026/01/aoud-2027/", body=OTHER_BODY, tags=("release_date", "rumor")
    )
    assert save(sessions, article(), other) == ["new", "new"]
    assert count(sessions, Story) == 2


def test_official_article_becomes_the_representative(sessions: sessionmaker[Session]) -> None:
    netflix = article(
        "https://about.netflix.example/en/news/aoud-s2-production",
        title="All of Us Are Dead Season 2 Begins Production",
        site="Netflix",
        official=True,
        published=datetime(2025, 7, 23, 11, 0, tzinfo=UTC),
    )
    save(sessions, article(), netflix)
    with sessions() as session:
        (story,) = store.list_stories(session, TOPIC)
    assert story.title == "All of Us Are Dead Season 2 Begins Production"
    assert story.url == netflix.canonical_url
    assert story.sources[0].official


def test_edited_article_is_updated_in_place(sessions: sessionmaker[Session]) -> None:
    save(sessions, article())
    with sessions() as session:
        story_id = session.scalars(select(Story.id)).one()
    edited = article(body=BODY + "\n\nUpdate: Netflix also confirmed Yoon Ga-i joins as Lee Jong-ah.")
    edited.fetched_at = FETCHED + timedelta(days=1)
    assert save(sessions, edited) == ["updated"]
    with sessions() as session:
        (story,) = store.list_stories(session, TOPIC)
        assert session.scalar(select(Article.body)).endswith("Lee Jong-ah.")
    assert story.id == story_id
    assert story.updated_at == FETCHED + timedelta(days=1)
    assert count(sessions, Article) == 1


def test_tags_follow_the_article(sessions: sessionmaker[Session]) -> None:
    save(sessions, article(tags=("cast", "rumor")))
    retagged = article(tags=("cast", "official", "plot"))
    retagged.summary = "changed"
    assert save(sessions, retagged) == ["updated"]
    with sessions() as session:
        (story,) = store.list_stories(session, TOPIC)
    assert story.tags == ("cast", "official", "plot")


def test_list_stories_filters_by_tag_and_since(sessions: sessionmaker[Session]) -> None:
    recent = article(
        "https://hallyu.example/news/2026/11/aoud/", body=OTHER_BODY, tags=("release_date", "rumor")
    )
    recent.fetched_at = FETCHED + timedelta(days=3)
    save(sessions, article(), recent)
    with sessions() as session:
        cast = store.list_stories(session, TOPIC, tag="cast")
        release = store.list_stories(session, TOPIC, tag="release_date")
        since = store.list_stories(session, TOPIC, since=FETCHED + timedelta(days=1))
        other_topic = store.list_stories(session, "another-show")
    assert [s.title for s in cast] == ["All of Us Are Dead Season 2 starts filming"]
    assert [s.url for s in release] == [recent.canonical_url]
    assert [s.url for s in since] == [recent.canonical_url]
    assert other_topic == []


def test_stories_come_newest_first_and_respect_the_limit(sessions: sessionmaker[Session]) -> None:
    items = []
    for day in range(1, 6):
        body = OTHER_BODY + f"\n\nThis is report number {day} with its own distinct wording for the test."
        items.append(
            article(
                f"https://hallyu.example/news/2026/0{day}/report/",
                body=body,
                published=datetime(2026, day, 1, tzinfo=UTC),
            )
        )
    save(sessions, *items)
    with sessions() as session:
        newest = store.list_stories(session, TOPIC, limit=3)
    assert [s.published_at.month for s in newest if s.published_at] == [5, 4, 3]


def test_times_come_back_aware_utc_and_naive_times_are_refused(sessions: sessionmaker[Session]) -> None:
    save(sessions, article(published=datetime(2025, 7, 23, 18, 0, tzinfo=timezone_kst())))
    with sessions() as session:
        (story,) = store.list_stories(session, TOPIC)
    assert story.published_at == datetime(2025, 7, 23, 9, 0, tzinfo=UTC)
    assert story.published_at is not None and story.published_at.tzinfo is UTC
    with pytest.raises(Exception, match="naive datetime"), sessions.begin() as session:
        store.save_article(session, TOPIC, article("https://x.example/a", published=datetime(2025, 1, 1)))


def timezone_kst() -> object:
    from datetime import timezone

    return timezone(timedelta(hours=9))


def test_crawl_runs_are_recorded(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        run_id = store.start_run(session, TOPIC, "feeds")
    stats = {
        "response_received_count": 12,
        "aoud/stored/new": 3,
        "aoud/stored/merged": 2,
        "aoud/stored/unchanged": 4,
        "item_dropped_count": 5,
        "aoud/errors": 1,
        "start_time": datetime(2026, 11, 20, tzinfo=UTC),
    }
    with sessions.begin() as session:
        store.finish_run(session, run_id, "ok", "finished", stats)
    with sessions() as session:
        run = session.get_one(CrawlRun, run_id)
    assert (run.status, run.pages, run.items_new, run.items_unchanged, run.items_dropped, run.errors) == (
        "ok",
        12,
        5,
        4,
        5,
        1,
    )
    assert run.stats["start_time"] == "2026-11-20T00:00:00+00:00", "stats are stored as JSON"
    assert run.finished_at is not None and run.finished_at >= run.started_at


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = store.make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_unusable_store_url_is_a_clear_error(tmp_path: object) -> None:
    with pytest.raises(store.StoreError, match="not a database URL"):
        store.make_engine("definitely not a url")
    with pytest.raises(store.StoreError, match="cannot create the folder"):
        store.make_engine("sqlite:////proc/no-such-folder/x.db")
    with pytest.raises(store.StoreError, match="cannot open the store"):
        store.make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")


def test_sources_are_synced_once(sessions: sessionmaker[Session], topic: object) -> None:
    from aoud_tracker.topic import Topic

    assert isinstance(topic, Topic)
    with sessions.begin() as session:
        first = store.sync_sources(session, TOPIC, topic.sources)
    with sessions.begin() as session:
        second = store.sync_sources(session, TOPIC, topic.sources)
    assert first == second
    assert len(first) == len(topic.sources)


def test_count_rows(sessions: sessionmaker[Session]) -> None:
    save(sessions, article())
    with sessions() as session:
        assert store.count_rows(session, TOPIC) == {"stories": 1, "articles": 1, "tags": 3}
        assert store.last_activity(session, TOPIC) == FETCHED


SENTENCES = [
    "Netflix began filming the second season in Seoul on a rainy Monday in late August.",
    "Crew members were seen building a replica lecture hall on a soundstage in Paju.",
    "Park Ji-hu arrived early and greeted extras dressed as infected university students.",
    "The production rented an entire subway station for three nights of night shoots.",
    "Director Lee Jae-kyoo told staff the schedule allows for eight months of work.",
    "A stunt team from the first season returned to choreograph larger crowd scenes.",
    "Local residents received letters warning about loud effects and closed roads.",
    "Roh Jae-won was photographed in a dark tactical uniform near the Han River.",
    "The visual effects vendor doubled its team to handle the citywide outbreak.",
    "Writers reportedly revised the final episode after the first table read.",
    "A catering truck parked outside the set served kimbap to two hundred people.",
    "Netflix declined to confirm details and said more news would come later.",
]


def body_of(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))


def test_an_original_arriving_after_two_rewrites_folds_them_into_one_story(
    sessions: sessionmaker[Session],
) -> None:
    """Two rewrites too different from each other, each close to the original, become one story."""
    first_half = body_of(
        [*SENTENCES[:7], "The first outlet closes with a line of its own about fan reactions."]
    )
    second_half = body_of(["The second outlet opens its rewrite in its own words here.", *SENTENCES[5:]])
    original = body_of(SENTENCES)
    from aoud_tracker.neardup import signature, similarity

    assert (
        similarity(signature(first_half), signature(second_half))
        < 0.35
        <= similarity(signature(first_half), signature(original))
    )
    rewrite_a = article("https://a.example/1", body=first_half, tags=("production", "rumor"))
    rewrite_b = article("https://b.example/2", body=second_half, tags=("production", "rumor"))
    rewrite_b.claims = Claims(cast=(CastClaim("Lomon", "Lee Su-hyeok", "returning", "Lomon returns."),))
    wire = article("https://wire.example/3", body=original, tags=("production", "official"))
    for item in (rewrite_a, rewrite_b, wire):
        item.signature = signature(item.body)
    assert save(sessions, rewrite_a, rewrite_b, wire) == ["new", "new", "merged"]
    with sessions() as session:
        (story,) = store.list_stories(session, TOPIC)
        claim_stories = set(session.scalars(select(Claim.story_id)))
    assert claim_stories == {story.id}, "the folded story's claims moved with its article"
    assert story.claims == ("Cast: Lomon as Lee Su-hyeok, returning",)
    assert story.id == 1, "the oldest story keeps its id (and its feed GUID)"
    reasons = {s.url: s.joined_because for s in story.sources}
    assert reasons == {
        "https://a.example/1": "first",
        "https://b.example/2": "bridged",
        "https://wire.example/3": "near_duplicate",
    }
    assert set(story.tags) == {"official", "production", "rumor"}


def test_a_trimmed_early_reprint_does_not_represent_the_story(sessions: sessionmaker[Session]) -> None:
    full = body_of(SENTENCES)
    trimmed = body_of(SENTENCES[:7])
    from aoud_tracker.neardup import signature

    early = datetime(2025, 8, 1, 8, 0, tzinfo=UTC)
    early_trim = article(
        "https://aggregator.example/trim", body=trimmed, title="Trimmed reprint", published=early
    )
    complete = article(
        "https://wire.example/full", body=full, title="Full report", published=early + timedelta(hours=1)
    )
    for item in (early_trim, complete):
        item.signature = signature(item.body)
    assert save(sessions, early_trim, complete) == ["new", "merged"]
    with sessions() as session:
        (story,) = store.list_stories(session, TOPIC)
    assert story.title == "Full report"
    assert story.published_at == datetime(2025, 8, 1, 8, 0, tzinfo=UTC), (
        "the story still dates from the first copy"
    )


def test_a_background_paragraph_shared_by_many_stories_is_pruned_from_the_lookup(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stories that paste one background paragraph share some LSH buckets; once a bucket is
    crowded its rows leave the lookup table (its size stays counted) and the stories stay apart.
    The crowding bound is lowered so forty articles show what thousands do in production."""
    from aoud_tracker import clusters
    from aoud_tracker.models import LshBucket, LshBucketSize
    from aoud_tracker.neardup import signature

    monkeypatch.setattr(clusters, "CROWDED_BUCKET", 2)
    background = " ".join(SENTENCES)
    items = []
    for index in range(40):
        words = [f"word{index}x{n}" for n in range(280)]
        news = "\n\n".join(" ".join(words[i : i + 40]) + "." for i in range(0, 280, 40))
        item = article(f"https://site{index}.example/news/{index}", body=f"{news}\n\n{background}")
        item.signature = signature(item.body)
        items.append(item)
    outcomes = save(sessions, *items)

    with sessions() as session:
        crowded = set(session.scalars(select(LshBucketSize.bucket).where(LshBucketSize.articles > 2)))
        left = session.scalar(
            select(func.count()).select_from(LshBucket).where(LshBucket.bucket.in_(crowded))
        )
    assert crowded, "the shared paragraph's buckets are crowded"
    assert left == 0, "crowded buckets are not kept in the lookup table"
    assert outcomes == ["new"] * 40, "different news sharing background stays apart"
    with sessions.begin() as session:
        assert clusters.prune_crowded(session, TOPIC) == 0, "nothing left to prune"


def test_an_article_whose_page_is_gone_is_kept_marked_and_unmarked_when_it_returns(
    sessions: sessionmaker[Session],
) -> None:
    """404/410 marks the stored article gone (it stays on record); a later successful fetch clears it."""
    gone_at = datetime(2026, 12, 1, tzinfo=UTC)
    item = article()
    assert save(sessions, item) == ["new"]
    with sessions.begin() as session:
        assert store.mark_gone(session, TOPIC, item.url + "?utm_source=x", 410, gone_at)
        assert not store.mark_gone(session, TOPIC, "https://elsewhere.example/never-stored", 404, gone_at)
    with sessions() as session:
        stored = session.scalars(select(Article)).one()
        assert (stored.gone_at, stored.gone_status) == (gone_at, 410)
        (story,) = store.list_stories(session, TOPIC)
        assert (story.sources[0].gone_at, story.sources[0].gone_status) == (gone_at, 410)
    assert save(sessions, item) == ["unchanged"]
    with sessions() as session:
        assert session.scalars(select(Article.gone_at)).one() is None
    assert count(sessions, Article) == 1
