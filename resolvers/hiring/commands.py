"""The pipeline writes: add a candidate to a role, move an entry by hand, define the
company's own stages (create, delete). Each commits, then announces through
``resolvers.hiring.events``.

A manual move names the entry's ``version`` (what the mover saw): a colleague's or an
automatic move in between makes it STALE_VERSION and changes nothing — one conditional
update (``moves.apply_move``). Moving to REJECTED or WITHDRAWN needs a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.accounts import Company, User
from models.chat import Conversation, ConversationStatus
from models.hiring import CustomStage, PipelineEntry, PipelineStage, RoleStatus
from models.profiles import Profile
from resolvers.errors import Problems, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.hiring.access import entry_of_company, not_found, require_employer, role_of_company
from resolvers.hiring.events import PipelineChange, PipelineEventKind, publish_pipeline_changes
from resolvers.hiring.moves import apply_move, record_creation, utcnow
from resolvers.hiring.stages import OPEN
from resolvers.profiles.access import company_can_reach
from resolvers.validation import optional_text, text

REASON_MAX_LENGTH = 500
STAGE_NAME_MAX_LENGTH = 60
MAX_CUSTOM_STAGES = 20
_NEEDS_REASON = (PipelineStage.REJECTED, PipelineStage.WITHDRAWN)
# Where a candidate the company already contacted enters a pipeline.
_STAGE_OF_CONVERSATION = {
    ConversationStatus.REQUESTED: PipelineStage.CONTACTED,
    ConversationStatus.ACCEPTED: PipelineStage.REPLIED,
    ConversationStatus.DECLINED: PipelineStage.WITHDRAWN,
}


@dataclass(frozen=True)
class CandidateRef:
    """How ``addToPipeline`` names the candidate: a User, a Profile (a search result) or
    a Conversation of the company; all ``None`` when the ID was none of these."""

    user_id: int | None = None
    profile_id: int | None = None
    conversation_id: int | None = None


async def _candidate(company_id: int, ref: CandidateRef) -> User:
    user_id = ref.user_id
    if ref.profile_id is not None:
        row = await Profile.filter(id=ref.profile_id).first().values("user_id")
        user_id = row["user_id"] if row else None
    if ref.conversation_id is not None:
        conversation = await Conversation.get_or_none(id=ref.conversation_id, company_id=company_id)
        user_id = conversation.candidate_id if conversation else None
    candidate = await User.get_or_none(id=user_id) if user_id is not None else None
    company = await Company.get(id=company_id)
    if candidate is None or not await company_can_reach(company, candidate):
        raise not_found("candidate", "candidateId")
    return candidate


async def add_to_pipeline(broker: Publisher, viewer: User, role_id: int | None, ref: CandidateRef) -> PipelineEntry:
    """Put a candidate the company can reach on one of its roles: SOURCED, or where the
    company's conversation with her already is (CONTACTED, REPLIED). One entry per role
    and candidate (DUPLICATE)."""
    company_id = require_employer(viewer)
    role = await role_of_company(company_id, role_id)
    if role.status == RoleStatus.ARCHIVED:
        raise UserErrors.single(UserErrorCode.INVALID, "The role is archived.", ["roleId"])
    candidate = await _candidate(company_id, ref)
    conversation = await Conversation.get_or_none(company_id=company_id, candidate_id=candidate.pk)
    stage = _STAGE_OF_CONVERSATION[conversation.status] if conversation else PipelineStage.SOURCED
    now = utcnow()
    try:
        async with in_transaction():
            entry = await PipelineEntry.create(
                role_id=role.pk, company_id=company_id, candidate_id=candidate.pk, stage=stage,
                stage_reason=None, added_by_id=viewer.pk, created_at=now, stage_changed_at=now,
            )
            await record_creation(entry, actor_id=viewer.pk, trigger=None, reason="Added to the pipeline.")
    except IntegrityError:
        raise UserErrors.single(UserErrorCode.DUPLICATE, "The candidate is already on this role's pipeline.", ["candidateId"]) from None
    await publish_pipeline_changes(broker, [PipelineChange(entry.pk, role.pk, PipelineEventKind.ADDED, None, stage)])
    return entry


async def move_entry(
    broker: Publisher,
    viewer: User,
    entry_id: int | None,
    *,
    version: int,
    stage: PipelineStage,
    custom_stage_id: int | None = None,
    reason: str | None = None,
) -> PipelineEntry:
    """Move an entry to any stage by hand, naming the version read (STALE_VERSION)."""
    company_id = require_employer(viewer)
    entry = await entry_of_company(company_id, entry_id)
    problems = Problems()
    reason = optional_text(problems, reason, "reason", "Reason", maximum=REASON_MAX_LENGTH)
    if stage in _NEEDS_REASON and reason is None:
        problems.add(UserErrorCode.REQUIRED, f"Say why the candidate is {stage.value.lower()}.", "reason")
    if (stage == PipelineStage.CUSTOM) != (custom_stage_id is not None):
        problems.add(UserErrorCode.INVALID, "Name customStageId exactly when moving to CUSTOM.", "customStageId")
    if entry.candidate_id is None:
        problems.add(UserErrorCode.INVALID, "The candidate left this pipeline; the entry stays WITHDRAWN.", "entryId")
    problems.raise_if_any()
    if custom_stage_id is not None and not await CustomStage.filter(id=custom_stage_id, company_id=company_id).exists():
        raise not_found("stage", "customStageId")
    if version != entry.version:
        raise _stale(entry.version, version)
    async with in_transaction():
        moved = await apply_move(
            entry, stage, custom_stage_id=custom_stage_id, actor_id=viewer.pk, trigger=None, reason=reason,
            guard={"version": version, "candidate_id__isnull": False},
        )
        if moved is None:
            latest = await PipelineEntry.get(id=entry.pk)
            raise _stale(latest.version, version)
    await publish_pipeline_changes(broker, [moved])
    return entry


def _stale(current: int, named: int) -> UserErrors:
    return UserErrors.single(
        UserErrorCode.STALE_VERSION, f"The entry is at version {current}, not {named}; read it again.", ["version"]
    )


async def create_custom_stage(viewer: User, name: str, position: int | None) -> CustomStage:
    """A company stage between INTERVIEWING and OFFER; ``position`` orders the company's
    stages (default: after the last). At most 20 per company; names are unique."""
    company_id = require_employer(viewer)
    problems = Problems()
    name = text(problems, name, "name", "Name", maximum=STAGE_NAME_MAX_LENGTH, required=True)
    problems.raise_if_any()
    try:
        async with in_transaction():
            await Company.select_for_update(no_key=True).get(id=company_id)
            existing = await CustomStage.filter(company_id=company_id).count()
            if existing >= MAX_CUSTOM_STAGES:
                raise UserErrors.single(UserErrorCode.TOO_MANY, f"At most {MAX_CUSTOM_STAGES} stages per company.", ["name"])
            return await CustomStage.create(company_id=company_id, name=name, position=position if position is not None else existing + 1)
    except IntegrityError:
        raise UserErrors.single(UserErrorCode.DUPLICATE, "Your company already has a stage with this name.", ["name"]) from None


async def delete_custom_stage(
    broker: Publisher,
    viewer: User,
    stage_id: int | None,
    *,
    move_to: PipelineStage | None = None,
    move_to_custom_stage_id: int | None = None,
) -> tuple[int, list[PipelineEntry]]:
    """Delete one of the company's stages; returns its id and the entries that were at it,
    as they are now. Entries at it (on any of the
    company's roles) must go somewhere: with ``move_to`` (an open stage; CUSTOM with
    ``move_to_custom_stage_id``, another of the company's stages) each is moved there in
    the same transaction, a move by the viewer in its history with the reason "The stage
    … was deleted."; without it, STAGE_IN_USE and nothing changes. History rows that name
    the stage keep its id (``PipelineMove`` has no foreign key), read as null."""
    company_id = require_employer(viewer)
    stage = await CustomStage.get_or_none(id=stage_id, company_id=company_id) if stage_id is not None else None
    if stage is None:
        raise not_found("stage", "stageId")
    problems = Problems()
    if move_to is not None and move_to not in OPEN:
        problems.add(UserErrorCode.INVALID, "Entries can be moved to an open stage only (not HIRED, REJECTED or WITHDRAWN).", "moveEntriesTo")
    if (move_to == PipelineStage.CUSTOM) != (move_to_custom_stage_id is not None):
        problems.add(UserErrorCode.INVALID, "Name moveEntriesToCustomStageId exactly when moving entries to CUSTOM.", "moveEntriesToCustomStageId")
    elif move_to_custom_stage_id == stage.pk:
        problems.add(UserErrorCode.INVALID, "Entries cannot move to the stage being deleted.", "moveEntriesToCustomStageId")
    problems.raise_if_any()
    if move_to_custom_stage_id is not None and not await CustomStage.filter(id=move_to_custom_stage_id, company_id=company_id).exists():
        raise not_found("stage", "moveEntriesToCustomStageId")
    in_use = UserErrors.single(
        UserErrorCode.STAGE_IN_USE, f"Entries are at “{stage.name}”: name moveEntriesTo, or move them first.", ["moveEntriesTo"]
    )
    changes: list[PipelineChange] = []
    entries: list[PipelineEntry] = []
    try:
        async with in_transaction():
            entries = await PipelineEntry.filter(company_id=company_id, custom_stage_id=stage.pk).order_by("id")
            if entries and move_to is None:
                raise in_use
            for entry in entries:
                moved = await apply_move(
                    entry, move_to or PipelineStage.CUSTOM, custom_stage_id=move_to_custom_stage_id, actor_id=viewer.pk,
                    trigger=None, reason=f"The stage “{stage.name}” was deleted.", guard={"custom_stage_id": stage.pk},
                )
                changes.extend([moved] if moved is not None else [])  # None: moved meanwhile, not at the stage
            # An entry moved into the stage meanwhile makes this fail (the foreign key restricts).
            await CustomStage.filter(id=stage.pk).delete()
    except IntegrityError:
        raise in_use from None
    await publish_pipeline_changes(broker, changes)
    moved_ids = {change.entry_id for change in changes}
    return stage.pk, [entry for entry in entries if entry.pk in moved_ids]
