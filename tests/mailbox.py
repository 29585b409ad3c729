"""Reading the mail a user received, the way a newcomer reads their code.

In-process apps (the ``gql`` fixture): the outbox row the sign-up wrote, which the app's
sender delivers as it is (``log://`` by default in tests, or the test SMTP server).
Server processes (``tests/scaleout/servers.py``, ``tests/examples/server.py``) write their
mail as ``.eml`` files into ``MAIL_DIR`` (``EMAIL_URL=file://…``); the mail is read there.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import tempfile
import time
from pathlib import Path

from models.mail import OutboxMail

# One folder per test process for every server process it starts.
MAIL_DIR = Path(tempfile.mkdtemp(prefix="ofw-test-mail-"))
MAIL_URL = f"file://{MAIL_DIR}"
_CODE = re.compile(r"confirmation code is (\d{6})")


def code_in(text: str) -> str | None:
    found = _CODE.search(text)
    return found.group(1) if found else None


async def outbox_code(address: str) -> str:
    """The newest confirmation code mailed to ``address`` (read from the outbox)."""
    row = await OutboxMail.filter(kind="confirm_email", to_address=address.lower()).order_by("-id").first()
    assert row is not None, f"no confirmation mail to {address}"
    code = code_in(row.body_text)
    assert code is not None, row.body_text
    return code


async def folder_code(address: str, timeout: float = 20.0) -> str:
    """The newest confirmation code mailed to ``address``, from the ``.eml`` files the
    server processes' senders wrote into ``MAIL_DIR``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found: list[tuple[float, str]] = []
        for path in MAIL_DIR.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if str(message["To"]).lower() == address.lower() and "confirmation code" in str(message["Subject"]):
                body = message.get_body(("plain",))
                code = code_in(body.get_content() if body is not None else "")
                if code:
                    found.append((path.stat().st_mtime, code))
        if found:
            return max(found)[1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no confirmation mail to {address} in {MAIL_DIR} within {timeout}s")
