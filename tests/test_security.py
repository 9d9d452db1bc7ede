"""Security properties (issue 9): what strangers' pages can make this program do, and what they cannot.

- No scraped markup reaches a feed, the digest or a served page unsanitised: a crawl of pages carrying
  script in every field, then every published file parsed, and the `serve` index page too.
- Source feeds and sitemaps are parsed with entity resolution and network access off (XXE, billion
  laughs).
- Only http and https are ever requested, and no site but the sources' own (and the pages their
  feeds list) is asked for anything: the servers' own access logs against Scrapy's request count.
- `serve` never answers outside feeds/, symlinks included; store queries bind their values.

Each crawl is a subprocess (`run_cli`) against sites on 127.0.0.1, into a SQLite file under tmp_path.
"""

from __future__ import annotations

import ast
import http.client
import json
import os
import pyexpat
import re
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from aoud_tracker.cli import main
from aoud_tracker.demo.server import SampleSites, SiteHandler
from aoud_tracker.serve import make_server, serve_in_background
from tests.conftest import FIXTURES, run_cli
from tests.test_e2e import FAST

if TYPE_CHECKING:
    from collections.abc import Iterator

PACKAGE = Path(__file__).parent.parent / "aoud_tracker"
# What a browser runs, or loads as a document, in a feed entry or a page: never in anything we publish.
ACTIVE_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                             "form", "svg", "math"})  # fmt: skip
# In an HTML page, <meta http-equiv=refresh> and <link rel=import> load other documents too ...
PAGE_ELEMENTS = ACTIVE_ELEMENTS | {"link", "meta"}
# ... but our own pages carry their <meta charset> and (digest.html) inline SVG charts.
OWN_PAGE_ELEMENTS = {"digest.html": frozenset({"svg", "meta"}), "/": frozenset({"meta"})}
UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data):")
# Feed elements whose text is HTML (RSS description, content:encoded, Atom type="html"): parsed again.
HTML_TEXT = frozenset({"description", "encoded", "summary", "content", "subtitle"})
MARKDOWN_TAG = re.compile(r"<\s*[A-Za-z!/?]")
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")


def is_unsafe_url(value: str) -> bool:
    """Whether a browser would run or inline this URL; browsers ignore whitespace and control
    characters inside a scheme ("java\\tscript:"), so they are dropped before looking."""
    return bool(UNSAFE_SCHEME.match(re.sub(r"[\x00-\x20]", "", value).lower()))


def active_markup(tree: Any, where: str, forbidden: frozenset[str] = ACTIVE_ELEMENTS) -> list[str]:
    """Every element, handler attribute and URL in a parsed HTML or XML tree a browser would run."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        name = etree.QName(element).localname.lower()
        if name in forbidden:
            found.append(f"{where}: <{name}> element")
        for attribute, value in element.attrib.items():
            attribute_name = etree.QName(attribute).localname.lower()
            if attribute_name.startswith("on"):
                found.append(f"{where}: {attribute_name}= on <{name}>")
            candidates = value.split(",") if attribute_name == "srcset" else [value]
            if any(is_unsafe_url(candidate) for candidate in candidates):
                found.append(f"{where}: {attribute_name}={value!r} on <{name}>")
            if attribute_name == "style" and re.search(r"expression\(|url\(\s*['\"]?\s*(?:javascript|data):",
                                                       value, re.IGNORECASE):  # fmt: skip
                found.append(f"{where}: style={value!r} on <{name}>")
    return found


def html_fragment_problems(fragment: str, where: str) -> list[str]:
    if not fragment.strip():
        return []
    return active_markup(lxml_html.fragment_fromstring(fragment, create_parent="div"), where)


def xml_problems(data: bytes, where: str) -> list[str]:
    """An XML feed or OPML list: its own elements, then the HTML that some elements carry as text."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser=parser)
    found = active_markup(root, where)
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in HTML_TEXT and element.text:
            found += html_fragment_problems(element.text, f"{where} <{etree.QName(element).localname}>")
    return found


def json_problems(value: Any, where: str) -> list[str]:
    """A JSON Feed: content_html parsed as HTML, every string checked as a URL (url, image, icon…)."""
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if key == "content_html" and isinstance(item, str):
                found += html_fragment_problems(item, f"{where}.{key}")
            found += json_problems(item, f"{where}.{key}")
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in json_problems(item, f"{where}[{i}]")]
    if isinstance(value, str) and is_unsafe_url(value):
        return [f"{where}: {value!r}"]
    return []


