"""Where mail goes: an SMTP server, the log, or a folder.

``EMAIL_URL`` picks one:

- ``smtp://user:password@host:587`` (STARTTLS when the server offers it; ``?starttls=0``
  to refuse, ``?starttls=1`` to require), ``smtps://host:465`` (TLS from the first byte);
- ``log://`` writes each mail to the ``openforwork.mail`` log at INFO (the default: a
  newcomer reads their confirmation code in the terminal);
- ``file:///path/to/folder`` writes one ``<id>.eml`` file per mail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlparse

import aiosmtplib

logger = logging.getLogger("openforwork.mail")

SCHEMES = ("smtp", "smtps", "log", "file")


class PermanentMailError(Exception):
    """The server refused the mail for good (a 5xx reply): retrying cannot help."""


@dataclass(frozen=True)
class MailMessage:
    """One mail as it leaves. ``message_id`` is the same on every attempt for one outbox
    row, so a receiving server can drop a duplicate if a sender dies between the SMTP
    server's acceptance and marking the row sent."""

    message_id: str
    sender: str
    to_address: str
    subject: str
    body_text: str
    body_html: str | None = None

    def as_email(self) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = self.to_address
        mail["Subject"] = self.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = self.message_id
        mail.set_content(self.body_text)
        if self.body_html is not None:
            mail.add_alternative(self.body_html, subtype="html")
        return mail


def message_id_for(outbox_id: int, created_at_epoch: int, domain: str) -> str:
    """The Message-ID of an outbox row: the same on every attempt (RFC 5322 form)."""
    return f"<ofw-{outbox_id}.{created_at_epoch}@{domain}>"


class Transport(Protocol):
    async def send(self, message: MailMessage) -> None:
        """Deliver or raise: ``PermanentMailError`` for a refusal, anything else to retry."""
        ...


class LogTransport:
    async def send(self, message: MailMessage) -> None:
        logger.info(
            "mail to %s: %s\n%s", message.to_address, message.subject, message.body_text,
            extra={"mail_to": message.to_address, "message_id": message.message_id},
        )


class FolderTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: MailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message.message_id.strip("<>").split("@")[0] + ".eml"
        (self.folder / name).write_bytes(bytes(message.as_email()))


class SmtpTransport:
    def __init__(
        self, host: str, port: int, *, username: str | None, password: str | None,
        use_tls: bool, start_tls: bool | None, timeout: float,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.use_tls, self.start_tls, self.timeout = use_tls, start_tls, timeout

    async def send(self, message: MailMessage) -> None:
        try:
            await aiosmtplib.send(
                message.as_email(),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.use_tls,
                start_tls=self.start_tls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:
                raise PermanentMailError(f"{exc.code} {exc.message}") from exc
            raise


def transport_for(url: str, *, timeout: float = 30.0) -> Transport:
    """The transport ``EMAIL_URL`` names (``ValueError`` for anything else)."""
    parsed = urlparse(url)
    if parsed.scheme == "log":
        return LogTransport()
    if parsed.scheme == "file":
        return FolderTransport(Path(unquote(parsed.path or ".")))
    if parsed.scheme in ("smtp", "smtps"):
        if not parsed.hostname:
            raise ValueError("EMAIL_URL: smtp:// needs a host")
        query = parse_qs(parsed.query)
        starttls = query.get("starttls", [""])[0]
        return SmtpTransport(
            parsed.hostname,
            parsed.port or (465 if parsed.scheme == "smtps" else 587),
            username=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            use_tls=parsed.scheme == "smtps",
            start_tls={"1": True, "0": False}.get(starttls),
            timeout=timeout,
        )
    raise ValueError(f"EMAIL_URL: unsupported scheme {parsed.scheme!r} (use one of {', '.join(SCHEMES)})")
