"""Sample sites whose article pages are slow enough for a test to act in the middle of a crawl
(kill it, lock its store, cut its database): `paced(delay, after)` makes the handler."""

from __future__ import annotations

import threading
import time
from typing import ClassVar

from aoud_tracker.demo.server import SiteHandler


class PacedArticles(SiteHandler):
    """Article pages answer after `delay` seconds; `caught` is set once `after` of them were sent in
    full since `reset()`: the crawl has made its store and is in the middle of its work."""

    delay: ClassVar[float]
    after: ClassVar[int]
    caught: ClassVar[threading.Event]
    sent: ClassVar[list[str]]
    lock: ClassVar[threading.Lock]

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.sent.clear()
            cls.caught.clear()

    def respond(self, send_body: bool) -> None:
        is_article = self.path.endswith(".html") and self.path.count("/") > 1
        if is_article:
            time.sleep(self.delay)
        super().respond(send_body)
        if is_article:
            self.wfile.flush()
            with self.lock:
                self.sent.append(self.path)
                if len(self.sent) >= self.after:
                    self.caught.set()


def paced(delay: float, after: int) -> type[PacedArticles]:
    """A handler class of its own (its own event and list), for one test module's sites."""
    attributes = {
        "delay": delay,
        "after": after,
        "caught": threading.Event(),
        "sent": [],
        "lock": threading.Lock(),
    }
    return type("Paced", (PacedArticles,), attributes)
