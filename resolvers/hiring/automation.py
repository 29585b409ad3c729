"""Automatic moves: the pipeline follows what really happened, in the same transaction.

``advance_pipeline`` is the one entry point for every feature that moves entries by an
event (chat's contact and answer, offers' extend and accept, blocks, account deletion,
interviews). It must run inside the transaction of the event, so the move commits or
rolls back with it; it returns what moved, for the caller to publish after commit with
``resolvers.hiring.events.publish_pipeline_changes``.

Rules (``stages``): an entry only moves forward (never back from a later stage, never
out of HIRED, REJECTED or WITHDRAWN); the company's entries for that candidate move,
only the one on ``role_id`` when given, else all open ones. Two triggers add the
candidate to the named role's pipeline when she is not on it yet: CONTACT_SENT and
OFFER_EXTENDED with a ``role_id`` (contacting or offering for a role is sourcing for
it). OFFER_ACCEPTED without a role moves only entries at OFFER; with a role, the
company's other open entries for her are WITHDRAWN ("hired for <role>"). Block, hire
elsewhere and deletion detach the candidate from the entries they withdraw: the team's
notes stay, her person does not (``PipelineEntry.candidate`` emptied).
"""

from __future__ import annotations

from models.accounts import Company
from models.hiring import PipelineEntry, PipelineStage, Role, RoleStatus
from resolvers.hiring.events import PipelineChange, PipelineEventKind
from resolvers.hiring.moves import apply_move, record_creation, utcnow
from resolvers.hiring.stages import (
    DEFAULT_REASON,
    DETACHING,
    OPEN,
    TARGET,
    PipelineTrigger,
    earlier_open_stages,
)
from resolvers.profiles.access import blocking_domains

__all__ = ["PipelineChange", "PipelineTrigger", "advance_everywhere", "advance_pipeline", "candidate_blocked"]

_SOURCING = (PipelineTrigger.CONTACT_SENT, PipelineTrigger.OFFER_EXTENDED)


async def advance_pipeline(
    trigger: PipelineTrigger,
    *,
    company_id: int,
    candidate_id: int,
    role_id: int | None = None,
    actor_id: int | None = None,
    reason: str | None = None,
) -> list[PipelineChange]:
    """Move the company's entries for the candidate (user id) as ``trigger`` says.
    Inside the transaction of the event; returns what changed."""
    target = TARGET[trigger]
    changes: list[PipelineChange] = []
    if role_id is not None and trigger in _SOURCING:
        added = await _ensure_entry(company_id, candidate_id, role_id, actor_id)
        if added is not None:
            changes.append(added)
    entries = PipelineEntry.filter(company_id=company_id, candidate_id=candidate_id)
    if role_id is not None:
        entries = entries.filter(role_id=role_id)
    from_stages = earlier_open_stages(target)
    if trigger == PipelineTrigger.OFFER_ACCEPTED and role_id is None:
        from_stages = [PipelineStage.OFFER]
    for entry in await entries.filter(stage__in=from_stages).order_by("id"):
        moved = await apply_move(
            entry, target, actor_id=actor_id, trigger=trigger.value, reason=reason or DEFAULT_REASON[trigger],
            detach=trigger in DETACHING, guard={"stage": entry.stage, "version": entry.version},
        )
        if moved is not None:
            changes.append(moved)
    if trigger == PipelineTrigger.OFFER_ACCEPTED and role_id is not None:
        changes += await _withdraw_other_roles(company_id, candidate_id, role_id, actor_id)
    return changes


async def advance_everywhere(
    trigger: PipelineTrigger, *, candidate_id: int, except_company_id: int | None = None, company_ids: list[int] | None = None
) -> list[PipelineChange]:
    """``advance_pipeline`` for every company with an entry for the candidate (or the
    ``company_ids`` given), but ``except_company_id``: a hire elsewhere, a deletion, a
    block by domain. Inside the event's transaction."""
    query = PipelineEntry.filter(candidate_id=candidate_id)
    if company_ids is not None:
        query = query.filter(company_id__in=company_ids)
    found = {company_id for (company_id,) in await query.values_list("company_id")}
    changes: list[PipelineChange] = []
    for company_id in sorted(found - {except_company_id}):
        changes += await advance_pipeline(trigger, company_id=company_id, candidate_id=candidate_id)
    return changes


async def candidate_blocked(candidate_id: int, *, company_id: int | None, domain: str | None) -> list[PipelineChange]:
    """Inside the block's transaction: the blocked companies' open entries for her are
    WITHDRAWN and detached. ``domain`` hits every company whose verified domain is it or
    a subdomain of it (the block rule of ``resolvers.profiles.access``)."""
    companies = {company_id for (company_id,) in await PipelineEntry.filter(candidate_id=candidate_id).values_list("company_id")}
    hit: list[int] = []
    for company in await Company.filter(id__in=companies):
        if company.pk == company_id or (domain is not None and domain in blocking_domains(company)):
            hit.append(company.pk)
    return await advance_everywhere(PipelineTrigger.CANDIDATE_BLOCKED, candidate_id=candidate_id, company_ids=hit)


async def _ensure_entry(company_id: int, candidate_id: int, role_id: int, actor_id: int | None) -> PipelineChange | None:
    """Put the candidate on the company's role (SOURCED) unless she is on it already."""
    role = await Role.get_or_none(id=role_id, company_id=company_id)
    if role is None or role.status == RoleStatus.ARCHIVED:
        return None
    if await PipelineEntry.filter(role_id=role_id, candidate_id=candidate_id).exists():
        return None
    now = utcnow()
    entry = await PipelineEntry.create(
        role_id=role_id, company_id=company_id, candidate_id=candidate_id, stage=PipelineStage.SOURCED,
        added_by_id=actor_id, created_at=now, stage_changed_at=now,
    )
    await record_creation(entry, actor_id=actor_id, trigger=None, reason="Added to the pipeline.")
    return PipelineChange(entry.pk, role_id, PipelineEventKind.ADDED, None, PipelineStage.SOURCED)


async def _withdraw_other_roles(company_id: int, candidate_id: int, role_id: int, actor_id: int | None) -> list[PipelineChange]:
    role = await Role.get(id=role_id)
    changes: list[PipelineChange] = []
    others = PipelineEntry.filter(company_id=company_id, candidate_id=candidate_id, stage__in=OPEN).exclude(role_id=role_id)
    for entry in await others.order_by("id"):
        moved = await apply_move(
            entry, PipelineStage.WITHDRAWN, actor_id=actor_id, trigger=PipelineTrigger.OFFER_ACCEPTED.value,
            reason=f"Hired for another role: {role.title}.", guard={"stage": entry.stage, "version": entry.version},
        )
        if moved is not None:
            changes.append(moved)
    return changes
