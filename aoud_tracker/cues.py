"""Cue words and phrases of entertainment news, shared by the tagger and the claim extractor.

English and Korean. Each pattern is one kind of signal (a release word, a time expression, a
hedge, an attribution, a casting verb…); the modules that use them decide what a combination
of signals means.
"""

from __future__ import annotations

import re


def rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


RELEASE = rx(
    r"\brelease[sd]?\b",
    r"\bpremiere\b",
    r"\bpremieres\b",
    r"\bdebuts?\b",
    r"\barriv(?:e|es|ing)\b",
    r"\bhits? (?:netflix|screens)\b",
    r"\bstream(?:ing)? (?:from|on|in)\b",
    r"\bdrops?\b",
    r"\bcome out\b",
    r"\blaunch(?:es)?\b",
    r"\breturn(?:s|ing)? (?:in|on|to screens)\b",
    r"\bpremiere date\b",
    r"\brelease window\b",
    "공개",
    "방영",
    "출시",
    "편성",
)
TIME = rx(
    r"\b(?:january|february|march|april|june|july|august|september|october|november|december)\b",
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}\b",
    # "may" is mostly a verb: the month only next to a day or year, or after early/mid/late/in/by
    r"\bmay\s+(?:\d{1,2}\b|20\d\d)|\b\d{1,2}\s+may\b|\b(?:early|mid|late|in|by|until|from)[- ]may\b",
    r"\b20[2-3]\d\b",
    r"\b(?:spring|summer|fall|autumn|winter)\b",
    r"\b(?:first|second) half\b",
    r"\bq[1-4]\b",
    r"\b(?:later|early|earlier|next|this) (?:this )?year\b",
    r"\bnext month\b",
    r"\bholiday season\b",
    r"\d{4}년",
    r"\d{1,2}월",
    "상반기",
    "하반기",
    "내년",
    "연내",
    "올해",
)
# "No release date has been set (but filming wrapped in July)": the time is another event's.
NO_RELEASE_DATE = rx(
    r"\bno (?:official )?(?:release|premiere) date\b",
    r"\b(?:release|premiere) date (?:has|have|is|was) (?:not|yet to)\b",
    r"\b(?:has|have|had) (?:not|yet to) (?:set|announce|confirm|reveal|give|share)"
    r"[^.]*\b(?:release|premiere) date\b",
    r"\bhasn't (?:set|announced|confirmed|revealed)[^.]*\b(?:release|premiere) date\b",
    "공개일(?:은|을|이)? (?:아직|미정)",
)
EXPECTATION = rx(
    r"\bexpected\b",
    r"\blikely\b",
    r"\bcould\b",
    r"\btipped\b",
    r"\brumou?red\b",
    r"\bslated\b",
    r"\baim(?:s|ing)? for\b",
    r"\btarget(?:s|ing)?\b",
    r"\bpegged\b",
    "예정",
    "유력",
    "전망",
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
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
CASTING = rx(
    r"\breturn(?:s|ing)?\b",
    r"\breprise",
    r"\bjoin(?:s|ed|ing)?\b",
    r"\bcast (?:as|in)\b",
    r"\bcasting\b",
    r"\bnew cast\b",
    r"\b(?:cast )?line-?up\b",
    r"\bwill (?:play|portray|star)\b",
    r"\bset to (?:play|star|appear|return)\b",
    r"\bback as\b",
    r"\btakes? on the role\b",
    r"\b(?:plays|portrays|playing|portraying)\b",
    r"\bconfirmed to (?:appear|return)\b",
    r"\bback (?:from|for|as)\b",
    r"\bdrop(?:s|ped)? out\b",
    r"\bexit(?:s|ed)?\b",
    r"\bnewcomers?\b",
    "출연",
    "합류",
    "캐스팅",
    "복귀",
)
PLOT = rx(
    r"\bsynopsis\b",
    r"\blogline\b",
    r"\bplot\b",
    r"\bstoryline\b",
    r"\bwill (?:follow|focus|center|centre|explore|see|find|face|depict|pick up)\b",
    r"\bpicks? up\b",
    r"\bthis time\b",
    r"\bnew (?:wave|threat|outbreak|setting)\b",
    r"\bnow a (?:university|college)\b",
    "줄거리",
    "시놉시스",
    "그릴 예정",
    "펼쳐",
    "담을 예정",
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
PLAIN_CAST_BACKGROUND = rx(r"\bstar(?:s|red|ring)\b", r"\bplayed\b", r"\bportrayed\b")
PRODUCTION = rx(
    r"\brenew(?:ed|al|s)?\b",
    r"\bgreen-?lit\b",
    r"\btable read\b",
    r"\bscript reading\b",
    r"\bfilming\b",
    r"\bshooting\b",
    r"\bwrapped\b",
    r"\bwraps?\b",
    r"\bin production\b",
    r"\bpre-?production\b",
    r"\bproduction (?:began|begins|has begun|start)",
    r"\bwriting (?:the )?scripts?\b",
    r"\bscripts? (?:is|are|was|were) (?:being |still )?(?:written|finished|completed|done|underway)\b",
    r"\bwriting stage\b",
    r"\bcameras? (?:roll|rolling)\b",
    "촬영",
    "대본 리딩",
    "제작",
)
SPOILER = rx(r"\bspoilers?\b", "스포일러", "스포")
NO_SPOILER = rx(
    r"\bspoiler[- ]free\b",
    r"\b(?:no|without|zero|free of) spoilers?\b",
    r"\bspoilers? aside\b",
    "스포(?:일러)? ?없",
    "스포(?:일러)? ?주의 ?없",
)
ATTRIBUTION_VERBS = (
    r"(?:officially )?(?:announced|confirmed|revealed|unveiled|released|shared|said|dropped)"
    r"|has (?:officially )?(?:confirmed|announced)"
)
ATTRIBUTION = rx(
    r"\bofficially (?:announced|confirmed)\b",
    r"\bofficial(?:ly)? announce",
    r"\bin a (?:press release|statement)\b",
    r"\bpress release\b",
    r"공식 (?:발표|확정|입장을 밝|공개)",
)
HEDGE = rx(
    r"\breportedly\b",
    r"\brumou?r",
    r"\binsiders?\b",
    r"\bis expected to\b",
    r"\bare expected to\b",
    r"\bcould\b",
    r"\bmight\b",
    r"\bspeculat",
    r"\bindustry sources?\b",
    r"\bunconfirmed\b",
    r"\ballegedly\b",
    r"\bsources (?:say|said|claim)",
    r"\bleak",
    "알려졌다",
    "전해졌다",
    "관계자에 따르면",
)


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
    years = [int(y) for y in YEAR.findall(sentence)]
    return bool(years) and max(years) < year - 1
