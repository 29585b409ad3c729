"""What runs beside the web server: the mail sender and the scheduler.

``serve`` runs both in every web worker by default (``MAIL_SENDER`` and ``SCHEDULER`` =
``in-process``); set either to ``off`` and run ``openforwork worker`` (``run_worker``)
instead, as many as wanted: every mail and every job run is claimed by one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Protocol

from tortoise import Tortoise

from graph.database import tortoise_config
from graph.settings import Settings
from resolvers.events import Publisher
from resolvers.mail import MailSender, transport_for
from resolvers.scheduler import Scheduler, default_jobs
from subscriptions.broker import Broker

logger = logging.getLogger("openforwork.worker")


class BackgroundJob(Protocol):
    async def run(self, stop: asyncio.Event) -> None: ...


def mail_sender(settings: Settings) -> MailSender:
    return MailSender(
        transport_for(settings.email_url),
        sender_address=settings.email_from,
        lease_seconds=settings.mail_lease_seconds,
    )


def scheduler(settings: Settings, publisher: Publisher) -> Scheduler:
    return Scheduler(
        default_jobs(), settings, publisher,
        poll_seconds=settings.scheduler_poll_seconds, lease_seconds=settings.scheduler_lease_seconds,
    )


def background_jobs(settings: Settings, publisher: Publisher) -> list[BackgroundJob]:
    """The in-process part of ``serve``: the mail sender unless ``MAIL_SENDER=off``, the
    scheduler unless ``SCHEDULER=off``."""
    jobs: list[BackgroundJob] = []
    if settings.mail_sender == "in-process":
        jobs.append(mail_sender(settings))
    if settings.scheduler == "in-process":
        jobs.append(scheduler(settings, publisher))
    return jobs


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """``openforwork worker``: the mail sender and the scheduler, whatever ``MAIL_SENDER``
    and ``SCHEDULER`` say, until SIGTERM/SIGINT (or ``stop``)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    broker = Broker(settings.broadcast_url, channel_prefix=settings.broadcast_channel_prefix)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        await broker.connect()
        jobs: list[BackgroundJob] = [mail_sender(settings), scheduler(settings, broker)]
        logger.info("worker running the mail sender and %s scheduled jobs", len(default_jobs()))
        await asyncio.gather(*(job.run(stop) for job in jobs))
    finally:
        await broker.disconnect()
        await Tortoise.close_connections()
