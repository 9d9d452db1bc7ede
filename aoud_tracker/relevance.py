"""Is this page about the topic's season? A score from the headline and body, with its reasons.

A page is relevant only when a season marker is *anchored* to one of the show's titles
("All of Us Are Dead season 2", "the second season of Now at Our School", "지금 우리
학교는 시즌2"): the words between them may not name anything else, so "Netflix hits such
as All of Us Are Dead and Squid Game, whose second season…" does not count.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from aoud_tracker.phrases import phrase_pattern, spans

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

_ORDINALS: Final = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
_NUMBERS: Final = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
_SUFFIX: Final = {1: "st", 2: "nd", 3: "rd"}
_AFTER_TITLE_GAP: Final = 45  # "All of Us Are Dead' is officially returning for a " fits
_BEFORE_TITLE_GAP: Final = 16  # "Season 2 of the hit ", "second season of "
# Capitalised words that may sit between a title and its season marker without naming another work.
_NEUTRAL_WORDS: Final = frozenset(
    {
        "netflix",
        "netflix's",
        "season",
        "part",
        "the",
        "a",
        "an",
        "k-drama",
        "korean",
        "zombie",
        "drama",
        "series",
        "show",
        "hit",
        "official",
        "officially",
        "confirmed",
        "confirms",
        "finally",
        "new",
        "its",
        "is",
        "are",
        "has",
        "have",
        "will",
        "gets",
        "get",
        "returns",
        "return",
        "returning",
        "coming",
        "comes",
        "back",
        "renewed",
        "renews",
        "for",
        "with",
        "to",
        "in",
        "on",
        "of",
        "and",
        "star",
        "stars",
        "tudum",
        "release",
        "date",
        "cast",
        "first",
        "look",
        "trailer",
        "teaser",
        "premiere",
        "set",
        "sets",
        "begins",
        "starts",
        "filming",
        "production",
        "announced",
        "announces",
        "reportedly",
        "teases",
        "unveils",
        "reveals",
        "why",
        "when",
        "what",
        "how",
        "who",
    }
)
_NEUTRAL_HANGUL: Final = frozenset({"넷플릭스", "드라마", "시리즈", "좀비", "공식", "신작", "후속"})
_HANGUL_WORD: Final = re.compile(r"[\uac00-\ud7a3]+")
_QUOTED: Final = re.compile(r"['‘\"“「『《〈][^'’\"”」』》〉]{2,}['’\"”」』》〉]")


@dataclass(frozen=True)
class Relevance:
    """The verdict on one page, with the score and a human-readable reason."""

    score: float
    relevant: bool
    reason: str


def season_markers(topic: Topic) -> tuple[str, ...]:
    """The topic's own markers plus the usual ways of writing "season N"."""
    n = topic.season
    derived = [f"season {n}", f"s{n}", f"시즌{n}", f"시즌 {n}", f"{n}{_SUFFIX.get(n, 'th')} season"]
    if n in _ORDINALS:
        derived += [f"{_ORDINALS[n]} season", f"season {_NUMBERS[n]}"]
    derived += [f"{title} {n}" for title in topic.titles]  # "All of Us Are Dead 2"
    return tuple(dict.fromkeys([*topic.season_markers, *derived]))


_OF: Final = re.compile(r"^\W*(?:of|for|in|from)\b", re.IGNORECASE)


def _is_title_case(text: str) -> bool:
    long_words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) > 0.6


