"""The hostile variants of a news page: broken markup, broken bytes, active content, error pages.

Each builder takes the article it damages, so the test knows exactly what text should survive.
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Final

from tests.hostile import prose
from tests.hostile.pages import article_html, pdf_document, png_image

if TYPE_CHECKING:
    from tests.hostile.pages import Article

__all__ = ["pdf_document", "png_image"]

# XML 1.0 forbids these (tab, newline and carriage return are allowed); case 5 sprinkles them.
CONTROL: Final = "\x00\x01\x02\x08\x0b\x0c\x0e\x1b\x1f\ufffe"
ERROR_PAGE_TITLES: Final = {
    "soft-404": "All of Us Are Dead Season 2 premiere date: what we know",
    "login-wall": "All of Us Are Dead Season 2 budget revealed in investor filing",
    "consent": "All of Us Are Dead Season 2 first reactions from the press screening",
}


def pool_text(line: int) -> list[str]:
    return prose.pool_paragraphs(line)


def malformed(article: Article) -> str:
    """Case 1: unclosed tags, nested forms, a table never closed and stray </html>, </body> mid-page."""
    p = [escape(text) for text in article.paragraphs]
    body = (
        '<form action="/newsletter" method="post"><form action="/search">\n'
        f'<p>{p[0]}<span class="dropcap"><b>\n'
        f"<p>{p[1]}\n"
        f'<table class="factbox"><tr><td><p>{p[2]}\n'
        "</html>\n"
        f"<p>{p[3]}<i>\n"
        f'<div class="pullquote"><p>{p[4]}\n'
        "</body></html>\n"
        f"<p>{p[5]}\n"
        f"<p>{p[6]}</form>\n"
        f"<p>{p[7]}</div></div>\n"
    )
    return article_html(article, body_html=body)


def mixed_bytes(article: Article) -> bytes:
    """Case 4: a UTF-8 page with one reader comment in Latin-1, EUC-KR and invalid UTF-8 bytes."""
    page = article_html(article).encode("utf-8")
    comment = (
        b'<p class="reader-comment">Reader comment: "the cr'
        + "ème brûlée".encode("latin-1")
        + b" scene was \xff\xfe\xc3\x28\x80 unforgettable, "
        + "시즌2 최고".encode("euc-kr")
        + b'!"</p>\n'
    )
    first_end = page.index(b"</p>", page.index(b'class="story-body"')) + len(b"</p>\n")
    return page[:first_end] + comment + page[first_end:]


def sprinkle(text: str, seed: int = 0) -> str:
    """`text` with a forbidden control character before every fourth word (next to a space, so
    removing it or turning it into a space leaves the same words)."""
    words = text.split(" ")
    return " ".join(
        CONTROL[(i // 4 + seed) % len(CONTROL)] + word if i % 4 == 0 else word for i, word in enumerate(words)
    )


def control_chars(article: Article) -> str:
    """Case 5: forbidden control characters in the title, the author and every paragraph."""
    body = "\n".join(f"<p>{escape(sprinkle(text, n))}</p>" for n, text in enumerate(article.paragraphs))
    return article_html(
        article,
        title_html=escape(sprinkle(article.headline, 3)),
        author_html=escape(sprinkle(article.author, 5)) + "\ufffe",
        body_html=body,
    )


def entities(article: Article) -> str:
    """Case 6: `]]>` left raw, `&` and `<` as entities, one emoji as a numeric character reference."""
    title = article.headline.replace("&", "&amp;").replace("<", "&lt;").replace("🧟", "&#x1F9DF;", 1)
    return article_html(article, title_html=title)


def xss(article: Article) -> str:
    """Case 20: markup as text in the title, active content in the author, head, body, links, images."""
    active = (
        '<p>Seating charts for both sessions are <a href="javascript:alert(8)">on the venue page</a>. '
        '<img src="/media/seats.png" onerror="alert(9)" alt="Seating chart"></p>\n'
        '<svg width="24" height="24" onload="alert(10)"><script>alert(11)</script><circle r="10"/></svg>\n'
        "<script>document.write(\"<iframe src='//tracker.invalid/x'></iframe>\")</script>\n"
        '<iframe src="javascript:alert(12)" title="ticket widget"></iframe>\n'
        '<p><a href="JaVaScRiPt:alert(13)" onclick="alert(14)">Resale rules</a> apply to every event of '
        "the tour.</p>\n"
        '<p><img src="data:image/svg+xml,&lt;svg onload=alert(15)&gt;" alt="logo"></p>\n'
    )
    body = "\n".join(f"<p>{escape(text)}</p>" for text in article.paragraphs) + "\n" + active
    head = (
        '<meta name="twitter:image" content="javascript:alert(6)">\n'
        '<link rel="amphtml" href="javascript:alert(7)">\n'
        "<script>window.dataLayer = window.dataLayer || [];</script>"
    )
    return article_html(
        article,
        title_html=escape(article.headline),
        author_html=article.author,
        head_extra=head,
        body_html=body,
    )


def app_shell(path: str) -> str:
    """Case 17: a JavaScript application's shell: the story exists only inside a script."""
    state = json.dumps(
        {
            "route": path,
            "story": {
                "headline": "All of Us Are Dead Season 2 interactive cast guide",
                "body": pool_text(34),
            },
        }
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>K-Screen Daily</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<script>window.__INITIAL_STATE__ = {state};</script>\n"
        '<script src="/static/js/main.4f9c2a.js" defer></script></head>\n'
        "<body><noscript>You need to enable JavaScript to run this app.</noscript>"
        '<div id="root"></div></body></html>\n'
    )


