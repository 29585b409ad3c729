"""What a proposal says and how it is checked: slots, duration, kind and place, and the
interviewers (members of the proposing company)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import cast

from models.accounts import User
from models.interviews import Interview, InterviewKind
from resolvers.errors import Problems, UserErrorCode
from resolvers.validation import optional_text, url

MAX_SLOTS = 10
MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 480
MAX_INTERVIEWERS = 10
LOCATION_MAX_LENGTH = 200
# Slots further ahead than this are refused (a typo in the year, not a plan).
MAX_DAYS_AHEAD = 366


@dataclass(frozen=True)
class Proposal:
    """A proposal as the client sent it; ``check_proposal`` returns the clean one.
    ``interviewer_ids`` holds ``None`` for an id that names no user; ``unknown_role`` is
    set when ``roleId`` was given but names no role."""

    slots: Sequence[datetime]
    duration_minutes: int
    kind: InterviewKind
    interviewer_ids: Sequence[int | None]
    location: str | None = None
    url: str | None = None
    role_id: int | None = None
    unknown_role: bool = False


def check_slots(problems: Problems, slots: Sequence[datetime], now: datetime, field: str = "slots") -> list[datetime]:
    """1–10 distinct future times with a time zone, as UTC, earliest first."""
    if not slots:
        problems.add(UserErrorCode.REQUIRED, "Propose at least one slot.", field)
    if len(slots) > MAX_SLOTS:
        problems.add(UserErrorCode.TOO_MANY, f"Propose at most {MAX_SLOTS} slots.", field)
    clean: set[datetime] = set()
    for slot in slots:
        if slot.tzinfo is None:
            problems.add(UserErrorCode.INVALID, "Each slot needs a time zone (such as 2030-01-31T09:00:00Z).", field)
        elif slot <= now:
            problems.add(UserErrorCode.INVALID, "Each slot must be in the future.", field)
        elif slot > now + timedelta(days=MAX_DAYS_AHEAD):
            problems.add(UserErrorCode.OUT_OF_RANGE, f"Slots lie at most {MAX_DAYS_AHEAD} days ahead.", field)
        else:
            clean.add(slot.astimezone(timezone.utc))
    return sorted(clean)


def check_proposal(problems: Problems, proposal: Proposal, now: datetime) -> tuple[list[datetime], str | None, str | None]:
    """The clean slots, location and URL; every problem is added to ``problems``."""
    slots = check_slots(problems, proposal.slots, now)
    if not MIN_DURATION_MINUTES <= proposal.duration_minutes <= MAX_DURATION_MINUTES:
        problems.add(
            UserErrorCode.OUT_OF_RANGE,
            f"An interview lasts {MIN_DURATION_MINUTES}–{MAX_DURATION_MINUTES} minutes.",
            "durationMinutes",
        )
    location = optional_text(problems, proposal.location, "location", "Location", maximum=LOCATION_MAX_LENGTH)
    link = url(problems, proposal.url, "url", "Meeting link")
    if proposal.kind == InterviewKind.ONSITE and not location:
        problems.add(UserErrorCode.REQUIRED, "An on-site interview needs a location.", "location")
    if proposal.kind == InterviewKind.VIDEO and not link:
        problems.add(UserErrorCode.REQUIRED, "A video interview needs a meeting link.", "url")
    if proposal.unknown_role:
        problems.add(UserErrorCode.NOT_FOUND, "No such role.", "roleId")
    if not proposal.interviewer_ids:
        problems.add(UserErrorCode.REQUIRED, "Name at least one interviewer.", "interviewerIds")
    if len(proposal.interviewer_ids) > MAX_INTERVIEWERS:
        problems.add(UserErrorCode.TOO_MANY, f"Name at most {MAX_INTERVIEWERS} interviewers.", "interviewerIds")
    return slots, location, link


async def check_interviewers(problems: Problems, company_id: int, ids: Sequence[int | None]) -> list[int]:
    """The distinct interviewers, each an active member of the company; another
    company's user reads as not found."""
    wanted = list(dict.fromkeys(i for i in ids if i is not None))
    # Tortoise types a flat value list as a tuple; it is a list of the column's values.
    members = set(cast(
        list[int], await User.filter(id__in=wanted, company_id=company_id, deleted_at=None).values_list("id", flat=True)
    ))
    if None in ids or set(wanted) - members:
        problems.add(UserErrorCode.NOT_FOUND, "Each interviewer must be a member of your company.", "interviewerIds")
    return [i for i in wanted if i in members]


def slot_times(interview: Interview) -> list[datetime]:
    return [datetime.fromisoformat(value) for value in interview.slots]


def stored_slots(slots: Sequence[datetime]) -> list[str]:
    return [slot.isoformat() for slot in slots]
