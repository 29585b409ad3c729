"""When mail may go out to a person: their chosen frequency per kind, their time zone,
quiet hours, and the moments the daily and weekly digests are due.

A digest is due at ``DIGEST_HOUR`` o'clock in the person's time zone (the weekly one on
Mondays); it carries what happened before that moment. During quiet hours no mail is
written; what became due goes out with the first run after they end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from models.notifications import MailFrequency, MailSchedule, NotificationKind, NotificationPreference
from resolvers.notifications.kinds import DEFAULT_FREQUENCY

DIGEST_HOUR = 8
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Preferences:
    """A person's mail settings with the defaults filled in."""

    frequencies: dict[NotificationKind, MailFrequency]
    chosen: frozenset[NotificationKind] = field(default_factory=frozenset)
    time_zone: str | None = None
    quiet_start: int | None = None
    quiet_end: int | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone) if self.time_zone else UTC

    def frequency(self, kind: NotificationKind) -> MailFrequency:
        return self.frequencies[kind]

    def quiet_at(self, now: datetime) -> bool:
        """Is ``now`` within the quiet hours (local time)? Start = end means none."""
        if self.quiet_start is None or self.quiet_end is None or self.quiet_start == self.quiet_end:
            return False
        hour = now.astimezone(self.zone).hour
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= hour < self.quiet_end
        return hour >= self.quiet_start or hour < self.quiet_end

    def digest_moment(self, frequency: MailFrequency, now: datetime) -> datetime:
        """The latest moment at or before ``now`` when a DAILY or WEEKLY digest was due."""
        local = now.astimezone(self.zone)
        moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
        if moment > local:
            moment -= timedelta(days=1)
        if frequency == MailFrequency.WEEKLY:
            moment -= timedelta(days=moment.weekday())  # back to Monday
        return moment.replace(tzinfo=None).replace(tzinfo=self.zone)


async def preferences_of(user_id: int) -> Preferences:
    chosen = {
        row.kind: row.frequency for row in await NotificationPreference.filter(user_id=user_id)
    }
    schedule = await MailSchedule.get_or_none(user_id=user_id)
    return Preferences(
        frequencies={**DEFAULT_FREQUENCY, **chosen},
        chosen=frozenset(chosen),
        time_zone=schedule.time_zone if schedule else None,
        quiet_start=schedule.quiet_start if schedule else None,
        quiet_end=schedule.quiet_end if schedule else None,
    )
