"""Who an interview's changes tell, one call per change, inside its transaction.

The other side learns of each change: a proposal, a new set of slots and a cancellation
by the company reach the candidate; the candidate's pick and her cancellation reach the
company (the employer who proposed while still one of it, else every employer). The
summary is the system message both sides read in the conversation, which never names the
candidate; the mail re-checks a block at send time (``data``'s ``companyId`` and
``profileId``).
"""

from __future__ import annotations

from typing import Any

from models.interviews import Interview
from models.notifications import Notification, NotificationKind
from models.profiles import Profile
from resolvers.notifications.commands import notify
from resolvers.notifications.triggers import candidate_recipients, company_recipients, written

K = NotificationKind

KINDS = {
    "PROPOSED": K.INTERVIEW_PROPOSED,
    "SCHEDULED": K.INTERVIEW_PICKED,
    "RESCHEDULED": K.INTERVIEW_RESCHEDULED,
    "CANCELLED": K.INTERVIEW_CANCELLED,
}


async def interview_changed(interview: Interview, change: str, *, actor_id: int, summary: str) -> list[Notification]:
    """``change`` is an ``InterviewChange`` value; others (expiry, feedback) tell nobody."""
    kind = KINDS.get(change)
    if kind is None:
        return []
    if actor_id == interview.candidate_id:
        recipients = await company_recipients(interview.company_id, interview.proposed_by_id)
    else:
        recipients = await candidate_recipients(interview.candidate_id)
    data: dict[str, Any] = {"companyId": interview.company_id, "summary": summary}
    profile = await Profile.get_or_none(user_id=interview.candidate_id)
    if profile is not None:
        data["profileId"] = profile.pk
    return written(*[
        await notify(
            user_id, kind, subject_type="Interview", subject_id=interview.pk, actor_id=actor_id, data=data,
            dedupe_key=f"interview:{interview.pk}:{change}:{interview.version}:{user_id}",
        )
        for user_id in recipients
    ])

