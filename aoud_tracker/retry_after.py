"""Retries that wait as long as the server asked: `Retry-After` on 429, 503 and other retried answers.

Scrapy's RetryMiddleware sends a retry as soon as it can (scrapy/scrapy#3849), so a server that
answered "429 Too Many Requests, Retry-After: 30" is asked again within a second, and answers 429
again. This middleware replaces it (at 550): a retried answer that carries `Retry-After` (seconds,
or an HTTP date) waits that long before its retry goes out, capped by AOUD_RETRY_AFTER_MAX (a
server asking for an hour is not retried in this run). The wait holds one of the crawl's
concurrent requests, not the crawl.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Final

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER_MAX: Final = 120.0


def retry_after_seconds(value: str, now: datetime) -> float | None:
    """The wait a `Retry-After` value asks for: delta-seconds or an HTTP date; None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware that honours `Retry-After` (and counts each wait as aoud/retry_after/<status>)."""

    async def process_response(  # type: ignore[override]  # Scrapy awaits a coroutine method too
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        header = response.headers.get("Retry-After")
        wait = retry_after_seconds(header.decode("latin-1"), datetime.now(UTC)) if header else None
        reason = response_status_message(response.status)
        if wait is None or wait <= 0:
            return self._retry(request, reason) or response
        limit = self.crawler.settings.getfloat("AOUD_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX)
        stats = self.crawler.stats
        assert stats is not None
        if wait > limit:
            stats.inc_value("aoud/retry_after/too_long")
            logger.warning(
                "%s: HTTP %d, Retry-After %.0f s is more than %.0f s: not retried in this run",
                request.url, response.status, wait, limit,
            )  # fmt: skip
            return response
        retry = self._retry(request, reason)
        if retry is None:
            return response
        stats.inc_value(f"aoud/retry_after/{response.status}")
        logger.info("%s: HTTP %d, Retry-After %.0f s: retrying then", request.url, response.status, wait)
        await asyncio.sleep(wait)
        return retry
