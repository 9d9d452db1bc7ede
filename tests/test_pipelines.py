"""Each pipeline step through Scrapy's own component builder, on items as spiders yield them."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.findings import Claims, Tagging
from aoud_tracker.models import Article, Story
from aoud_tracker.neardup import NUM_PERM, signature
from aoud_tracker.pipelines import (
    DedupePipeline,
    RelevancePipeline,
    StorePipeline,
    TagPipeline,
    ValidatePipeline,
)
from aoud_tracker.reading import Reading, TextWork
from aoud_tracker.relevance import Relevance
from tests.factories import article

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from aoud_tracker.items import ArticleItem

SQUID_GAME_BODY = (
    "Squid Game Season 2 broke Netflix records in its first week, "
    "with 68 million views across 92 countries.\n\n"
    "Netflix hits such as All of Us Are Dead and Squid Game, whose second season arrived in December, show "
    "how far Korean series now travel. Lee Jung-jae returns as Seong Gi-hun for another round of games."
)


def build(pipeline: type[Any], **settings: Any) -> Any:
    crawler = get_crawler(settings_dict={"AOUD_TOPIC": "", **settings})
    component = build_from_crawler(pipeline, crawler)
    if hasattr(component, "open_spider"):
        component.open_spider()
    return component


def dropped(component: Any) -> dict[str, int]:
    stats = component.stats.get_stats()
    return {k.removeprefix("aoud/dropped/"): v for k, v in stats.items() if k.startswith("aoud/dropped/")}


def test_validate_drops_non_articles_with_their_reason() -> None:
    validate = build(ValidatePipeline)
    item = article()
    item.status, item.status_reason = "not_article", "the page lists 9 linked headlines"
    with pytest.raises(DropItem, match="9 linked headlines"):
        validate.process_item(item)
    assert dropped(validate) == {"not_article": 1}


def test_validate_cleans_control_characters_and_requires_a_title() -> None:
    validate = build(ValidatePipeline)
    item = article(title="All of Us \x00Are Dead\x1b Season 2 \ufffe news")
    item.author = "Kim\x08 Min-seo"
    cleaned = validate.process_item(item)
    assert cleaned.title == "All of Us Are Dead Season 2 news"
    assert cleaned.author == "Kim Min-seo"
    with pytest.raises(DropItem, match="no title"):
        validate.process_item(article(title="  \x07 "))
    assert dropped(validate) == {"no_title": 1}


def test_validate_drops_a_body_that_cleaning_leaves_too_short() -> None:
    validate = build(ValidatePipeline)
    with pytest.raises(DropItem, match="body is"):
        validate.process_item(article(body="\x00" * 400 + "Too short."))


def test_relevance_keeps_the_topic_and_drops_other_shows() -> None:
    relevance = build(RelevancePipeline)
    kept = relevance.process_item(article())
    assert kept.relevance >= 4
    with pytest.raises(DropItem, match="off_topic: no season marker"):
        relevance.process_item(article(title="Squid Game Season 2 breaks records", body=SQUID_GAME_BODY))
    assert dropped(relevance) == {"off_topic": 1}


def test_dedupe_sets_the_url_key_and_leaves_the_text_identities_to_the_tag_step() -> None:
    dedupe = build(DedupePipeline)
    item = article("https://m.seoulscreen.example/a/story.html?utm_source=x")
    item.url_key = item.fingerprint = ""
    item.signature = b""
    item.canonical_url = "https://seoulscreen.example/a/story.html"
    done = dedupe.process_item(item)
    assert done.url_key == "seoulscreen.example/a/story.html"
    assert (done.fingerprint, done.signature) == ("", b"")


def test_tag_pipeline_tags_counts_and_sets_the_text_identities() -> None:
    tag = build(TagPipeline, AOUD_WORK_PROCESSES=0)  # with work processes: tests/test_e2e.py
    item = article(tags=())
    item.fingerprint, item.signature = "", b""
    done = asyncio.run(tag.process_item(item))
    tag.close_spider()
    assert {"cast", "official", "production"} <= set(done.tags)
    assert tag.stats.get_value("aoud/tagged/cast") == 1
    assert len(done.fingerprint) == 64 and len(done.signature) == 4 * NUM_PERM
    assert (done.fingerprint, done.signature) == (body_fingerprint(done.body), signature(done.body))


def test_store_pipeline_writes_once_per_article(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    store = build(StorePipeline, AOUD_DB_URL=url)

    async def store_twice() -> None:  # the two arrive together: one batch, one transaction
        await asyncio.gather(store.process_item(article()), store.process_item(article()))

    asyncio.run(store_twice())
    asyncio.run(store.close_spider())
    assert store.stats.get_value("aoud/stored/new") == 1
    assert store.stats.get_value("aoud/stored/unchanged") == 1
    engine: Engine = store.engine
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        assert session.scalar(select(func.count()).select_from(Story)) == 1


def test_validate_cuts_a_headline_and_a_body_too_long_to_be_real(caplog: pytest.LogCaptureFixture) -> None:
    """A 10,000-character title or a 5 MB body is a broken or hostile page: cut, counted, logged."""
    validate = build(ValidatePipeline, AOUD_MAX_BODY_CHARS=5000)
    long_body = "Season 2 of All of Us Are Dead films. " * 10_000
    item = article(title="All of Us Are Dead Season 2 " * 400, body=long_body)
    with caplog.at_level("INFO"):
        cut = validate.process_item(item)
    assert len(cut.title) <= 500 and len(cut.body) <= 5000
    assert long_body.startswith(cut.body) and long_body[len(cut.body)] == " "  # at a word's end
    counted = validate.stats.get_stats()
    assert counted["aoud/truncated/title"] == 1 and counted["aoud/truncated/body"] == 1
    assert caplog.text.count("truncated from") == 2


def _marked_reading(item: ArticleItem, *, title: str, body: str) -> Reading:
    """A reading worked out from `title`/`body`, its parts marked so a test sees which step used it."""
    marked = TextWork(Tagging(("spoiler",), {}, Claims()), "marked-fingerprint", b"marked")
    as_of = item.published_at or item.fetched_at
    relevance = Relevance(99.0, True, "marked")
    return Reading(title, body, title, body, relevance, item.official, as_of, marked)


def test_each_step_takes_the_work_process_reading_only_while_the_text_is_the_one_it_was_read_from() -> None:
    validate, relevance = build(ValidatePipeline), build(RelevancePipeline)
    tag = build(TagPipeline, AOUD_WORK_PROCESSES=0)  # never closed here: no pool to leave behind
    fitting = article(tags=())
    fitting.reading = _marked_reading(fitting, title=fitting.title, body=fitting.body)
    kept = asyncio.run(tag.process_item(relevance.process_item(validate.process_item(fitting))))
    assert (kept.relevance, kept.tags, kept.fingerprint) == (99.0, ("spoiler",), "marked-fingerprint")
    assert kept.reading is None  # given up once the tag step is done

    stale = article(tags=())  # read from another text: every step does its own work
    stale.reading = _marked_reading(stale, title="Another headline", body=stale.body)
    kept = asyncio.run(tag.process_item(relevance.process_item(validate.process_item(stale))))
    assert kept.relevance != 99.0 and "spoiler" not in kept.tags
    assert kept.fingerprint == body_fingerprint(kept.body)


def test_a_reading_of_the_uncut_headline_is_not_used_once_the_headline_was_cut() -> None:
    validate, relevance = build(ValidatePipeline), build(RelevancePipeline)
    long_title = "All of Us Are Dead Season 2 " + "news " * 200
    item = article(title=long_title, tags=())
    item.reading = _marked_reading(item, title=long_title, body=item.body)
    judged = relevance.process_item(validate.process_item(item))
    assert len(judged.title) <= 500 and judged.relevance != 99.0
