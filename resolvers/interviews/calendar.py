"""An interview as the candidate's calendar sees it: local time and an iCalendar event.

Times are stored in UTC; they are shown in the candidate's time zone (``Profile.time_zone``,
an IANA name; UTC when she set none). The ``ics`` is built by the ``icalendar`` library:
one VCALENDAR with a VEVENT whose DTSTART/DTEND carry the zone (TZID) and the matching
VTIMEZONE, a stable UID per interview, SEQUENCE = the interview's version (calendar apps
replace the earlier event), and STATUS CANCELLED once cancelled.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from models.interviews import Interview, InterviewKind, InterviewStatus
from resolvers.validation import valid_time_zone

PRODID = "-//OpenForWork//Interviews//EN"
UTC_NAME = "UTC"


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name) if name and valid_time_zone(name) else ZoneInfo(UTC_NAME)


def local_time(moment: datetime | None, zone_name: str | None) -> datetime | None:
    return moment.astimezone(zone(zone_name)) if moment is not None else None


def ics(interview: Interview, *, company_name: str, zone_name: str | None) -> str | None:
    """The iCalendar text of a scheduled (or cancelled after scheduling) interview;
    ``None`` while no slot is picked."""
    if interview.starts_at is None or interview.ends_at is None:
        return None
    tz = zone(zone_name)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if interview.status == InterviewStatus.CANCELLED else "PUBLISH")
    event = Event()
    event.add("uid", f"interview-{interview.pk}@openforwork")
    event.add("sequence", interview.version)
    event.add("dtstamp", interview.updated_at)
    event.add("dtstart", interview.starts_at.astimezone(tz))
    event.add("dtend", interview.ends_at.astimezone(tz))
    event.add("summary", f"Interview with {company_name}")
    event.add("status", "CANCELLED" if interview.status == InterviewStatus.CANCELLED else "CONFIRMED")
    event.add("description", _description(interview))
    if interview.location:
        event.add("location", interview.location)
    if interview.url:
        event.add("url", interview.url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    document: bytes = calendar.to_ical()
    return document.decode("utf-8")


def _description(interview: Interview) -> str:
    how = {InterviewKind.VIDEO: "Video call", InterviewKind.PHONE: "Phone call", InterviewKind.ONSITE: "On site"}[interview.kind]
    parts = [f"{how}, {interview.duration_minutes} minutes."]
    if interview.url:
        parts.append(f"Join: {interview.url}")
    if interview.cancel_reason:
        parts.append(f"Cancelled: {interview.cancel_reason}")
    return "\n".join(parts)
