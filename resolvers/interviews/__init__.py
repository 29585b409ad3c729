"""Interviews: a company proposes slots in an accepted conversation, the candidate picks
one, either side cancels, the company reschedules, interviewers give feedback.

- ``access``: who is party (the candidate, the company's members), who reads feedback;
- ``proposal``: slots, duration, kind and place, interviewers — what a proposal says;
- ``commands``: propose, reschedule, cancel (the lifecycle is drawn there);
- ``booking``: the pick — exactly one wins, no interviewer double-booked, under races;
- ``feedback``: interviewers' ratings and notes, the company's data only;
- ``expiry``: unpicked proposals expire (applied on read and before each change);
- ``calendar``: local time in the candidate's time zone and the iCalendar event;
- ``queries``, ``events``, ``loaders``; ``data_rights``: export and account deletion.

Every change posts a system message in the conversation and an ``interview`` event on
both sides' channels, after commit (feedback: the company's channel only).
"""

from resolvers.events import candidate_interviews_channel, company_interviews_channel
from resolvers.interviews.access import party_to_interview, sees_feedback, side_of_interview, visible_interviews
from resolvers.interviews.booking import pick_slot
from resolvers.interviews.commands import cancel_interview, propose_interview, reschedule_interview
from resolvers.interviews.data_rights import close_interviews_of, interviews_export
from resolvers.interviews.events import InterviewChange, publish_interview_events
from resolvers.interviews.expiry import expire_due
from resolvers.interviews.feedback import submit_feedback
from resolvers.interviews.proposal import Proposal
from resolvers.interviews.queries import (
    author_of,
    candidate_of,
    company_of,
    conversation_of,
    feedback_of,
    ics_of,
    interview_for,
    interviewers_of,
    interviews_for,
    interviews_page,
    slots_of,
    starts_at_local,
    time_zone_of,
)

__all__ = [
    "InterviewChange",
    "Proposal",
    "author_of",
    "cancel_interview",
    "candidate_interviews_channel",
    "candidate_of",
    "close_interviews_of",
    "company_interviews_channel",
    "company_of",
    "conversation_of",
    "expire_due",
    "feedback_of",
    "ics_of",
    "interview_for",
    "interviewers_of",
    "interviews_export",
    "interviews_for",
    "interviews_page",
    "party_to_interview",
    "pick_slot",
    "propose_interview",
    "publish_interview_events",
    "reschedule_interview",
    "sees_feedback",
    "side_of_interview",
    "slots_of",
    "starts_at_local",
    "submit_feedback",
    "time_zone_of",
    "visible_interviews",
]