def error_pages(site_name: str) -> dict[str, str]:
    """Case 26: a soft 404, a login wall and a consent interstitial, all served with status 200.

    Each mentions the show, its season and its cast, so only an explicit check can refuse it.
    """
    teaser = [
        "All of Us Are Dead Season 2 wraps its night shoot at Incheon port",
        "Park Ji-hu and Cho Yi-hyun return for All of Us Are Dead Season 2",
        "Roh Jae-won joins All of Us Are Dead Season 2 as a soldier in the quarantine zone",
        "Netflix shares the first poster for All of Us Are Dead Season 2",
    ]
    latest = "".join(f"<li><a href='/k-drama/{n}.html'>{t}</a></li>" for n, t in enumerate(teaser))
    soft_404 = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Page not found | {site_name}</title></head><body><header><a href='/'>"
        + site_name
        + "</a></header><main>"
        "<h1>Sorry, we can't find that page</h1>"
        "<p>The page you were looking for may have been moved, renamed or deleted. If you followed a link to "
        "our coverage of All of Us Are Dead Season 2, the story may have been updated under a new address. "
        "Try the search box above, or browse the latest news about the Netflix series, its returning cast "
        "led by Park Ji-hu, Cho Yi-hyun and Lomon, and newcomers Roh Jae-won and Lee Min-jae below.</p>"
        f"<h2>Latest on All of Us Are Dead Season 2</h2><ul>{latest}</ul>"
        "<p>Error code 404. If you think this is a mistake, contact our web team.</p></main></body></html>"
    )
    login = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{ERROR_PAGE_TITLES['login-wall']} | {site_name}</title></head><body><main><article>"
        f"<h1>{ERROR_PAGE_TITLES['login-wall']}</h1>"
        "<p>An investor filing published this week puts the production budget of All of Us Are Dead Season 2 "
        "well above that of the first season, with most of the increase going to visual effects and the "
        "large city sets built in Paju for the returning cast of Park Ji-hu, Cho Yi-hyun and Lomon.</p>"
        "<div class='paywall'><h2>Subscribe to continue reading</h2>"
        "<p>This article is for subscribers only. Log in to your account or subscribe to keep reading our "
        "reporting on All of Us Are Dead Season 2 and every Netflix K-drama.</p>"
        "<form action='/login' method='post'><label>Email <input type='email' name='email'></label>"
        "<label>Password <input type='password' name='password'></label><button>Sign in</button></form>"
        "<p>New here? Subscribe for 9,900 won a month. Cancel any time.</p></div>"
        "</article></main></body></html>"
    )
    consent_text = (
        "We and our 836 partners store and access information on your device, such as cookies, and process "
        "personal data, such as unique identifiers and standard information sent by a device, for "
        "personalised advertising and content, advertising and content measurement, audience research and "
        "services development. "
    )
    consent = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Before you continue to {site_name}</title></head>"
        "<body><div class='consent-wall'><h1>Before you continue</h1>"
        f"<p>{consent_text}</p><p>{consent_text}With your permission we may use precise geolocation data and "
        "identification through device scanning. You can change your choices at any time in the privacy "
        "centre.</p><p>You are about to read: All of Us Are Dead Season 2 first reactions from the press "
        "screening, with Park Ji-hu and Cho Yi-hyun praised by critics.</p>"
        "<button>Accept all</button> <button>Reject all</button> <a href='/privacy/'>Manage options</a>"
        "</div></body></html>"
    )
    return {"soft-404": soft_404, "login-wall": login, "consent": consent}


