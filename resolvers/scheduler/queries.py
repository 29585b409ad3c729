"""Reading the schedule."""

from __future__ import annotations

from datetime import datetime, timezone

from models.scheduler import ScheduledJob


async def scheduler_lag(now: datetime | None = None) -> float:
    """Seconds the most overdue job waits past its time (0 when none is due; ``/readyz``
    shows it: a growing figure means no worker runs the scheduler)."""
    now = now or datetime.now(timezone.utc)
    row = await ScheduledJob.filter(next_run_at__lte=now).order_by("next_run_at").first().values("next_run_at")
    if row is None:
        return 0.0
    oldest: datetime = row["next_run_at"]
    return round(max((now - oldest).total_seconds(), 0.0), 1)
