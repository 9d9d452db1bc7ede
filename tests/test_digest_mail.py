"""`aoud-tracker digest`: the three digest files for a period, and the e-mail a real SMTP server receives."""

from __future__ import annotations

import email
import socket
from email import policy
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from sqlalchemy.orm import sessionmaker

from aoud_tracker import store
from aoud_tracker.cli import main
from tests.factories import article

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import EmailMessage
    from pathlib import Path

    from aoud_tracker.topic import Topic


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd checks its own port on start, so it needs a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def db(tmp_path: Path, topic: Topic) -> str:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = store.make_engine(url)
    with sessionmaker(engine).begin() as session:
        store.save_article(session, topic.slug, article())
    engine.dispose()
    return url


def test_the_digest_is_mailed_as_text_and_html(smtp: tuple[Inbox, int], db: str, tmp_path: Path) -> None:
    inbox, port = smtp
    feeds = tmp_path / "feeds"
    arguments = ["digest", "--db", db, "--feeds-dir", str(feeds), "--since", "2w"]
    arguments += ["--email", "fan@example.org", "--smtp", f"127.0.0.1:{port}", "--sender", "bot@example.org"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert {p.name for p in feeds.iterdir()} == {"digest.md", "digest.html", "digest.txt"}

    ((recipients, message),) = inbox.messages
    assert recipients == ["fan@example.org"] and message["From"] == "bot@example.org"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "All of Us Are Dead Season 2 starts filming" in text.get_content()
    assert "**" not in text.get_content(), "plain text, not Markdown"
    assert "<h2>Release date watch</h2>" in html.get_content() and "<svg" not in text.get_content()
    assert "<svg" in html.get_content(), "the HTML part carries its charts"


def test_mail_settings_are_checked_before_anything_is_written(db: str, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    for extra, problem in (
        (["--email", "fan@example.org"], "--email needs --smtp"),
        (["--email", "fan@example.org", "--smtp", "localhost"], "expected HOST:PORT"),
        (["--since", "soon"], "use a period like 7d"),
    ):
        result = CliRunner().invoke(main, ["digest", "--db", db, "--feeds-dir", str(feeds), *extra])
        assert result.exit_code == 2 and problem in result.output, result.output
    assert not feeds.exists()


def test_an_unreachable_smtp_server_is_a_clear_error(db: str, tmp_path: Path) -> None:
    arguments = ["digest", "--db", db, "--feeds-dir", str(tmp_path / "feeds")]
    result = CliRunner().invoke(main, [*arguments, "--email", "fan@example.org", "--smtp", "127.0.0.1:9"])
    assert result.exit_code == 1 and "127.0.0.1:9: could not send the digest" in result.output