def published_problems(path: Path, name: str) -> list[str]:
    """What in one published file a reader, browser or mail client could be made to run."""
    data = path.read_bytes()
    if name.endswith((".xml", ".opml")):
        return xml_problems(data, name)
    if name.endswith(".json"):
        return json_problems(json.loads(data), name)
    if name.endswith(".html"):
        page = lxml_html.document_fromstring(data)
        return active_markup(page, name, PAGE_ELEMENTS - OWN_PAGE_ELEMENTS.get(name, frozenset()))
    if name.endswith(".md"):  # Markdown renderers pass raw HTML through: every "<" must be escaped
        text = data.decode("utf-8")
        found = [f"{name}: raw tag {m.group(0)!r}" for m in MARKDOWN_TAG.finditer(text)]
        return found + [f"{name}: link to {t!r}" for t in MARKDOWN_LINK.findall(text) if is_unsafe_url(t)]
    if name.endswith(".txt"):  # plain text shows a title as written; it is only ever served as text/plain
        data.decode("utf-8")
        return []
    return [f"{name}: a published file of an unknown kind"]


def get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


@dataclass
class Workspace:
    """A crawl's folder: the topic it read, its store, its feeds and the run's output."""

    root: Path
    db: Path
    feeds: Path
    result: Any
    seconds: float = 0.0

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db}"

    def rows(self, query: str) -> list[Any]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as connection:
            return connection.execute(query).fetchall()


def crawl(root: Path, sites: SampleSites, template: Path, *extra: str) -> Workspace:
    """`run` (crawl, then publish) of a topic template's sites, in a subprocess."""
    root.mkdir(parents=True, exist_ok=True)
    topic = root / "topic.toml"
    topic.write_text(sites.render_topic(template), encoding="utf-8")
    workspace = Workspace(root, root / "tracker.db", root / "feeds", None)
    started = time.monotonic()
    workspace.result = run_cli(
        "run", "--topic", str(topic), "--db", workspace.db_url, "--feeds-dir", str(workspace.feeds),
        "--storage-dir", str(root / "storage"), "--log-level", "INFO", *FAST, *extra, cwd=root,
    )  # fmt: skip
    workspace.seconds = time.monotonic() - started
    return workspace


def summed_stats(workspace: Workspace) -> dict[str, int]:
    """The run's Scrapy stats summed over its spiders (one crawl_runs row each)."""
    total: dict[str, int] = {}
    for (stats,) in workspace.rows("SELECT stats FROM crawl_runs"):
        for key, value in json.loads(stats).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + int(value)
    return total


# ---- no scraped markup in anything published ----------------------------------------------------


@pytest.fixture(scope="module")
def xss_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """tests/fixtures/xss: five pages about the show, each its own story, with script in the title,
    author, body, image, canonical link, links, summary, site name, and in their feed's entries."""
    with SampleSites(FIXTURES / "xss") as sites:
        workspace = crawl(tmp_path_factory.mktemp("xss"), sites, FIXTURES / "xss" / "topic.toml")
        assert workspace.result.returncode == 0, workspace.result.stderr
        yield workspace


