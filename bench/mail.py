"""Mails sent per second through a real local SMTP server (aiosmtpd), one and two senders.

    python bench/mail.py [--mails 500] [--database sqlite|postgres://…]

Fills the outbox with ``--mails`` due mails, then runs ``MailSender`` instances (the same
class ``serve`` and ``openforwork worker`` run) in this process against an aiosmtpd
server on 127.0.0.1 until every mail was accepted; prints mails/s for one sender and for
two senders sharing the outbox (each row claimed by one: the figure checks that too).
The SMTP server, the database and the senders share the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datetime import datetime, timezone  # noqa: E402

from tortoise import Tortoise  # noqa: E402

from graph.database import apply_migrations, tortoise_config  # noqa: E402
from graph.settings import Settings  # noqa: E402
from models.mail import OutboxMail  # noqa: E402
from resolvers.mail import MailSender, transport_for  # noqa: E402
from tests.mailserver import smtp_server  # noqa: E402


async def one_round(settings: Settings, url: str, mails: int, senders: int, server_count: object) -> float:
    await OutboxMail.all().delete()
    now = datetime.now(timezone.utc)
    await OutboxMail.bulk_create([
        OutboxMail(kind="bench", to_address=f"user{i}@example.com", subject=f"Bench {i}", body_text="x" * 400, send_after=now)
        for i in range(mails)
    ])
    workers = [MailSender(transport_for(url, timeout=10), sender_address="bench@openforwork.local") for _ in range(senders)]

    async def drain(sender: MailSender) -> None:
        while await sender.run_once():
            pass

    started = time.perf_counter()
    await asyncio.gather(*(drain(sender) for sender in workers))
    elapsed = time.perf_counter() - started
    sent = await OutboxMail.filter(sent_at__isnull=False).count()
    assert sent == mails, f"{sent} of {mails} marked sent"
    return mails / elapsed


async def main(args: argparse.Namespace) -> None:
    if args.database == "sqlite":
        folder = tempfile.mkdtemp(prefix="bench-mail-")
        database_url = f"sqlite://{folder}/mail.sqlite3"
    else:
        database_url = args.database
    settings = Settings(database_url=database_url, environment="test")
    await apply_migrations(settings)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        with smtp_server() as server:
            for senders in (1, 2):
                before = len(server.messages)
                rate = await one_round(settings, server.url, args.mails, senders, None)
                received = len(server.messages) - before
                assert received == args.mails, f"server received {received} of {args.mails}"
                print(f"{senders} sender(s): {rate:,.0f} mails/s ({args.mails} mails, {received} received, each once)")
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--database", default="sqlite", help="sqlite (a temporary file) or a postgres:// URL")
    asyncio.run(main(parser.parse_args()))
