"""Cue words and phrases of entertainment news, shared by the tagger and the claim extractor.

English and Korean. Each pattern is one kind of signal (a release word, a time expression, a
hedge, an attribution, a casting verb…); the modules that use them decide what a combination
of signals means.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aoud_tracker.leading import with_leading_class
from aoud_tracker.prefilter import Cue


def rx(*alternatives: str) -> Cue:
    """One case-blind pattern matching any of the alternatives, led by its possible first letters
    and pre-tested for the words it needs, the whole and each alternative (prefilter.py)."""
    combined = re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)
    branches = [with_leading_class(re.compile(a, re.IGNORECASE)) for a in alternatives]
    return Cue(with_leading_class(combined), branches)


RELEASE = rx(
    r"\brelease[sd]?\b",
    r"\bpremieres?\b",
    r"\bdebuts?\b",
    r"\barriv(?:e|es|ing)\b",
    r"\bhits? (?:netflix|screens|the platform)\b",
    r"\bstream(?:s|ing)? (?:from|on|in)\b",
    r"\bdrops?\b",
    r"\bland(?:s|ing)?\b",
    r"\bcom(?:e|es|ing) (?:out|to|back|in)\b",
    r"\bshows? up\b",
    r"\blaunch(?:es)?\b",
    r"\bopens? (?:on|in)\b",
    r"\breturn(?:s|ing)? (?:in|on|to screens)\b",
    r"\brelease window\b",
    r"\bslot\b",
    r"\bslated (?:for|to)\b",
    r"\baim(?:s|ing)? for\b",
    r"\b(?:is|are) back (?:on|in)\b",
    r"\bplanned for\b",
    r"\bscheduled (?:for|to)\b",
    r"\bset for\b",
    r"\bpencil+ed in\b",
    r"\btarget(?:s|ing|ed)?\b",
    r"\b(?:out|available) (?:by|in|on|before)\b",
    r"\bmeets? (?:viewers|audiences|fans|subscribers)\b",
    r"\breach(?:es|ing)? (?:netflix|screens|viewers|audiences|fans|subscribers)\b",
    r"\(\s*(?:expected|due|eta)\b",  # listicles: "All of Us Are Dead season 2 (expected Q1 2027)"
    r"\bdue (?:in|out|on|by)\b",
    r"\bair(?:s|ing)? (?:in|on|from)\b",
    "공개",
    "방영",
    "출시",
    "편성",
    "찾아온다",
    "찾아올",
    "찾아간다",
    "찾아갈",
    "(?:시청자|관객)[들]?[을를과] 만난",
)
# "No release date has been set", "the premiere date will be announced in due course".
NO_RELEASE_DATE = rx(
    r"\bno (?:[\w-]+ ){0,3}(?:release|premiere|launch) date\b",
    r"\b(?:release|premiere) date (?:is|remains) (?:still )?"
    r"(?:undecided|unknown|tbd|to be determined|not set)\b",
    r"\b(?:release|premiere) date (?:has|have|is|was) (?:not|yet to)\b",
    r"\b(?:has|have|had) (?:not|yet to) (?:set|announce|confirm|reveal|give|share)"
    r"[^.]*\b(?:release|premiere) date\b",
    r"\bhasn't (?:set|announced|confirmed|revealed)[^.]*\b(?:release|premiere) date\b",
    r"\bnothing (?:about|on|regarding) the (?:schedule|release|timing)\b[^.]{0,30}"
    r"\b(?:decided|set|confirmed|final)",
    r"\b(?:schedule|timing|release timing) (?:has|have|is) (?:not|yet to) (?:been )?"
    r"(?:decided|set|confirmed|final)",
    r"\b(?:date|timing|schedule) will be (?:announced|revealed|confirmed|shared) "
    r"(?:in due course|later|soon|at a later date)\b",
    r"\bwill be announced in due course\b",
    "(?:공개|방영|편성) ?(?:일|시기|시점|날짜|일정)[은는이가]? ?(?:아직 )?"
    "(?:미정|정해진 바 없|정해지지 않았|확정되지 않았|결정되지 않았)",
)
PAST_RELEASE = rx(
    r"\b(?:premiered|debuted|was released|were released|first aired|came out|dropped) (?:on|in)\b",
    r"\bsince its (?:premiere|debut|release)\b",
    r"\b(?:season (?:1|one)|first season)\b",
    "시즌1",
    "시즌 1",
    "지난",
    "공개된 이후",
    "공개돼",
    "공개됐",
)
FIRST_SEASON = rx(r"\b(?:season (?:1|one)|first season)\b", "시즌 ?1(?!\\d)")
YEAR = Cue(re.compile(r"(?<!\d)(20\d\d)(?!\d)"))  # pre-tested for "20": most sentences name no year
# "best known for the 2023 thriller film": a year that only describes something else.
_ADJECTIVE_YEAR = re.compile(r"\bthe (?:19|20)\d\d (?=[a-z])")
PLOT = rx(
    r"\bsynopsis\b",
    r"\blogline\b",
    r"\bstoryline\b",
    r"\bplot (?:details? )?(?:reportedly )?(?:centers|centres|follows|revolves|involves|sees|will|is said)\b",
    r"\bwill (?:follow|focus|center|centre|explore|see|find|face|depict|pick up)\b",
    r"\bpicks? up\b",
    r"\b(?:season|series|story|finale|final episode|last scene|first episode|premiere episode)\b"
    r"[^.]{0,40}?\b(?:follows|continues|ends with|reveals|kills|opens with|"
    r"moves (?:the action|the story|to|into|beyond)|centers on|centres on|focuses on|tells|jumps|"
    r"takes place|is set (?:in|at|after)|could move|will move|stretches|spans|unfolds|revolves|heads)\b",
    r"\bnew (?:and \w+ )?(?:wave|threat|outbreak|setting|villain|enemy|virus|strain)\b",
    r"\bnow a (?:university|college)\b",
    r"\bteaser (?:shows|reveals|hints)\b",
    "줄거리",
    "시놉시스",
    "그릴 예정",
    "이야기를 그린다",
    "펼쳐",
    "담을 예정",
)
# Weaker signs of plot that count only when the sentence casts nobody: "this time" also
# introduces a director's return ("returns, this time sharing the chair"), "this season" a casting.
WEAK_PLOT = rx(
    r"(?<!at )\bthis time\b(?! of\b)",
    r"\b(?:this|next|the new) season,? (?:he|she|they|[A-Z][a-z]+(?:-[a-z]+)?)"
    r"(?:'s|'re| is| are| has| have| must| will| can| gets?| finds?| becomes?| faces?| learns?)\b",
    r"이번 시즌(?:에서|에는|엔)\s+\S+(?:은|는|이|가)\s",
)
NO_DETAILS = rx(
    r"\bno (?:details|word|information)\b",
    r"\b(?:did|does|has) not (?:say|share|reveal|give)\b",
    r"\bunder wraps\b",
    r"\byet to (?:reveal|share)\b",
    "알려지지 않았",
    "밝히지 않았",
    "공개되지 않았",
)
PRODUCTION = rx(
    r"\brenew(?:ed|al|s)?\b",
    r"\bgreen-?lit\b",
    r"\b(?:return for|get|gets|getting) an?(?:other)? (?:second|third|fourth|new) season\b",
    r"\b(?:second|third|fourth|new) season is (?:happening|coming|confirmed|official|a go)\b",
    r"\btable read\b",
    r"\bscript reading\b",
    r"\bfilming\b",
    r"\bshooting\b",
    r"\b(?:already|had|been|was|were) (?:re)?shot\b",
    r"\breshot\b",
    r"\bwrapped\b",
    r"\bwraps?\b",
    r"\bin production\b",
    r"\bpre-?production\b",
    r"\bpost-?production\b",
    r"\b(?:visual )?effects work "
    r"(?:is|was|has|will|running|continues|began|begins|ongoing|underway|taking)\b",
    r"\bvfx\b",
    r"\b(?:cg|cgi) (?:work|shots)\b",
    r"\bcreature (?:shots|effects|work)\b",
    r"\bsound mix",
    r"\boutlin(?:e|es|ed|ing)\b[^.]{0,40}\b(?:season|script|story|episodes)\b",
    "CG ?작업",
    r"\bproduction (?:began|begins|has begun|start|is underway)",
    r"\bwriting (?:the )?scripts?\b",
    r"\bscripts? (?:is|are|was|were) (?:still )?(?:being )?(?:written|finished|completed|done|underway)\b",
    r"\b(?:writing|developing|finishing|adapting|rewriting)\b[^.]{0,25}\b(?:script|webtoon|it|episodes)\b",
    r"\b(?:will (?:again )?|to |returning as (?:co-)?)(?:direct|director|write|writer|produce)\b",
    r"\b(?:to|will) shoot\b",
    r"\bthe shoot\b",
    r"\bbeing (?:finished|completed|rendered|edited|recorded|dubbed)\b",
    r"\b(?:editing|dubbing|scoring|color grading)\b",
    r"\bwriting stage\b",
    r"\bcameras? (?:still |started |began |start )?(?:roll|rolling|rolled)\b",
    r"\brecast\b",
    r"\b(?:taking|takes|took) over the role\b",
    r"\breplac(?:es|ing|ed)\b",
    "촬영",
    "대본 리딩",
    "대본 작업",
    "후반 작업",
    "제작(?!발표회)",
    "새 배우를 찾",
    "대신해",
    "대체",
)
SPOILER = rx(
    r"\bspoilers?\b",
    r"\b(?:discuss(?:es)?|reveals?|gives? away) the (?:ending|finale|twist)\b",
    r"\bending explained\b",
    "스포일러",
    "스포",
)
NO_SPOILER = rx(
    r"\bspoiler[- ]free\b",
    r"\b(?:no|without|zero|free of) spoilers?\b",
    r"\bspoilers? aside\b",
    "스포(?:일러)? ?없",
    "스포(?:일러)? ?주의 ?없",
)
# Hearsay, guesses and reports nobody stands behind: the `rumored` hedge and the `rumor` tag.
HEDGE = rx(
    r"\breportedly\b",
    r"\brumou?r",
    r"\binsiders?\b",
    r"\bcould\b",
    r"\bmight\b",
    r"\bmay (?:be|come|arrive|land|drop|premiere|debut|return|hit|launch|show|get|air|stream)\b",
    r"\bspeculat",
    r"\bindustry (?:sources?|watchers?|insiders?)\b",
    r"\bunconfirmed\b",
    r"\ballegedly\b",
    r"\bsupposedly\b",
    r"\bapparently\b",
    r"\bsources?\b[^.]{0,40}\b(?:say|says|said|claim|claims|told|tell|suggest)",
    r"\baccording to (?:sources|insiders|reports?|a report|industry|people|one|"
    r"an? (?:outlet|account|insider))",
    r"\bas per (?:some |a |the )?reports?\b",
    r"\bpeople (?:with knowledge|familiar|close to)\b",
    r"\bleak",
    r"\bwhispers?\b",
    r"\bword is\b",
    r"\bmy (?:gut|guess|bet|money|prediction|theory|hunch|take|sources?)\b",
    r"\bi (?:think|bet|guess|reckon|predict|believe|suspect|expect|'d (?:put money|bet|say))\b",
    r"\bi'd put money\b",
    r"\bi'?m (?:betting|guessing|calling|predicting)\b",
    r"\bbetting on\b",
    r"\b(?:saw|read|heard|seen) (?:it |this )?on "
    r"(?:twitter|x|tiktok|reddit|instagram|weibo|threads|a forum)\b",
    r"\bgrain of salt\b",
    r"\b(?:is|are) known to (?:have|be)\b",
    r"\bcalling it\b",
    r"\bguess(?:work|ing)?\b",
    r"\bfans? (?:accounts?|theor|rumou?r|speculat|say|believe|think|insist|claim|are convinced|expect)",
    r"\b(?:some|a few|several|many|other) (?:reports?|accounts?|outlets?|fans|netizens|viewers)\b",
    r"\b(?:a|one|the) (?:report|tabloid|tipster|account)\b",
    r"\breports? (?:say|says|said|claim|claims|suggest|suggests)\b",
    r"\bclaim(?:s|ed|ing)?\b",
    r"\binsist(?:s|ed|ing)?\b",
    r"\bsuggest(?:s|ed|ing)?\b",
    r"\?",
    "소문",
    "알려졌다",
    "전해졌다",
    "관계자에 따르면",
    "이야기가[^.]{0,12}(?:나오|흘러나오|돌|오가|오갔)",
    "말이[^.]{0,12}(?:나오|돈다|돌고)",
    "(?:보도|전언|업계|관계자)에 따르면",
    "전언",
    "글이 올라",
    "커뮤니티",
    "(?:공개|복귀|합류|하차|출연|캐스팅)설",
    "관측",
    "추측",
    "설이",
    "카더라",
    "점치",
)
# Someone other than the studio tells it: "an account says", "two people say". Checked after
# the studio's own credit, so "Netflix says" stays official.
HEARSAY = rx(r"\b(?:says|say|said|told|tells|wrote|posted)\b")


@lru_cache(maxsize=256)  # asked twice of each sentence: by the plot test and for the next sentence
def looks_back(sentence: str, year: int) -> bool:
    """True when a sentence is about the past: only past years, or a past-release phrase."""
    years = [int(y) for y in YEAR.findall(sentence)]
    if years and max(years) > year:
        return False  # a year still ahead is a claim about the future
    if years and max(years) < year:
        return True
    return PAST_RELEASE.search(sentence) is not None


def about_first_season(sentence: str, year: int) -> bool:
    """True for background on the first season: it names season 1, or only years long past.

    Production news is told in the past tense ("filming began in July 2025"), so only years
    before last year count as background.
    """
    if FIRST_SEASON.search(sentence):
        return True
    years = [int(y) for y in YEAR.findall(_ADJECTIVE_YEAR.sub("", sentence))]
    return bool(years) and max(years) < year - 1
