"""Author strings as pages state them, reduced to the people who wrote the article."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from aoud_tracker.byline import article_author, clean_author


@pytest.mark.parametrize(
    ("raw", "site", "expected"),
    [
        ("By Kim Yoo-jin", "Seoul Screen Daily", "Kim Yoo-jin"),
        ("Rob Picheta, CNN", "CNN", "Rob Picheta"),
        ("Grant Tinsley, PhD", "", "Grant Tinsley"),
        ("Daniel Braun, Davor Pasoski", "", "Daniel Braun, Davor Pasoski"),
        ("Park Hye-rin and Kim Yoo-jin", "", "Park Hye-rin, Kim Yoo-jin"),
        ("김하늘 기자", "한류투데이", "김하늘"),
        ("STERN.de", "STERN.de", ""),
        ("editor@news.example", "", ""),
        ("Evan SymonEvan V. Symon is the Senior Editor for the California Globe", "", ""),
        ("Post author By Helge Fahrnberger", "", "Helge Fahrnberger"),
        ("minji_k", "Hyosan Survivors", "minji_k"),
        ("Weinlachgummi", "Weinlachgummi", "Weinlachgummi"),
    ],
)
def test_clean_author(raw: str, site: str, expected: str) -> None:
    assert clean_author(raw, site) == expected


def test_the_visible_byline_replaces_a_stated_author_that_names_no_one() -> None:
    page = lxml_html.document_fromstring(
        "<html><body><article><h1>Headline</h1>"
        '<p class="byline">By <a rel="author" href="/people/lee">Lee Ha-eun</a></p>'
        "<p>Text of the article.</p></article></body></html>"
    )
    assert article_author(page, "news.example", "News Example") == "Lee Ha-eun"
