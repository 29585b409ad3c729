"""Years of experience: what the candidate stated, or else what her experience covers.

Every write to a profile or its experience stores ``Profile.years_of_experience``
(``store_years``), so search filters and sorts on a column: the stated years, or the
experience periods with overlaps merged (a current job runs until today)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from models.profiles import Experience, Profile


def derived_years(periods: Sequence[tuple[date, date | None]], today: date | None = None) -> int:
    """Whole years covered by the periods, overlaps merged; an open end means today."""
    today = today or date.today()
    spans = sorted((start, min(end or today, today)) for start, end in periods if start <= today)
    days = 0
    current_start: date | None = None
    current_end: date | None = None
    for start, end in spans:
        if current_end is None or start > current_end:
            if current_start is not None and current_end is not None:
                days += (current_end - current_start).days
            current_start, current_end = start, end
        elif end > current_end:
            current_end = end
    if current_start is not None and current_end is not None:
        days += (current_end - current_start).days
    # Whole years; a few days' slack so 2010-01-01..2016-01-01 counts as 6 despite leap days.
    return int((days + 3) / 365.25)


async def store_years(profile: Profile) -> None:
    """Set ``profile.years_of_experience`` (the caller saves the profile)."""
    if profile.stated_years_of_experience is not None:
        profile.years_of_experience = profile.stated_years_of_experience
    else:
        rows = await Experience.filter(profile_id=profile.pk).values_list("start_date", "end_date")
        profile.years_of_experience = derived_years([(start, end) for start, end in rows])
