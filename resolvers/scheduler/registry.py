"""Named periodic jobs: what runs, how often, and what a run receives.

A job is an async function of a ``JobRun`` (the moment it runs for, the settings, a
publisher for events) returning how many items it handled. Registering one is one line::

    jobs.add(Job("send_due_mail", send_due_mail, every=timedelta(minutes=5)))

``every`` runs the job at that interval after the previous run; ``daily_at`` at that UTC
time once a day. A run may happen late or, after a worker died mid-run, twice: jobs are
written to be idempotent (conditional updates, mail ``dedupe_key``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.settings import Settings
    from resolvers.events import Publisher


@dataclass(frozen=True)
class JobRun:
    """What one run of a job receives: ``now`` is the moment the run is for (tests pass a
    later one instead of sleeping)."""

    now: datetime
    settings: Settings
    publisher: Publisher


JobFunction = Callable[[JobRun], Awaitable[int]]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction
    every: timedelta | None = None
    daily_at: time | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"job {self.name}: give exactly one of every= or daily_at=")
        if len(self.name) > 60:
            raise ValueError(f"job {self.name}: a name has at most 60 characters")

    def next_after(self, moment: datetime) -> datetime:
        """When the job runs next after a run at ``moment`` (timezone-aware, UTC)."""
        if self.every is not None:
            return moment + self.every
        assert self.daily_at is not None
        today = datetime.combine(moment.date(), self.daily_at, tzinfo=moment.tzinfo)
        return today if today > moment else today + timedelta(days=1)


class JobRegistry:
    """The jobs one scheduler runs, by name (a name twice is an error)."""

    def __init__(self, jobs: list[Job] | None = None) -> None:
        self._jobs: dict[str, Job] = {}
        for job in jobs or []:
            self.add(job)

    def add(self, job: Job) -> Job:
        if job.name in self._jobs:
            raise ValueError(f"job {job.name} is registered twice")
        self._jobs[job.name] = job
        return job

    def get(self, name: str) -> Job | None:
        return self._jobs.get(name)

    def __iter__(self) -> Iterator[Job]:
        return iter(self._jobs.values())

    def __len__(self) -> int:
        return len(self._jobs)
