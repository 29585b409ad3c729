"""Reading the schedule."""

from __future__ import annotations

from datetime import datetime, timezone

from models.scheduler import ScheduledJob


async def scheduler_lag(now: datetime | None = None) -> float:
    """Seconds the most overdue job waits past its time (0 when none is due; ``/readyz``
    shows it: a growing figure means no worker runs the scheduler)."""
    now = now or datetime.now(timezone.utc)
    oldest = await ScheduledJob.filter(next_run_at__lte=now).order_by("next_run_at").first().values_list("next_run_at", flat=True)  # type: ignore[arg-type]  # flat=True yields the moment itself
    if oldest is None:
        return 0.0
    assert isinstance(oldest, datetime)
    return round(max((now - oldest).total_seconds(), 0.0), 1)
