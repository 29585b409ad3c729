"""Scheduler: one row per named periodic job, holding when it runs next and who holds it
(``resolvers/scheduler``)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ScheduledJob(Model):
    """A periodic job's schedule and its last run. A worker claims a due row with a conditional UPDATE (a lease), runs the job, then moves ``next_run_at`` on and frees the lease."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    next_run_at = fields.DatetimeField(db_index=True)
    # The worker running the job and until when; another worker may take it after that.
    claimed_by = fields.CharField(max_length=64, null=True)
    claimed_until = fields.DatetimeField(null=True)
    last_started_at = fields.DatetimeField(null=True)
    last_finished_at = fields.DatetimeField(null=True)
    # What the last run did (a count of items handled), or why it failed.
    last_result = fields.IntField(null=True)
    last_error = fields.CharField(max_length=500, null=True)
    runs = fields.IntField(default=0)
    failures = fields.IntField(default=0)

    class Meta:
        table = "scheduled_job"
