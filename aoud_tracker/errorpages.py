"""Error pages served with status 200: a soft 404, a login wall, a consent or bot-check interstitial.

Such a page has a title, text and sometimes the show's name in its links, so it can pass for an
article. It is known by what it calls itself (its whole title or <h1>, matched in full: "Not
found: the missing episode" is a headline) backed by what its text says, or by a short text that
opens with what such pages say, or by a password field standing with little text. A word in an
article ("404", "log in", "cookies") is never enough. English and Korean.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from aoud_tracker.metadata import TITLE_SEPARATORS

if TYPE_CHECKING:
    from lxml import html as lxml_html

    from aoud_tracker.metadata import PageMeta

# Each kind: what such a page calls itself (a whole title part or <h1>, matched in full, so "Not
# found: the missing episode" is no error page) and what it says (searched in its text).
_PAGE_NOUN: Final = r"(?:page|file|url|article|story|post|content|document)"
_ERROR_PAGES: Final = {
    "soft_404": (
        re.compile(
            rf"(?:http\s)?(?:error\s?)?(?:404|410)(?:\s?error)?"
            rf"|(?:(?:error\s)?(?:404|410)\s?[-:–]?\s?)?(?:the\s)?{_PAGE_NOUN}?\s?not\sfound"
            rf"|(?:(?:oops|sorry|whoops|uh[\s-]?oh)[\s!,.]*)?(?:that\s|this\s|the\s)?{_PAGE_NOUN}\s"
            rf"(?:can't|cannot|can\snot|could\snot|couldn't)\sbe\sfound"
            rf"|(?:sorry,?\s)?(?:we\s)?(?:can't|cannot|couldn't|could\snot)\sfind\s(?:that|this|the)\s{_PAGE_NOUN}"
            rf"|(?:sorry,?\s)?(?:this\s|the\s|that\s)?{_PAGE_NOUN}\s(?:does\snot|doesn't|no\slonger)\sexists?"
            rf"|(?:sorry,?\s)?(?:this\s|the\s|that\s)?{_PAGE_NOUN}\s(?:is\s)?(?:no\slonger\savailable|unavailable"
            rf"|not\savailable|has\sbeen\s(?:removed|deleted))|nothing\s(?:was\s)?found"
            r"|(?:요청하신\s?)?(?:페이지|기사|게시물|콘텐츠)(?:를|을|가|이)?\s?찾을\s?수\s?없(?:습니다|어요|음)"
            r"|(?:존재하지\s?않는|삭제된|없는)\s?(?:페이지|기사|게시물)(?:입니다)?"
            r"|(?:페이지|기사|게시물)(?:가|이)\s?(?:존재하지\s?않습니다|삭제되었습니다|없습니다)"
            r"|404\s?(?:오류|에러)"
        ),
        re.compile(
            rf"{_PAGE_NOUN}s?\s(?:that\s)?you\s(?:are|were|'re)\s(?:looking|searching)\sfor"
            rf"|(?:this|the|that|requested)\s{_PAGE_NOUN}\s(?:does\snot|doesn't|did\snot|no\slonger|could\snot"
            rf"|couldn't|cannot|can't|was\snot|wasn't|may\shave)\b|{_PAGE_NOUN}\s(?:is\s)?no\slonger\savailable"
            r"|(?:check|mistyped|typed|misspelled)\s(?:the\s)?(?:url|address|web\saddress|link)"
            r"|\b(?:error\s404|404\serror|404\snot\sfound|404\spage)\b|nothing\swas\sfound\sat\sthis\slocation"
            r"|페이지를?\s?찾을\s?수\s?없|존재하지\s?않는\s?(?:페이지|기사|주소)|(?:삭제|이동)되었거나"
            r"|주소가\s?(?:잘못|정확하지)|요청하신\s?(?:페이지|기사)"
        ),
    ),
    "login_wall": (
        re.compile(
            r"(?:please\s)?(?:sign|log)[\s-]?in(?:\s(?:or|and|to)\s.*)?"
            r"|(?:subscribe|register|sign\sup)\s(?:now\s)?to\s(?:continue|read|keep\sreading|unlock|access|view).*"
            r"|(?:for\s)?(?:subscribers?|members?)[\s-]only(?:\scontent)?"
            r"|(?:login|subscription|registration)\srequired"
            r"|(?:회원\s?)?로그인(?:\s?(?:하기|페이지|필요))?|로그인이\s?필요(?:합니다)?"
            r"|(?:유료\s?)?회원\s?전용(?:\s?(?:기사|콘텐츠))?|구독자\s?전용.*"
        ),
        re.compile(
            r"(?:sign|log)[\s-]?in\sto\s(?:continue|read|keep\sreading|view|access|see|unlock)"
            r"|subscribe\s(?:now\s|today\s)?(?:to|and)\s(?:continue|read|keep\sreading|unlock|access)"
            r"|already\s(?:a\s)?(?:subscriber|member)|already\shave\san\saccount|(?:forgot|reset)\s(?:your\s)?password"
            r"|(?:only|exclusively)\s(?:available\s)?(?:to|for)\s(?:subscribers|members)|subscribers?[\s-]only"
            r"|create\s(?:a\s)?(?:free\s)?account\sto\s(?:continue|read|keep)"
            r"|로그인(?:이|을)?\s?(?:하셔야|필요|후|하시면|해\s?주)|(?:유료\s?)?회원(?:만|\s?전용)|구독자\s?전용"
        ),
    ),
    "interstitial": (
        re.compile(
            r"before\syou\scontinue(?:\sto\s.*)?|we\svalue\syour\sprivacy|your\sprivacy(?:\s(?:choices|settings))?"
            r"|privacy\s(?:settings|preferences|choices|centre|center|notice)|cookies?|consent"
            r"|cookie\s(?:consent|settings|preferences|notice|policy)|manage\s(?:consent|cookies|your\sprivacy)"
            r"|(?:about|we\suse)\scookies|just\sa\smoment|attention\srequired|security\scheck|one\smore\sstep"
            r"|(?:please\s)?verify(?:ing)?\s(?:that\s)?you\s(?:are|'re)\s(?:a\s)?human|are\syou\sa\s(?:robot|human)"
            r"|(?:쿠키|개인정보)\s?(?:설정|동의|수집\s?동의|정책)|잠시만\s?기다려\s?주(?:세요|십시오)"
        ),
        re.compile(
            r"we\sand\sour\s(?:\d+\s)?(?:partners|vendors)|store\sand/or\saccess\sinformation"
            r"|(?:accept|reject|refuse|allow|decline)\sall\b|by\sclicking\s[\"“]?(?:accept|agree|i\saccept|i\sagree"
            r"|allow|continue)|manage\s(?:your\s)?(?:preferences|options|choices|settings|cookies|consent)"
            r"|legitimate\sinterest|personali[sz]ed\s(?:ads|advertising|content)|(?:we|this\s(?:site|website))\suses?"
            r"\scookies|you\scan\schange\syour\s(?:choices|settings|preferences|mind)|precise\sgeolocation"
            r"|checking\s(?:if\sthe\ssite\sconnection\sis\ssecure|your\sbrowser)|enable\sjavascript\sand\scookies"
            r"|쿠키(?:를|의)?\s?(?:사용|저장|수집)|개인정보\s?(?:수집|이용|처리)(?:에)?\s?(?:동의|관한)"
            r"|(?:모두|전체)\s?(?:동의|허용|거부)"
        ),
    ),
}
_VISIBLE_TEXT: Final = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_FURNITURE_TAGS: Final = frozenset({"header", "nav", "aside", "footer", "dialog"})
_TUCKED_AWAY: Final = re.compile(
    r"modal|popup|pop-up|dialog|overlay|lightbox|header|nav|menu|sidebar|drawer", re.I
)
LITTLE_TEXT: Final = 1_000  # an error page's own text is short; a real article (even a brief) rarely is
_ERROR_CLASSES: Final = frozenset(
    {"error404", "error-404", "page-404", "not-found", "notfound", "page-not-found"}
)


def error_page(
    tree: lxml_html.HtmlElement, meta: PageMeta, body: str, size: int, min_body: int
) -> tuple[str, str] | None:
    """soft_404, login_wall or interstitial with its reason, when the page is one served with status 200.

    The page must call itself one (its whole title or an <h1>) and say so in its text or have
    little text; a part of a title ("Not found - the missing episode") must be backed by the
    text. Else its little text must open with what such pages say. A word in an article ("404",
    "log in", "cookies") is never enough. A password field with hardly any text is a login form.
    """
    whole, parts = _headlines(tree, meta)
    little = size < LITTLE_TEXT
    lead = _said(body[:600])
    page_text = ""
    for status, (headline, phrase) in _ERROR_PAGES.items():
        if head := next((h for h in (*whole, *parts) if headline.fullmatch(h)), ""):
            page_text = page_text or _said(" ".join(tree.xpath(_VISIBLE_TEXT)))
            if (little and head in whole) or phrase.search(page_text):
                return status, f"the page calls itself {head[:80]!r}"
        if little and (said := phrase.search(lead)):
            return status, f"the main text says {said.group(0)!r} and little else"
    if size < 2 * min_body and _has_login_form(tree):
        return "login_wall", "a password field and little text"
    classes = {
        c.lower() for e in (tree, tree.find("body")) if e is not None for c in (e.get("class") or "").split()
    }
    if found := sorted(classes & _ERROR_CLASSES):
        return "soft_404", f"the page's class says {found[0]!r}"
    return None


def _has_login_form(tree: lxml_html.HtmlElement) -> bool:
    """A password field in the page itself, not in the login dialog or sidebar box a whole site carries."""
    return any(
        not any(
            a.tag in _FURNITURE_TAGS or a.get("hidden") is not None or _TUCKED_AWAY.search(_names(a))
            for a in field.iterancestors()
            if a.tag not in ("body", "html")  # a body class like "has-navbar" says nothing of the field
        )
        for field in tree.xpath("//input[@type='password']")
    )


def _names(element: lxml_html.HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _headlines(tree: lxml_html.HtmlElement, meta: PageMeta) -> tuple[list[str], list[str]]:
    """What the page calls itself: its titles and first <h1>s whole, and the parts of its titles."""
    titles = [
        meta.title,
        tree.findtext(".//title") or "",
        *(h.text_content() for h in tree.xpath("//h1")[:3]),
    ]
    whole = [_said(title).strip(" .!?…:|-–—") for title in titles]
    parts = [
        _said(part).strip(" .!?…:|-–—") for title in titles[:2] for part in TITLE_SEPARATORS.split(title)
    ]
    return [h for h in whole if h], [p for p in parts if p and p not in whole]


def _said(text: str) -> str:
    """Lowercase words on single spaces, typographic apostrophes straightened: what the phrases match."""
    return " ".join(text.replace("’", "'").lower().split())
