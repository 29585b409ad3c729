"""The order of pipeline stages, and what each automatic trigger moves an entry to.

Main path, in rank order::

    SOURCED(10) → CONTACTED(20) → REPLIED(30) → INTERVIEWING(40) → <custom stages>(45) → OFFER(50) → HIRED(60)

REJECTED and WITHDRAWN are closed stages off the path (rank 100): nothing moves an entry
out of them automatically. A company's own stages (``CustomStage``) sit between
INTERVIEWING and OFFER, all at one rank (an automatic move never lands on one).
"""

from __future__ import annotations

from enum import Enum

from models.hiring import PipelineStage

RANK: dict[PipelineStage, int] = {
    PipelineStage.SOURCED: 10,
    PipelineStage.CONTACTED: 20,
    PipelineStage.REPLIED: 30,
    PipelineStage.INTERVIEWING: 40,
    PipelineStage.CUSTOM: 45,
    PipelineStage.OFFER: 50,
    PipelineStage.HIRED: 60,
    PipelineStage.REJECTED: 100,
    PipelineStage.WITHDRAWN: 100,
}
CLOSED = (PipelineStage.HIRED, PipelineStage.REJECTED, PipelineStage.WITHDRAWN)
OPEN = tuple(stage for stage in PipelineStage if stage not in CLOSED)
MAIN_PATH = (
    PipelineStage.SOURCED,
    PipelineStage.CONTACTED,
    PipelineStage.REPLIED,
    PipelineStage.INTERVIEWING,
    PipelineStage.OFFER,
    PipelineStage.HIRED,
)


class PipelineTrigger(str, Enum):
    """An event elsewhere in the product that moves pipeline entries by itself."""

    CONTACT_SENT = "CONTACT_SENT"
    CONTACT_ACCEPTED = "CONTACT_ACCEPTED"
    INTERVIEW_SCHEDULED = "INTERVIEW_SCHEDULED"
    OFFER_EXTENDED = "OFFER_EXTENDED"
    OFFER_ACCEPTED = "OFFER_ACCEPTED"
    CANDIDATE_DECLINED = "CANDIDATE_DECLINED"
    CANDIDATE_BLOCKED = "CANDIDATE_BLOCKED"
    CANDIDATE_DELETED = "CANDIDATE_DELETED"
    HIRED_ELSEWHERE = "HIRED_ELSEWHERE"


TARGET: dict[PipelineTrigger, PipelineStage] = {
    PipelineTrigger.CONTACT_SENT: PipelineStage.CONTACTED,
    PipelineTrigger.CONTACT_ACCEPTED: PipelineStage.REPLIED,
    PipelineTrigger.INTERVIEW_SCHEDULED: PipelineStage.INTERVIEWING,
    PipelineTrigger.OFFER_EXTENDED: PipelineStage.OFFER,
    PipelineTrigger.OFFER_ACCEPTED: PipelineStage.HIRED,
    PipelineTrigger.CANDIDATE_DECLINED: PipelineStage.WITHDRAWN,
    PipelineTrigger.CANDIDATE_BLOCKED: PipelineStage.WITHDRAWN,
    PipelineTrigger.CANDIDATE_DELETED: PipelineStage.WITHDRAWN,
    PipelineTrigger.HIRED_ELSEWHERE: PipelineStage.WITHDRAWN,
}
# The candidate leaves these entries: they keep the team's notes, not her.
DETACHING = frozenset({PipelineTrigger.CANDIDATE_BLOCKED, PipelineTrigger.CANDIDATE_DELETED, PipelineTrigger.HIRED_ELSEWHERE})
DEFAULT_REASON: dict[PipelineTrigger, str] = {
    PipelineTrigger.CONTACT_SENT: "Contact request sent.",
    PipelineTrigger.CONTACT_ACCEPTED: "The candidate accepted the contact request.",
    PipelineTrigger.INTERVIEW_SCHEDULED: "Interview scheduled.",
    PipelineTrigger.OFFER_EXTENDED: "Offer extended.",
    PipelineTrigger.OFFER_ACCEPTED: "The candidate accepted the offer.",
    PipelineTrigger.CANDIDATE_DECLINED: "The candidate declined.",
    PipelineTrigger.CANDIDATE_BLOCKED: "The candidate is no longer available to your company.",
    PipelineTrigger.CANDIDATE_DELETED: "The candidate deleted her account.",
    PipelineTrigger.HIRED_ELSEWHERE: "The candidate was hired elsewhere.",
}


def moves_forward(current: PipelineStage, target: PipelineStage) -> bool:
    """May an automatic move take an entry at ``current`` to ``target``? Only forward,
    never out of a closed stage; WITHDRAWN is reached from every open stage."""
    if current in CLOSED:
        return False
    if target == PipelineStage.WITHDRAWN:
        return True
    return RANK[target] > RANK[current]


def earlier_open_stages(target: PipelineStage) -> list[PipelineStage]:
    """The open stages an automatic move to ``target`` takes entries from."""
    return [stage for stage in OPEN if moves_forward(stage, target)]
