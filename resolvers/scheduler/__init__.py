"""The scheduler: named periodic jobs run by whichever worker claims them first.

- ``registry``: ``Job`` (a name, an async function of a ``JobRun``, ``every=`` an interval
  or ``daily_at=`` a UTC time) and ``JobRegistry``.
- ``jobs.default_jobs()``: the service's jobs (contact-request expiry, reminders …).
- ``runner.Scheduler``: claims a due ``scheduled_job`` row with a lease (a conditional
  UPDATE, as the mail sender does), runs the job with ``now``, records the run.
- ``queries.scheduler_lag``: how late the most overdue job is (``/readyz``).

Why no job library: see docs/scheduler.md.
"""

from resolvers.scheduler.jobs import default_jobs
from resolvers.scheduler.queries import scheduler_lag
from resolvers.scheduler.registry import Job, JobRegistry, JobRun
from resolvers.scheduler.runner import Scheduler

__all__ = ["Job", "JobRegistry", "JobRun", "Scheduler", "default_jobs", "scheduler_lag"]
