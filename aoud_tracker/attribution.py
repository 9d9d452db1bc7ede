"""Who says so: does a sentence credit its news to the studio (official) or to anyone else?

"Netflix confirmed", "according to Netflix", "the streamer announced", "넷플릭스는 … 밝혔다" and
a press release make news official; a studio is whatever the topic file lists under
`[topic] studios`, so another show's streamer works without code changes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from aoud_tracker.cues import rx
from aoud_tracker.leading import with_leading_class
from aoud_tracker.phrases import HANGUL

if TYPE_CHECKING:
    from aoud_tracker.topic import Topic

_VERBS: Final = (
    r"(?:has |have |had )?(?:officially )?"
    r"(?:announced|announces|confirmed|confirms|revealed|reveals|unveiled|unveils|released|shared|said|says|"
    r"told|stated|set|sets|scheduled|dated|dropped|denied|denies|dismissed|dismisses|rejected|"
    r"responded|explained|added|noted|clarified|updated|renewed|ordered|greenlit|green-lit|locked|"
    r"lists|listed|drew|draws|said in|posted|shot down|shoots down|ruled out|rules out|poured cold water)"
)
_KOREAN_VERBS: Final = "(?:{})".format(
    "|".join(
        [
            "밝혔다",
            "발표했다",
            "공개했다",
            "확정했다",
            "확인했다",
            "전했다",
            "알렸다",
            "부인했다",
            "설명했다",
            "말했다",
            "선을 그었다",
            "일축했다",
        ]
    )
)
# A credit that names no studio but is official by its nature.
_OFFICIAL_ANYWAY = rx(
    r"\bofficially (?:announced|confirmed)\b",
    r"\bofficial(?:ly)? announce",
    r"\bin a (?:press release|statement)\b",
    r"\bpress release\b",
    r"\bthe (?:streamer|studio|platform|network|broadcaster)(?:'s)? (?:has )?"
    r"(?:announced|confirmed|revealed|said|says|told|unveiled|denied|dismissed|explained)\b",
    r"\bper (?:a |an |the )?(?:statement|announcement|press release) from the (?:streamer|studio)\b",
    r"공식 (?:발표|확정|입장을 밝|공개)",
)


class Attribution:
    """Credits to the topic's studios; build once per topic."""

    def __init__(self, topic: Topic) -> None:
        studios = "|".join(_bounded(name) for name in topic.studios)
        studio = f"(?:{studios})"
        credits = (
            rf"{studio}(?:'s?)?(?:\s+(?:Korea|representative|spokesperson|official|side))?\s+{_VERBS}\b"
            rf"|\baccording to (?:(?:the|a|an|its|production|company|studio|streamer)\s+){{0,3}}{studio}"
            rf"|{studio}(?:'s)? official\b"
            rf"|\bper (?:a |an )?{studio}"
            rf"|{studio}(?:'s)? (?:[\w-]+ ){{0,2}}"
            rf"(?:letter|statement|announcement|press release|newsroom)\b"
            rf"|\b(?:official|representative|spokesperson|executive)s? (?:from|at|of) "
            rf"(?:the )?(?:production company |studio |streamer )?{studio}"
            rf"|{studio}(?:\s+\w+)?\s+(?:representative|spokesperson|spokesman|spokeswoman|official|executive)s?\b"
        )
        self.credit = with_leading_class(re.compile(credits, re.IGNORECASE)) if studios else None
        # Apart, and tried only on sentences with Hangul: its `.*` read to the sentence's end after
        # every "Netflix" of every English sentence. With the look-ahead in front of the rest, the
        # studio-credit test takes 27-37 µs a sentence where the one regex took 116-132 (the
        # generated pages' 16,579 sentences, side by side).
        self.korean_credit = (
            re.compile(rf"{studio}에 따르면|{studio}\S*\s.*{_KOREAN_VERBS}", re.IGNORECASE)
            if studios
            else None
        )

    def official(self, sentence: str) -> bool:
        """True when the sentence credits its news to a studio or to an official announcement."""
        by_studio = self.credit is not None and (
            self.credit.search(sentence) is not None
            or (
                self.korean_credit is not None
                and HANGUL.search(sentence) is not None
                and self.korean_credit.search(sentence) is not None
            )
        )
        return by_studio or _OFFICIAL_ANYWAY.search(sentence) is not None


def _bounded(name: str) -> str:
    """A studio name as a whole word; Hangul takes particles ("넷플릭스는"), "Lumen+" ends in a symbol."""
    if HANGUL.search(name):
        return re.escape(name)
    return rf"(?<!\w){re.escape(name)}(?!\w)"
