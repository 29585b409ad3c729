"""Hiring's enums: the model and resolver enums themselves, registered in place with a
description per value (``describe_enum``). One module, imported by every hiring type
module before any type uses them."""

from __future__ import annotations

from graph.types.common import describe_enum
from models import hiring as m
from resolvers import hiring as rules

RoleStatus = describe_enum(
    m.RoleStatus, "RoleStatus", "Where a role is: OPEN ⇄ PAUSED, FILLED when the hires reach the headcount, ARCHIVED for good.",
    {
        "OPEN": "Hiring now.",
        "PAUSED": "Hiring on hold; the pipeline keeps moving with what happens in chat and offers.",
        "FILLED": "The hires reached the headcount (set by itself; OPEN again when a hire is undone or the headcount grows).",
        "ARCHIVED": "Closed for good: readable, nothing is added to its pipeline.",
    },
)
PipelineStage = describe_enum(
    m.PipelineStage, "PipelineStage",
    "A stage of a pipeline entry. Main path: SOURCED → CONTACTED → REPLIED → INTERVIEWING → (your company's stages) → OFFER → HIRED; REJECTED and WITHDRAWN are closed stages off the path.",
    {
        "SOURCED": "Added to the role; not contacted yet.",
        "CONTACTED": "Your company sent a contact request (moves by itself on `startConversation`).",
        "REPLIED": "The candidate accepted the contact request (moves by itself when she accepts or replies).",
        "INTERVIEWING": "An interview is scheduled (moves by itself when an interview is scheduled).",
        "CUSTOM": "One of your company's own stages (`customStage`), between INTERVIEWING and OFFER.",
        "OFFER": "An offer is out (moves by itself on `extendOffer`).",
        "HIRED": "The candidate accepted the offer (moves by itself on `acceptOffer`); counts toward the role's headcount.",
        "REJECTED": "Your team turned the candidate down (with a reason).",
        "WITHDRAWN": "The candidate left: declined, blocked your company, was hired elsewhere or deleted her account (with a reason; in the last three cases the entry no longer names her).",
    },
)
Recommendation = describe_enum(
    m.Recommendation, "Recommendation", "A colleague's hiring recommendation.",
    {"STRONG_YES": "Hire, strongly.", "YES": "Hire.", "NO": "Do not hire.", "STRONG_NO": "Do not hire, strongly."},
)
PipelineTrigger = describe_enum(
    rules.PipelineTrigger, "PipelineTrigger", "The event that moved an entry by itself.",
    {
        "CONTACT_SENT": "Your company sent a contact request.",
        "CONTACT_ACCEPTED": "The candidate accepted the contact request (or replied).",
        "INTERVIEW_SCHEDULED": "An interview was scheduled.",
        "OFFER_EXTENDED": "Your company extended an offer.",
        "OFFER_ACCEPTED": "The candidate accepted an offer.",
        "CANDIDATE_DECLINED": "The candidate declined the contact request or the offer.",
        "CANDIDATE_BLOCKED": "The candidate is no longer available to your company.",
        "CANDIDATE_DELETED": "The candidate deleted her account.",
        "HIRED_ELSEWHERE": "The candidate accepted another company's offer.",
    },
)
PipelineEventKind = describe_enum(
    rules.PipelineEventKind, "PipelineEventKind", "What happened to a pipeline entry (`pipelineUpdated`).",
    {
        "ADDED": "The candidate was added to the role.",
        "MOVED": "The entry changed stage (by hand or by itself).",
        "NOTED": "A note was added, edited or deleted.",
        "TAGGED": "The entry's tags changed.",
        "RATED": "A colleague rated the entry.",
    },
)
