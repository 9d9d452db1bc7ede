"""The labelled near-duplicate set (tests/fixtures/dedupe): pairwise precision >= 0.98, recall >= 0.95.

Every article is rendered into one of three page templates, extracted like a crawled page,
given its identities like the dedupe pipeline does, and stored in publication order into a
real SQLite store; pairs are then judged by whether both articles ended in one story.
"""

from __future__ import annotations

import html
import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from aoud_tracker import store
from aoud_tracker.dedupe import body_fingerprint
from aoud_tracker.extract import extract
from aoud_tracker.items import ArticleItem
from aoud_tracker.models import Article
from aoud_tracker.neardup import signature
from aoud_tracker.topic import load_topic
from aoud_tracker.urls import clean_url, url_key
from tests.conftest import FIXTURES

if TYPE_CHECKING:
    from pathlib import Path

SET = FIXTURES / "dedupe"
TEMPLATES = [
    (SET / "templates" / name).read_text(encoding="utf-8")
    for name in ("newsroom.html", "magazine.html", "blog.html")
]
NOW = datetime(2030, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    merged_siblings: list[tuple[str, str]]


def render(article: dict[str, Any], lang: str) -> str:
    """The article as a page of one of three sites' templates (chosen by its site)."""
    template = TEMPLATES[sum(map(ord, article["site"])) % len(TEMPLATES)]
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in article["body"].split("\n\n"))
    return template.format(
        lang=lang, headline=html.escape(article["headline"]), headline_json=json.dumps(article["headline"]),
        site=html.escape(article["site"]), published=article["published"], url=html.escape(article["url"]),
        paragraphs=paragraphs,
    )  # fmt: skip


def item_for(article: dict[str, Any], lang: str) -> ArticleItem:
    page = extract(render(article, lang), article["url"], now=NOW)
    canonical = clean_url(page.canonical_url or article["url"])
    return ArticleItem(
        url=clean_url(article["url"]), canonical_url=canonical, title=page.title, body=page.body,
        fetched_at=datetime.fromisoformat(article["published"]).astimezone(UTC),
        published_at=page.published_at,
        site_name=page.site_name, url_key=url_key(canonical), fingerprint=body_fingerprint(page.body),
        signature=signature(page.body),
    )  # fmt: skip


def evaluate(tmp_path: Path, threshold: float) -> Scores:
    groups = json.loads((SET / "stories.json").read_text(encoding="utf-8"))
    siblings = json.loads((SET / "siblings.json").read_text(encoding="utf-8"))
    articles = [(group, a) for group in groups for a in group["articles"]]
    articles.sort(key=lambda pair: datetime.fromisoformat(pair[1]["published"]))
    engine = store.make_engine(f"sqlite:///{tmp_path / f'eval-{threshold}.db'}")
    keys = {}
    with Session(engine) as session:
        for group, article in articles:
            item = item_for(article, group.get("lang", "en"))
            keys[article["id"]] = item.url_key
            with session.begin():
                store.save_article(session, "eval", item, threshold=threshold)
        story_of_key = {
            key: story_id for key, story_id in session.execute(select(Article.url_key, Article.story_id))
        }
    engine.dispose()
    story = {article_id: story_of_key[key] for article_id, key in keys.items()}
    group_of = {article["id"]: group["story"] for group, article in articles}
    tp = fp = fn = 0
    for first, second in itertools.combinations(sorted(story), 2):
        same_group, same_story = group_of[first] == group_of[second], story[first] == story[second]
        tp += same_group and same_story
        fp += same_story and not same_group
        fn += same_group and not same_story
    stories_of_group: dict[str, set[int]] = {}
    for article_id, story_id in story.items():
        stories_of_group.setdefault(group_of[article_id], set()).add(story_id)
    merged = [(a, b) for a, b, _ in siblings if stories_of_group[a] & stories_of_group[b]]
    return Scores(tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn, merged)


def test_the_set_is_as_large_as_the_issue_asks() -> None:
    """At least 30 base articles, 300 same-story pairs and 100 pairs of different news that must not merge."""
    groups = json.loads((SET / "stories.json").read_text(encoding="utf-8"))
    siblings = json.loads((SET / "siblings.json").read_text(encoding="utf-8"))
    size = {group["story"]: len(group["articles"]) for group in groups}
    assert len(groups) >= 30
    assert sum(n * (n - 1) // 2 for n in size.values()) >= 300
    assert sum(size[first] * size[second] for first, second, _ in siblings) >= 100


def test_pairwise_precision_and_recall_meet_the_targets(tmp_path: Path) -> None:
    threshold = load_topic().dedupe_threshold
    scores = evaluate(tmp_path, threshold)
    assert scores.true_positives >= 200
    assert scores.precision >= 0.98, scores
    assert scores.recall >= 0.95, scores
    assert scores.merged_siblings == [], "different news about the same show must stay apart"


def test_signatures_are_datasketchs_value_for_value() -> None:
    """neardup computes datasketch's MinHash (affine32, seed 1) itself, without importing the
    package (it pulls in scipy): every signature of the set equals datasketch's, so stores keep
    their meaning and a datasketch index could read them."""
    from datasketch import MinHash  # a test dependency only

    from aoud_tracker.neardup import MIN_SHINGLES, NUM_PERM, SCHEME, SEED, _shingle_hashes

    groups = json.loads((SET / "stories.json").read_text(encoding="utf-8"))
    bodies = [article["body"] for group in groups for article in group["articles"]]
    compared = 0
    for body in bodies:
        grams = _shingle_hashes(body)
        if len(grams) < MIN_SHINGLES:
            assert signature(body) == b""
            continue
        reference = MinHash(num_perm=NUM_PERM, scheme=SCHEME, seed=SEED, hashfunc=int)
        reference.update_batch(grams.tolist())
        assert signature(body) == np.asarray(reference.hashvalues, dtype="<u4").tobytes()
        compared += 1
    assert compared >= 200, compared  # the set's articles, every one long enough to sign
