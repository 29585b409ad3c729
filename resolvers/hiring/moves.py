"""The one primitive that moves a pipeline entry: a conditional update, its history row,
and the role's hire count — always inside the caller's transaction.

Both kinds of move use it: manual moves (``commands.move_entry``) guard on the entry's
``version`` (a stale version changes nothing), automatic ones (``automation``) guard on
the stages they may move from, so an entry moved meanwhile by a colleague is never
pulled back.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from tortoise.expressions import F

from models.hiring import PipelineEntry, PipelineMove, PipelineStage, Role, RoleStatus
from resolvers.hiring.events import PipelineChange, PipelineEventKind


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


async def apply_move(
    entry: PipelineEntry,
    to_stage: PipelineStage,
    *,
    custom_stage_id: int | None = None,
    actor_id: int | None,
    trigger: str | None,
    reason: str | None,
    detach: bool = False,
    guard: dict[str, Any],
) -> PipelineChange | None:
    """Move ``entry`` if it still matches ``guard`` (extra filter on its row); ``None``
    when it did not (moved meanwhile). Updates ``entry`` in place."""
    now = utcnow()
    updates: dict[str, Any] = {
        "stage": to_stage, "custom_stage_id": custom_stage_id, "stage_reason": reason,
        "version": F("version") + 1, "stage_changed_at": now,
    }
    if detach:
        updates["candidate_id"] = None
    if await PipelineEntry.filter(id=entry.pk, **guard).update(**updates) != 1:
        return None
    from_stage, from_custom = entry.stage, entry.custom_stage_id
    await PipelineMove.create(
        entry_id=entry.pk, from_stage=from_stage, from_custom_stage_id=from_custom, to_stage=to_stage,
        to_custom_stage_id=custom_stage_id, actor_id=actor_id, trigger=trigger, reason=reason, created_at=now,
    )
    if to_stage == PipelineStage.HIRED and from_stage != PipelineStage.HIRED:
        await count_hire(entry.role_id, +1)
    elif from_stage == PipelineStage.HIRED and to_stage != PipelineStage.HIRED:
        await count_hire(entry.role_id, -1)
    entry.stage, entry.custom_stage_id, entry.stage_reason = to_stage, custom_stage_id, reason
    entry.version, entry.stage_changed_at = entry.version + 1, now
    if detach:
        entry.candidate_id = None
    return PipelineChange(entry.pk, entry.role_id, PipelineEventKind.MOVED, from_stage, to_stage)


async def count_hire(role_id: int, delta: int) -> None:
    """A hire (``delta`` +1) or an undone one (-1): the role's filled count follows; the
    role is FILLED once it reaches its headcount, and OPEN again below it."""
    await Role.filter(id=role_id).update(filled_count=F("filled_count") + delta, updated_at=utcnow())
    role = await Role.get(id=role_id)
    if role.filled_count >= role.headcount and role.status in (RoleStatus.OPEN, RoleStatus.PAUSED):
        await Role.filter(id=role_id).update(status=RoleStatus.FILLED)
    elif role.filled_count < role.headcount and role.status == RoleStatus.FILLED:
        await Role.filter(id=role_id).update(status=RoleStatus.OPEN)


async def record_creation(entry: PipelineEntry, *, actor_id: int | None, trigger: str | None, reason: str | None) -> None:
    """The first history row of a new entry (from nowhere to its stage)."""
    await PipelineMove.create(
        entry_id=entry.pk, from_stage=None, to_stage=entry.stage, actor_id=actor_id, trigger=trigger, reason=reason,
        created_at=entry.created_at,
    )