@pytest.mark.e2e
def test_no_scraped_markup_reaches_a_feed_the_digest_or_a_served_page(xss_crawl: Workspace) -> None:
    stored_titles = [title for (title,) in xss_crawl.rows("SELECT title FROM articles")]
    assert len(stored_titles) == 5 and xss_crawl.rows("SELECT count(*) FROM stories") == [(5,)]
    hostile = [t for t in stored_titles if "<script>" in t]
    assert len(hostile) == 2, "the page's own title and a feed entry's title were stored as text"

    files = sorted(p for p in xss_crawl.feeds.rglob("*") if p.is_file())
    names = [p.relative_to(xss_crawl.feeds).as_posix() for p in files]
    assert {Path(n).suffix for n in names} == {".xml", ".json", ".opml", ".html", ".md", ".txt"}
    assert any(n.startswith("tags/") for n in names) and "claims.xml" in names
    found = [
        problem for path, name in zip(files, names, strict=True) for problem in published_problems(path, name)
    ]

    server = make_server(xss_crawl.feeds, "127.0.0.1", 0)
    serve_in_background(server)
    try:
        port = server.server_address[1]
        status, content_type, index = get(port, "/")
        assert status == 200 and content_type.startswith("text/html")
        index_page = lxml_html.document_fromstring(index)
        found += active_markup(index_page, "/", PAGE_ELEMENTS - OWN_PAGE_ELEMENTS["/"])
        for path, name in zip(files, names, strict=True):
            status, content_type, body = get(port, "/" + name)
            assert status == 200 and body == path.read_bytes(), name
            if content_type.startswith("text/html") and name != "digest.html":
                found.append(f"{name}: served as {content_type}, a page a browser would run")
    finally:
        server.shutdown()
        server.server_close()
    assert found == []

    # Not vacuous: the hostile titles are there, as text, in the feeds and the digest.
    rss = etree.fromstring((xss_crawl.feeds / "rss.xml").read_bytes())
    assert set(hostile) <= {t.removeprefix("[Spoiler] ") for t in rss.xpath("//item/title/text()")}
    escaped = b'&lt;script&gt;alert("aoud-xss-title")&lt;/script&gt;'
    assert escaped in (xss_crawl.feeds / "rss.xml").read_bytes()
    items = json.loads((xss_crawl.feeds / "feed.json").read_bytes())["items"]
    assert set(hostile) <= {item["title"].removeprefix("[Spoiler] ") for item in items}
    digest = lxml_html.document_fromstring((xss_crawl.feeds / "digest.html").read_bytes()).text_content()
    assert all(title in digest for title in hostile)


def test_the_markup_check_sees_what_a_browser_would_run(tmp_path: Path) -> None:
    """The checker itself, on files that carry each kind of active markup once (and so must fail)."""
    samples = {
        "rss.xml": '<rss><channel><item><description>&lt;img src=x onerror="alert(1)"&gt;</description>'
        "</item></channel></rss>",
        "atom.xml": '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">'
        '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div></content></entry></feed>',
        "feed.json": json.dumps({"items": [{"content_html": '<a href="java\tscript:alert(1)">x</a>'}]}),
        "tags/cast.json": json.dumps({"items": [{"url": "data:text/html,<script>alert(1)</script>"}]}),
        "index.opml": '<opml><body><outline htmlUrl=" vbscript:msgbox(1)"/></body></opml>',
        "digest.html": '<html><body><svg><a onclick="alert(1)">x</a></svg><iframe src="x"></iframe></body>',
        "digest.md": "News <img src=x onerror=alert(1)> and [a link](javascript:alert(1))",
    }
    found = {}
    for name, text in samples.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
        found[name] = published_problems(tmp_path / name, name)
    assert {name: len(problems) for name, problems in found.items()} == {
        "rss.xml": 1, "atom.xml": 1, "feed.json": 1, "tags/cast.json": 1, "index.opml": 1, "digest.html": 2,
        "digest.md": 2,
    }, found  # fmt: skip


