"""A live progress line on the terminal while crawling, and nothing of it anywhere else.

The CLI turns it on (AOUD_PROGRESS) only when stderr is a terminal and --quiet is not given, so
cron mail and log files never see it. Every spider of the process adds its stats to one board,
which redraws a single line in place twice a second; a log record printed meanwhile first clears
the line, so warnings are never glued to it.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

REDRAW_SECONDS: Final = 0.5
CLEAR_LINE: Final = "\r\x1b[K"


def progress_text(stats: dict[str, Any], elapsed: float) -> str:
    """One line: pages fetched, items new/updated/dropped, errors, and the rate."""

    def count(*keys: str) -> int:
        return sum(int(stats.get(key, 0) or 0) for key in keys)

    pages = count("response_received_count")
    rate = pages / elapsed if elapsed > 0 else 0.0
    return (
        f"{pages} pages · {count('aoud/stored/new', 'aoud/stored/merged')} new · "
        f"{count('aoud/stored/updated')} updated · {count('item_dropped_count')} dropped · "
        f"{count('aoud/errors')} errors · {rate:.1f} pages/s"
    )


class _ClearBeforeLog(logging.Filter):
    """Clears the progress line before a log record is written to the same terminal."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def filter(self, record: logging.LogRecord) -> bool:
        self.stream.write(CLEAR_LINE)
        return True


@dataclass
class _Board:
    """The process's one progress line, summed over every running spider."""

    stream: TextIO
    started: float = field(default_factory=time.monotonic)
    running: list[StatsCollector] = field(default_factory=list)
    finished: list[dict[str, Any]] = field(default_factory=list)
    loop: task.LoopingCall | None = None
    log_filters: list[tuple[logging.Handler, logging.Filter]] = field(default_factory=list)

    def add(self, stats: StatsCollector) -> None:
        self.running.append(stats)
        if self.loop is None:
            self._guard_log_handlers()
            self.loop = task.LoopingCall(self.draw)
            # drawn at once: a crawl shorter than REDRAW_SECONDS (a small site) still shows its line
            self.loop.start(REDRAW_SECONDS, now=True)

    def remove(self, stats: StatsCollector) -> None:
        if stats in self.running:
            self.running.remove(stats)
            self.finished.append(dict(stats.get_stats()))
        if not self.running and self.loop is not None:
            self.loop.stop()
            self.loop = None
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
            for handler, log_filter in self.log_filters:
                handler.removeFilter(log_filter)
            self.log_filters.clear()

    def draw(self) -> None:
        totals: dict[str, Any] = {}
        for stats in [*self.finished, *(s.get_stats() for s in self.running)]:
            for key, value in stats.items():
                if isinstance(value, int | float):
                    totals[key] = totals.get(key, 0) + value
        self.stream.write(CLEAR_LINE + progress_text(totals, time.monotonic() - self.started))
        self.stream.flush()

    def _guard_log_handlers(self) -> None:
        for handler in logging.getLogger().handlers:
            if getattr(handler, "stream", None) is self.stream:
                log_filter = _ClearBeforeLog(self.stream)
                handler.addFilter(log_filter)
                self.log_filters.append((handler, log_filter))


class ProgressLine:
    """Scrapy extension: puts its crawler on the process's progress board (AOUD_PROGRESS = True)."""

    board: ClassVar[_Board | None] = None  # one per process, whatever the number of spiders

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("AOUD_PROGRESS", False):
            raise NotConfigured  # without a message: Scrapy would log a warning in every cron run
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        board = ProgressLine.board
        if board is None or not board.running:
            board = ProgressLine.board = _Board(sys.stderr)
        if self.crawler.stats is not None:
            board.add(self.crawler.stats)

    def spider_closed(self, spider: Spider) -> None:
        if ProgressLine.board is not None and self.crawler.stats is not None:
            ProgressLine.board.remove(self.crawler.stats)