class RelevanceScorer:
    """Scores pages against one topic; build once per crawl, call per page."""

    def __init__(self, topic: Topic) -> None:
        self.threshold = topic.min_relevance
        self.titles = phrase_pattern(topic.titles)
        self.markers = phrase_pattern(season_markers(topic))
        people = [name for person in (*topic.cast, *topic.crew) for name in person.names]
        self.people = phrase_pattern(people)
        self.known_words = {w.lower() for name in (*people, *topic.titles) for w in re.split(r"[\s-]+", name)}

    def score(self, title: str, body: str) -> Relevance:
        """Score a page; relevant needs an anchored season marker and a score at the threshold."""
        head_titles, body_titles = spans(self.titles, title), spans(self.titles, body)
        head_anchor = self._anchored(title, head_titles, title_case=_is_title_case(title))
        body_anchor = self._anchored(body, body_titles, title_case=False)
        people = {m.group(0).lower() for m in self.people.finditer(body)} if self.people else set()
        parts = [
            (2.0 if head_titles else 0.0, "title in headline"),
            (3.0 if head_anchor else 0.0, "season marker next to title in headline"),
            (1.5 * min(body_anchor, 4), f"{body_anchor} anchored season mention(s) in body"),
            (0.5 * min(len(body_titles), 4), f"{len(body_titles)} title mention(s) in body"),
            (0.5 * min(len(people), 4), f"{len(people)} cast/crew name(s)"),
        ]
        score = sum(points for points, _ in parts)
        reasons = "; ".join(why for points, why in parts if points)
        if not (head_anchor or body_anchor):
            return Relevance(score, False, f"no season marker next to a title ({reasons or 'no title'})")
        if not body_titles:
            return Relevance(score, False, f"the body never names the show ({reasons})")
        if score < self.threshold:
            return Relevance(score, False, f"score {score:g} below {self.threshold:g} ({reasons})")
        return Relevance(score, True, reasons)

    def _anchored(self, text: str, title_spans: list[tuple[int, int]], *, title_case: bool) -> int:
        """How many season markers sit right next to a title, with nothing else named between.

        Only the titles within a gap's reach of a marker can anchor it, so each marker looks at
        those alone (found by bisection: the spans are sorted and do not overlap). Trying every
        title for every marker made a long page quadratic, and with the gaps sliced before their
        length was checked worse than that: a 1 MB body took seconds on the reactor thread.
        """
        ends = [t_end for _, t_end in title_spans]
        count = 0
        for start, end in spans(self.markers, text):
            index = bisect_left(ends, start - _AFTER_TITLE_GAP)
            # titles that start too far after the marker end the search (no slice: that copies)
            while index < len(title_spans) and title_spans[index][0] <= end + _BEFORE_TITLE_GAP:
                if self._anchors(text, title_spans[index], (start, end), title_case):
                    count += 1
                    break
                index += 1
        return count

    def _anchors(self, text: str, title: tuple[int, int], marker: tuple[int, int], title_case: bool) -> bool:
        """True when the marker is inside the title match ("… 2") or next to it, linked by neutral words."""
        (t_start, t_end), (start, end) = title, marker
        if t_start <= start < t_end:
            return True
        if 0 <= start - t_end <= _AFTER_TITLE_GAP and self._neutral(text[t_end:start], title_case):
            return True
        gap_before = text[end:t_start]
        return (
            0 <= t_start - end <= _BEFORE_TITLE_GAP
            and _OF.match(gap_before) is not None
            and self._neutral(gap_before, title_case)
        )

    def _neutral(self, gap: str, title_case: bool) -> bool:
        """True when the words between a title and a marker name nothing else and end no sentence.

        In sentence case a capitalised word names something (another show); in a Title Case
        headline every word is capitalised, so there every word must be a neutral one. A quoted
        name or a Hangul word that is neither a particle nor a known name also breaks the link.
        """
        if re.search(r"[.!?;]\s|\n", gap) or _QUOTED.search(gap):
            return False
        if any(
            len(w) > 1 and w not in _NEUTRAL_HANGUL and w not in self.known_words
            for w in _HANGUL_WORD.findall(gap)
        ):
            return False
        for word in re.findall(r"[A-Za-z][\w'’-]*", gap):
            lowered = word.lower()
            if lowered in _NEUTRAL_WORDS or lowered in self.known_words:
                continue
            if title_case or word[0].isupper():
                return False
        return True