# ---- source feeds and sitemaps: no entity resolved, nothing fetched by the parser ------------------

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2026-06-0{day}T09:00:00+09:00"></head><body><article>
<h1>{title}</h1>
<p>Netflix confirmed that All of Us Are Dead Season 2 wrapped its {what} this week, with Park Ji-hu
returning as Nam On-jo and Roh Jae-won joining the cast as Han Du-seok for the new season.</p>
<p>The {what} took place in Seoul and Paju over several weeks, a production source said, and All of Us
Are Dead Season 2 is now in post-production with a large visual effects team working on the outbreak.</p>
<p>The streamer has not announced a release date, and the source would only say that the {what} went
as planned and that more news about the second season would follow in the coming months.</p>
</article></body></html>"""
ENTITIES = """<!DOCTYPE {root} [
  <!ENTITY secret SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "{base}/remote-entity.txt">
  <!ENTITY % dtd SYSTEM "{base}/evil.dtd">
  %dtd;
]>"""
LAUGHS = "<!DOCTYPE {root} [\n  <!ENTITY lol0 \"lol\">\n" + "".join(
    f'  <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10)
) + "]>"  # fmt: skip
RSS = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}
<rss version="2.0"><channel><title>Entities {ref}</title><link>{base}/</link><description>{ref}</description>
<item><title>All of Us Are Dead Season 2 {ref}</title><link>{base}/news/{name}.html</link>
<guid isPermaLink="false">{name}</guid><description>{ref}</description><author>{ref}</author></item>
</channel></rss>"""
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/{name}.html</loc><lastmod>2026-06-01</lastmod></url>
<url><loc>{base}/news/{name}.html?{ref}</loc></url>
</urlset>"""


def entity_site(root: Path, secret_file: Path) -> Path:
    """A site with an RSS feed and a sitemap each declaring an external entity (a local file, a URL
    on the site itself) and a parameter entity loading a remote DTD, and a feed and a sitemap each
    expanding an entity a billion times; every one lists an article of its own."""
    site = root / "sites" / "entities"
    (site / "news").mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    # What a parser that fetched would get: the secret again, so a leak shows whichever way it came.
    (site / "evil.dtd").write_text(f'<!ENTITY leak "{secret_file.read_text().strip()}">', encoding="utf-8")
    (site / "remote-entity.txt").write_text(secret_file.read_text(), encoding="utf-8")
    base = "{{base:entities}}"
    documents = {
        "xxe-feed.xml": (RSS, ENTITIES, "rss", "&secret;&remote;"),
        "laughs-feed.xml": (RSS, LAUGHS, "rss", "&lol9;"),
        "xxe-sitemap.xml": (SITEMAP, ENTITIES, "urlset", "&secret;&remote;"),
        "laughs-sitemap.xml": (SITEMAP, LAUGHS, "urlset", "&lol9;"),
    }
    sources = []
    for day, (file, (template, doctype, root_name, ref)) in enumerate(documents.items(), start=1):
        name = file.removesuffix(".xml")
        declared = doctype.format(root=root_name, secret=secret_file, base=base)
        (site / file).write_text(template.format(doctype=declared, base=base, name=name, ref=ref), "utf-8")
        what = ("table read", "location shoot", "night shoot", "reshoot")[day - 1]
        title = f"All of Us Are Dead Season 2 finishes its {what}"
        (site / "news" / f"{name}.html").write_text(ARTICLE.format(title=title, day=day, what=what), "utf-8")
        kind = "feed" if "feed" in name else "sitemap"
        sources.append(f'[[sources]]\nname = "{name}"\nurl = "{base}/{file}"\nkind = "{kind}"\n')
    topic = root / "entities-topic.toml"
    topic.write_text((FIXTURES / "xss" / "topic.toml").read_text(encoding="utf-8").split("[[sources]]")[0]
                     + "\n".join(sources), encoding="utf-8")  # fmt: skip
    return topic


@pytest.mark.e2e
def test_source_feeds_and_sitemaps_resolve_no_entity_and_fetch_nothing(tmp_path: Path) -> None:
    major, minor, patch = (int(n) for n in pyexpat.EXPAT_VERSION.removeprefix("expat_").split("."))
    assert (major, minor, patch) >= (2, 4, 1), "expat before 2.4.1 has no billion-laughs protection"
    secret = f"aoud-secret-{uuid.uuid4().hex}"
    secret_file = tmp_path / "private" / "passwd.txt"
    secret_file.parent.mkdir()
    secret_file.write_text(secret + "\n", encoding="utf-8")
    topic = entity_site(tmp_path, secret_file)
    with SampleSites(tmp_path / "sites") as sites:
        workspace = crawl(tmp_path / "work", sites, topic, "-s", "AOUD_ERROR_RATE_LIMIT=1")
        requested = {entry.path for entry in sites.access_log}
    assert workspace.result.returncode == 0, workspace.result.stderr
    assert workspace.seconds < 60, "no entity expansion held the crawl up"
    assert not requested & {"/evil.dtd", "/remote-entity.txt"}, "the parsers fetched nothing"
    stored = {url.rsplit("/", 1)[-1] for (url,) in workspace.rows("SELECT url FROM articles")}
    expected = {"xxe-feed.html", "laughs-feed.html", "xxe-sitemap.html", "laughs-sitemap.html"}
    assert stored == expected, "each hostile source was still read for the article it lists"
    assert summed_stats(workspace).get("aoud/sources/entities_refused") == 4, "each one counted (contract 21)"
    places = [workspace.db, *workspace.root.rglob("*")]
    leaked = [str(p) for p in places if p.is_file() and secret.encode() in p.read_bytes()]
    assert leaked == [], "the secret reached the store, a feed or a log"
    assert secret not in workspace.result.stdout + workspace.result.stderr


# ---- only http(s), only the sources' sites ------------------------------------------------------


class RedirectingSite(SiteHandler):
    """The fixture sites, where a file under /go/ holds the Location of a 302 instead of a page."""

    def respond(self, send_body: bool) -> None:
        target = self.resolve()
        if self.path.startswith("/go/") and target is not None:
            self.send_response(302)
            self.send_header("Location", self.body_of(target).decode("utf-8").strip())
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().respond(send_body)


@pytest.mark.e2e
def test_only_http_is_requested_and_only_from_the_sources_sites(tmp_path: Path) -> None:
    """tests/fixtures/schemes: a feed, a sitemap index and a listing on `origin` that link to file:,
    ftp:, javascript:, mailto: and data: URLs and to `elsewhere`, a site that is no source, directly,
    through a child sitemap, a next-page link, HTTP redirects and a meta refresh.

    `elsewhere` may be asked only for its robots.txt and the one page the feed lists: a feed's
    entries are its own choice (an aggregator's are all on other sites), and that is the only way
    another site's page is ever requested (contract case 9: redirects to another site are not followed).
    """
    with SampleSites(FIXTURES / "schemes", handler=RedirectingSite) as sites:
        workspace = crawl(tmp_path, sites, FIXTURES / "schemes" / "topic.toml")
        log = list(sites.access_log)
    assert workspace.result.returncode == 0, workspace.result.stderr
    elsewhere = sorted({entry.path for entry in log if entry.site == "elsewhere"})
    assert set(elsewhere) <= {"/robots.txt", "/listed-by-the-feed.html"}, elsewhere
    stats = summed_stats(workspace)
    assert stats["downloader/request_count"] == len(log), "every request the crawl made reached our servers"
    assert stats["downloader/request_count"] == stats.get("downloader/request_method_count/GET", 0)
    assert not [key for key in stats if re.search(r"NotSupported|ftp|file:", key, re.IGNORECASE)]
    stored = {url.split("/", 3)[-1] for (url,) in workspace.rows("SELECT url FROM articles")}
    assert {"news/from-the-feed.html", "news/from-the-sitemap.html", "news/from-the-listing.html"} <= stored


# ---- serve: nothing outside feeds/, symlinks included -------------------------------------------


def test_serve_follows_no_symlink_out_of_the_feeds_folder(tmp_path: Path) -> None:
    feeds, private = tmp_path / "feeds", tmp_path / "storage"
    (feeds / "tags").mkdir(parents=True)
    private.mkdir()
    (feeds / "rss.xml").write_bytes(b"<rss/>")
    (private / "tracker.db").write_bytes(b"SQLite format 3\x00 secrets")
    (feeds / "leak.xml").symlink_to(private / "tracker.db")  # a file link, absolute
    (feeds / "tags" / "cast.xml").symlink_to(Path("..", "..", "storage", "tracker.db"))  # relative
    (feeds / "private").symlink_to(private, target_is_directory=True)  # a folder link
    (feeds / "passwd.txt").symlink_to("/etc/passwd")
    server = make_server(feeds, "127.0.0.1", 0)
    serve_in_background(server)
    try:
        port = server.server_address[1]
        for path in ("/leak.xml", "/tags/cast.xml", "/private/tracker.db", "/private/", "/passwd.txt",
                     "/private%2ftracker.db", "/tags/..%2fprivate/tracker.db"):  # fmt: skip
            status, _, body = get(port, path)
            assert status == 404 and b"secrets" not in body and b"root:" not in body, path
        status, _, index = get(port, "/")
        assert status == 200 and b"secrets" not in index and b"tracker.db" not in index
        assert get(port, "/rss.xml")[0] == 200, "what is inside is still served"
    finally:
        server.shutdown()
        server.server_close()


# ---- store queries bind their values ------------------------------------------------------------


def invoke(*args: str) -> Any:
    """The CLI in-process, without any AOUD_* variable of the outer environment."""
    clean_env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("AOUD_")}
    return CliRunner(env=clean_env).invoke(main, list(args), prog_name="aoud-tracker")


@pytest.mark.e2e
def test_a_title_written_as_sql_is_stored_and_searched_as_text(xss_crawl: Workspace) -> None:
    title = "'; DROP TABLE articles; --"
    before = xss_crawl.rows("SELECT id, title FROM articles ORDER BY id")
    assert title in [t for _, t in before], "the crawl stored the page titled with SQL"
    for query in (title, "Robert'); DROP TABLE stories;--", "' OR 1=1 --", '" OR ""="'):
        result = invoke("search", "--db", xss_crawl.db_url, "--json", query)
        assert result.exit_code == 0, result.output
        titles = [hit["title"] for hit in json.loads(result.stdout)]
        if query == title:
            assert titles == [title], "found by its words, as any title is"
    assert xss_crawl.rows("SELECT id, title FROM articles ORDER BY id") == before
    assert xss_crawl.rows("SELECT count(*) FROM stories") == [(5,)]
    assert xss_crawl.rows("PRAGMA integrity_check") == [("ok",)]


# Every place in aoud_tracker/ where SQL text is built by formatting (f-string, %, .format, +), with
# why each is safe: only constants and placeholder names are put in, never a value. A new one fails
# the test below until it is shown to be the same and added here; one that disappears must go too.
FORMATTED_SQL_ALLOWED = {
    ("store.py", "_sqlite_pragmas"): "PRAGMA values are module constants (SQLITE_BUSY_TIMEOUT_MS, "
    "SQLITE_MMAP_BYTES, SQLITE_CACHE_KIB, SQLITE_WAL_CHECKPOINT_PAGES): PRAGMA takes no bound parameter",
    ("migrations/versions/0003_search.py", "<module>"): "the FTS5 triggers are assembled from two string "
    "constants of the same module, at import",
}
SQL_WORDS = re.compile(r"\b(?:SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|DROP|ALTER|WHERE|VALUES|BEGIN)\b")
EXECUTING = frozenset({"text", "exec_driver_sql", "execute", "executemany", "executescript"})


def _constant_text(node: ast.AST) -> str:
    """The literal parts of a formatted string expression."""
    return " ".join(
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_formatted(node: ast.AST) -> bool:
    """An f-string with a placeholder, "…" % x, "…".format(x) or "…" + x."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return any(_is_text(side) or _is_formatted(side) for side in (node.left, node.right))
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    )  # fmt: skip