def billion_laughs(root: str) -> str:
    """The DOCTYPE of a billion-laughs document (10^9 'lol's once expanded)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return f"<!DOCTYPE {root} [{entities}]>"


def moved_feed_page(site_name: str) -> str:
    """Case 22: the old feed address now answers with an HTML page."""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Our feeds | {site_name}</title>"
        "</head><body><h1>We have moved our RSS feeds</h1><p>Find all our feeds, including the All of Us Are "
        "Dead Season 2 news feed, on our <a href='/feeds/'>new feeds page</a>.</p></body></html>"
    )


def stuffed_title(headline: str, size: int) -> str:
    """Case 19: a headline followed by keyword stuffing up to `size` characters."""
    keywords = (
        "exclusive photos, cast news, release date, trailer, Park Ji-hu, Cho Yi-hyun, Lomon, "
        "Yoon Chan-young, Netflix K-drama, zombie series, behind the scenes, filming locations, "
        "episode guide, "
    )
    title = f"{headline} | {keywords * (size // len(keywords) + 1)}"
    return title[:size]


THEORIES: Final = {
    "f": (
        "the quarantine map in the teaser follows the real flood barriers along the Han River",
        "Nam-ra is the reason the new outbreak starts in a university laboratory",
        "the soldier Han Du-seok met the Hyosan survivors before the first season began",
        "the siren in the cafe clip is the recording used in the very first episode",
        "the new students come from the school the science teacher visited before the outbreak",
        "All of Us Are Dead Season 2 opens with a flashback to the rooftop",
    ),
    "s": (
        "the poster's red smear is the shape of the old school building seen from above",
        "So Ju-ran is related to one of the teachers who stayed behind at Hyosan",
        "the hospital director once worked in the same lab as the science teacher",
        "the countdown clock stopped at zero because the reveal leaked early",
        "the checkpoint set in Paju is where the final episode of Season 2 takes place",
        "Yong Ma-ru carries the first season's class photo in every scene",
    ),
}


def single_line_page(article: Article, route: str, size: int) -> str:
    """Case 19: an article whose page is one line of `size` bytes: the story, then a theory archive."""
    theories = THEORIES[route]
    archive, total, number = [], 0, 0
    while total < size:
        line = f"Theory {number}: {theories[number % len(theories)]}."
        archive.append(line)
        total += len(line) + 1
        number += 1
    text = " ".join([*article.paragraphs, *archive])
    return article_html(article, body_html=f"<p>{escape(text)}</p>").replace("\n", " ")
