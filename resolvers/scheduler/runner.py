"""The scheduler: claims due jobs with a lease, runs them, records the run.

The same technique as the mail sender (``resolvers/mail/sender.py``), for the same
reasons: it works on SQLite with one process and on PostgreSQL with any number of
workers, with nothing but the database.

- **One runner per due job.** ``scheduled_job`` holds one row per registered job. A run
  starts with a conditional UPDATE (``next_run_at <= now`` and the lease free or
  expired): the database lets exactly one worker win it.
- **Only the holder records it.** After the run, ``next_run_at`` moves on and the lease is
  freed ``WHERE claimed_by = <this worker>``; a run that raised is recorded too
  (``last_error``, ``failures``) and the job comes back at its next time.
- **A killed worker loses nothing.** Its claimed row stays claimed until the lease
  (``lease_seconds``) expires; then another worker runs the job again. Jobs are idempotent,
  so the repeat finishes what the dead run left.
- **Time is a parameter.** ``run_due(now)`` runs what is due at ``now`` and hands ``now``
  to every job: tests move time instead of sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from models.scheduler import ScheduledJob
from resolvers.scheduler.registry import Job, JobRegistry, JobRun

if TYPE_CHECKING:
    from graph.settings import Settings
    from resolvers.events import Publisher

logger = logging.getLogger("openforwork.scheduler")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Scheduler:
    def __init__(
        self,
        jobs: JobRegistry,
        settings: Settings,
        publisher: Publisher,
        *,
        lease_seconds: float = 600.0,
        poll_seconds: float = 15.0,
        name: str | None = None,
    ) -> None:
        self.jobs = jobs
        self.settings = settings
        self.publisher = publisher
        self.lease = timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.name = name or _worker_name()

    async def register(self, now: datetime | None = None) -> None:
        """Give every registered job its row (first run: now). Rows of jobs no longer
        registered stay; nobody claims them."""
        now = now or _now()
        known = {row["name"] for row in await ScheduledJob.all().values("name")}
        for job in self.jobs:
            if job.name in known:
                continue
            try:
                await ScheduledJob.create(name=job.name, next_run_at=now)
            except IntegrityError:
                pass  # another worker registered it first

    async def claim(self, job: Job, now: datetime) -> bool:
        free = Q(claimed_until=None) | Q(claimed_until__lt=now)
        changed = await ScheduledJob.filter(free, name=job.name, next_run_at__lte=now).update(
            claimed_by=self.name, claimed_until=now + self.lease, last_started_at=now
        )
        return bool(changed)

    async def run_job(self, job: Job, now: datetime) -> None:
        """Run a claimed job and record the run (``now``: the moment it runs for)."""
        result: int | None = None
        error: str | None = None
        try:
            result = await job.run(JobRun(now=now, settings=self.settings, publisher=self.publisher))
        except Exception as exc:  # recorded; the job comes back at its next time
            logger.exception("job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"[:500]
        await ScheduledJob.filter(name=job.name, claimed_by=self.name).update(
            next_run_at=job.next_after(now), claimed_until=None, last_finished_at=_now(),
            last_result=result, last_error=error, runs=F("runs") + 1,
            failures=F("failures") + (1 if error else 0),
        )

    async def run_due(self, now: datetime | None = None) -> list[str]:
        """Run every job due at ``now`` that this worker wins; returns their names."""
        now = now or _now()
        await self.register(now)
        ran: list[str] = []
        due = await ScheduledJob.filter(next_run_at__lte=now).order_by("next_run_at").values("name")
        for row in due:
            job = self.jobs.get(row["name"])
            if job is not None and await self.claim(job, now):
                await self.run_job(job, now)
                ran.append(job.name)
        return ran

    async def run(self, stop: asyncio.Event) -> None:
        """Run due jobs until ``stop`` is set, looking every ``poll_seconds``."""
        while not stop.is_set():
            try:
                await self.run_due()
            except Exception:  # the database went away for a moment: look again later
                logger.exception("scheduler: claiming failed")
            try:
                await asyncio.wait_for(stop.wait(), self.poll_seconds)
            except TimeoutError:
                pass