def formatted_sql(source: str) -> list[tuple[str, int]]:
    """(enclosing function or "<module>", line) of each formatted string that reads as SQL, or that
    is passed straight to text(), execute(), exec_driver_sql()…"""
    tree = ast.parse(source)
    scopes: dict[int, str] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                scopes.setdefault(id(node), function.name)
    found = set()
    for node in ast.walk(tree):
        if _is_formatted(node) and SQL_WORDS.search(_constant_text(node)):
            found.add((scopes.get(id(node), "<module>"), node.lineno))
        if isinstance(node, ast.Call) and node.args and _is_formatted(node.args[0]):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in EXECUTING:
                found.add((scopes.get(id(node), "<module>"), node.lineno))
    return sorted(found)


def test_sql_is_never_built_by_formatting_values_into_it() -> None:
    sites = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for scope, line in formatted_sql(path.read_text(encoding="utf-8")):
            sites.setdefault((path.relative_to(PACKAGE).as_posix(), scope), []).append(line)
    unexplained = {f"{file}:{scope} (lines {lines})" for (file, scope), lines in sites.items()
                   if (file, scope) not in FORMATTED_SQL_ALLOWED}  # fmt: skip
    assert not unexplained, "SQL built by formatting: bind the values instead (or explain it above)"
    assert set(FORMATTED_SQL_ALLOWED) <= set(sites), "an allowed place no longer formats SQL: remove it"


def test_the_static_check_sees_formatted_sql() -> None:
    """The scanner itself: each way of formatting a value into SQL is caught, a bound query is not."""
    caught = formatted_sql(
        "def f(s, name, n):\n"
        "    s.execute(text(f\"SELECT * FROM articles WHERE title = '{name}'\"))\n"
        '    s.execute("DELETE FROM tags WHERE id = %s" % n)\n'
        "    q = 'UPDATE stories SET title = {}'.format(name)\n"
        "    s.exec_driver_sql('SELECT 1 WHERE x = ' + name)\n"
        "    s.execute(text('SELECT * FROM articles WHERE title = :title'), {'title': name})\n"
    )
    assert [line for _, line in caught] == [2, 3, 4, 5]
