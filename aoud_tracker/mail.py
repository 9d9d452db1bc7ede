"""The digest as an e-mail: one multipart/alternative message, plain text first, then the HTML page.

Sent with smtplib to the server the user names; STARTTLS and a login only when asked for.
"""

from __future__ import annotations

import smtplib
import socket
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class SmtpServer:
    """Where to hand the message over, and how."""

    host: str
    port: int
    starttls: bool = False
    user: str = ""
    password: str = ""


class MailError(Exception):
    """The message could not be handed to the server; the text names the server and why."""


def digest_message(subject: str, text: str, html: str, sender: str, recipients: list[str]) -> EmailMessage:
    """A message a mail client shows as HTML and a text-only client as plain text."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def default_sender() -> str:
    return f"aoud-tracker@{socket.getfqdn() or 'localhost'}"


def send(message: EmailMessage, server: SmtpServer, timeout: float = 30.0) -> None:
    """Hand the message to the SMTP server, or raise MailError saying what went wrong."""
    try:
        with smtplib.SMTP(server.host, server.port, timeout=timeout) as smtp:
            if server.starttls:
                smtp.starttls()
            if server.user:
                smtp.login(server.user, server.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{server.host}:{server.port}: could not send the digest ({exc})") from None
