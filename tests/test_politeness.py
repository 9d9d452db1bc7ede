"""The crawler's own rules for hostile answers, on real Scrapy objects: Retry-After, redirects that
leave the publisher, run in circles or leave http; what counts as HTML; how failures are named."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from aoud_tracker import settings
from aoud_tracker.redirect_guard import ANYWHERE, RedirectGuard, RedirectRefused
from aoud_tracker.retry_after import retry_after_seconds
from aoud_tracker.robots import UNREACHABLE
from aoud_tracker.spiders.base import describe_failure, is_html
from aoud_tracker.urls import domain_of, same_domain

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("Sun, 06 Dec 2026 12:00:30 GMT", 30.0),
        ("Sun, 06 Dec 2026 11:00:00 GMT", 0.0),  # a date in the past: go now
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(value: str, seconds: float | None) -> None:
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("https://news.bbc.co.uk/a", "https://www.bbc.co.uk/b", True),  # a publisher's own hosts
        ("http://example.com/a", "https://www.example.com/b", True),
        ("https://example.com/a", "https://example.org/a", False),
        ("https://a.blogspot.com/x", "https://b.blogspot.com/x", False),  # a public suffix: two owners
        ("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a", False),  # another port, another site
    ],
)
def test_a_domain_is_what_one_publisher_owns(first: str, second: str, same: bool) -> None:
    assert same_domain(first, second) is same
    assert domain_of("https://news.bbc.co.uk/x") == "bbc.co.uk"


def guard() -> RedirectGuard:
    return RedirectGuard(["https://feeds.example.net/rss"])


def redirect(url: str, location: str, **meta: Any) -> tuple[Request, Response]:
    request = Request(url, meta=meta)
    return request, Response(url, status=302, headers={"Location": location}, request=request)


@pytest.mark.parametrize(
    ("location", "kind"),
    [
        ("file:///etc/passwd", "unsafe_redirect"),
        ("ftp://example.com/story.html", "unsafe_redirect"),
        ("javascript:alert(1)", "unsafe_redirect"),
        ("https://elsewhere.example.org/landing", "offsite_redirect"),
        ("/a", "redirect_loop"),  # back to where it started
    ],
)
def test_a_redirect_that_leaves_the_publisher_http_or_the_line_is_refused(location: str, kind: str) -> None:
    request, response = redirect(
        "https://www.example.com/b", location, redirect_urls=["https://www.example.com/a"]
    )
    with pytest.raises(RedirectRefused) as refused:
        guard().process_response(request, response)
    assert refused.value.kind == kind
    assert describe_failure(Failure(refused.value))[0] == kind


@pytest.mark.parametrize(
    ("location", "meta"),
    [
        ("https://amp.example.com/b", {}),  # the publisher's own host
        ("/c?page=2", {}),
        ("https://feeds.example.net/story", {}),  # a configured source's domain
        ("https://publisher.example.org/story", {ANYWHERE: True}),  # a shortener's hop to its target
    ],
)
def test_redirects_on_the_publishers_domain_or_from_a_wrapper_go_through(
    location: str, meta: dict[str, Any]
) -> None:
    request, response = redirect("https://www.example.com/b", location, **meta)
    assert guard().process_response(request, response) is response


def test_a_meta_refresh_to_another_site_is_refused_before_it_is_sent() -> None:
    refreshed = Request(
        "https://elsewhere.example.org/x",
        meta={"redirect_urls": ["https://example.com/a"], "redirect_reasons": ["meta refresh"]},
    )
    with pytest.raises(RedirectRefused, match="another site"):
        guard().process_request(refreshed)
    assert guard().process_request(Request("https://example.com/next")) is None


def html(body: bytes, content_type: str | None, cls: type[TextResponse] = HtmlResponse) -> Response:
    headers = {"Content-Type": content_type} if content_type else {}
    return cls("https://example.com/story.html", body=body, headers=headers)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (html(b"<!doctype html><html><body><p>x</p>", "text/html; charset=utf-8"), True),
        (html(b"<html><body><p>x</p>", None), True),  # no type named: it looks like HTML
        (html(b"  <!-- cms --><div><p>x</p></div>", "text/plain"), True),
        (html(b"%PDF-1.7 binary", "application/pdf"), False),  # Scrapy calls this an HtmlResponse
        (html(b"%PDF-1.7 binary", "text/html"), False),  # a lying header: the bytes say PDF
        (html(b"\x89PNG\r\n\x1a\n....", "text/html"), False),
        (html(b'{"title": "not a page"}', "application/json", TextResponse), False),
        (Response("https://example.com/photo", body=b"GIF89a"), False),
    ],
)
def test_html_is_judged_by_its_content_type_and_its_first_bytes(response: Response, expected: bool) -> None:
    assert is_html(response, response.headers.get("Content-Type", b"").decode() or None) is expected


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (IgnoreRequest("max redirections reached"), "redirect_limit"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (
            IgnoreRequest(f"{UNREACHABLE} (HTTP 503): 127.0.0.1:1 is left alone this run"),
            "robots_unreachable",
        ),
        (
            IgnoreRequest("Received 33619968 bytes which is larger than download max size (33554432)"),
            "too_large",
        ),
    ],
)
def test_refusals_are_named_by_what_happened(error: Exception, kind: str) -> None:
    assert describe_failure(Failure(error))[0] == kind


def test_a_failure_without_a_message_still_names_its_kind() -> None:
    from scrapy.exceptions import DownloadCancelledError, ResponseDataLossError

    assert describe_failure(Failure(DownloadCancelledError()))[0] == "too_large"
    kind, reason = describe_failure(Failure(ResponseDataLossError()))
    assert kind == "connection" and reason.endswith("(ResponseDataLossError)")
    response = Response("https://example.com/x", status=410)
    assert describe_failure(Failure(HttpError(response)))[0] == "http_410"


def test_the_crawl_settings_put_our_middlewares_in_scrapys_place() -> None:
    middlewares = get_crawler(settings_dict={}).settings.getdict("DOWNLOADER_MIDDLEWARES")
    middlewares = {**middlewares, **settings.DOWNLOADER_MIDDLEWARES}
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert middlewares["aoud_tracker.robots.StrictRobotsTxt"] == 100
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert middlewares["aoud_tracker.retry_after.RetryAfterMiddleware"] == 550
    assert middlewares["aoud_tracker.redirect_guard.RedirectGuard"] > 600  # sees a 3xx before Redirect
