"""Hiring's root operations: ``roles``/``role``/``pipeline``/``pipelineStages``/
``pipelineTags``, the role, pipeline and team mutations, and ``pipelineUpdated``. Each
mutation is its rule call in ``resolvers.hiring``, declared with ``payload_mutation``."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Connection
from graph.types.hiring.inputs import (
    AddPipelineNoteInput,
    AddPipelineNotePayload,
    AddToPipelineInput,
    AddToPipelinePayload,
    ArchiveRoleInput,
    ArchiveRolePayload,
    CreatePipelineStageInput,
    CreatePipelineStagePayload,
    CreatePipelineTagInput,
    CreatePipelineTagPayload,
    CreateRoleInput,
    CreateRolePayload,
    DeletePipelineNoteInput,
    DeletePipelineNotePayload,
    DeletePipelineStageInput,
    DeletePipelineStagePayload,
    EditPipelineNoteInput,
    EditPipelineNotePayload,
    MovePipelineEntryInput,
    MovePipelineEntryPayload,
    RatePipelineEntryInput,
    RatePipelineEntryPayload,
    SetPipelineEntryTagsInput,
    SetPipelineEntryTagsPayload,
    UpdateRoleInput,
    UpdateRolePayload,
    pk_of,
)
from graph.types.hiring.selection import describe_entries
from graph.types.hiring.types import (
    CustomPipelineStage,
    HiringRole,
    PipelineEntry,
    PipelineStage,
    PipelineTag,
    PipelineUpdate,
    RoleStatus,
)
from graph.types.mutations import payload_mutation
from models.hiring import PipelineEntry as EntryRow
from resolvers import hiring as rules
from resolvers.hiring import queries
from resolvers.hiring.access import require_employer, role_for
from resolvers.ids import to_global_id
from subscriptions.hiring import pipeline_updates

FIRST = "Page size, 0–100, default 20."
AFTER = "Cursor of the last item of the previous page."


@strawberry.type
class HiringQuery:
    @strawberry.field(description="Your company's roles, newest first. Employers only. `first` at most 100, default 20.")
    async def roles(
        self,
        info: Info,
        status: Annotated[RoleStatus | None, strawberry.argument(description="Only roles with this status.")] = None,  # type: ignore[valid-type]  # strawberry enum used as a type
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[HiringRole]:
        page = await queries.roles_page(info.context.require_viewer(), status=status, first=first, after=after)
        return Connection[HiringRole].from_page(page)

    @strawberry.field(description="One of your company's roles; null when it does not exist or is another company's.")
    async def role(self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A `HiringRole` ID.")]) -> HiringRole | None:
        viewer = info.context.require_viewer()
        require_employer(viewer)
        pk = pk_of(id, "HiringRole")
        return await role_for(viewer, pk) if pk is not None else None  # type: ignore[return-value]  # a models.hiring row resolves as HiringRole (model_type)

    @strawberry.field(description="A role's pipeline, newest entry first; null when the role is not your company's. `first` at most 100, default 20.")
    async def pipeline(
        self,
        info: Info,
        role_id: Annotated[strawberry.ID, strawberry.argument(description="One of your company's roles.")],
        stage: Annotated[PipelineStage | None, strawberry.argument(description="Only entries at this stage.")] = None,  # type: ignore[valid-type]  # strawberry enum used as a type
        custom_stage_id: Annotated[strawberry.ID | None, strawberry.argument(description="Only entries at this stage of your company's.")] = None,
        tag: Annotated[strawberry.ID | None, strawberry.argument(description="Only entries with this tag (a `PipelineTag` ID).")] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PipelineEntry] | None:
        page = await queries.pipeline_page(
            info.context.require_viewer(), pk_of(role_id, "HiringRole"), loaders=info.context.loaders,
            selection=describe_entries(info.selected_fields), stage=stage,
            custom_stage_id=pk_of(custom_stage_id, "CustomPipelineStage") if custom_stage_id is not None else None,
            tag_id=(pk_of(tag, "PipelineTag") or 0) if tag is not None else None, first=first, after=after,
        )
        return Connection[PipelineEntry].from_page(page) if page is not None else None

    @strawberry.field(description="Your company's own stages, in order. Employers only.")
    async def pipeline_stages(self, info: Info) -> list[CustomPipelineStage]:
        return await queries.custom_stages(info.context.require_viewer())  # type: ignore[return-value]  # models.hiring rows resolve as CustomPipelineStage (model_type)

    @strawberry.field(description="Your company's tags, by name. Employers only.")
    async def pipeline_tags(self, info: Info) -> list[PipelineTag]:
        return await queries.pipeline_tags(info.context.require_viewer())  # type: ignore[return-value]  # models.hiring rows resolve as PipelineTag (model_type)


async def _global_id(type_name: str, call: Awaitable[int]) -> strawberry.ID:
    return strawberry.ID(to_global_id(type_name, await call))


async def _deleted_stage(call: Awaitable[tuple[int, list[EntryRow]]]) -> tuple[strawberry.ID, list[EntryRow]]:
    stage_id, moved = await call
    return strawberry.ID(to_global_id("CustomPipelineStage", stage_id)), moved


@strawberry.type
class HiringMutation:
    create_role = payload_mutation(
        description="Employers: a new OPEN role, owned by you, you on its team.",
        input=(CreateRoleInput, "The role."),
        payload=CreateRolePayload,
        field="role",
        rule=lambda c, input: rules.create_role(c.require_viewer(), input.fields()),
    )
    update_role = payload_mutation(
        description="Change a role of your company (not an ARCHIVED one).",
        input=(UpdateRoleInput, "The changes."),
        payload=UpdateRolePayload,
        field="role",
        rule=lambda c, input: rules.update_role(c.require_viewer(), pk_of(input.id, "HiringRole"), input.fields()),
    )
    archive_role = payload_mutation(
        description="Archive a role of your company for good: its pipeline stays readable, nothing is added to it.",
        input=(ArchiveRoleInput, "The role."),
        payload=ArchiveRolePayload,
        field="role",
        rule=lambda c, input: rules.archive_role(c.require_viewer(), pk_of(input.id, "HiringRole")),
    )
    add_to_pipeline = payload_mutation(
        description="Put a candidate (from a search result or a conversation) on a role: SOURCED, or CONTACTED/REPLIED when your company's conversation with her already is there. One entry per role and candidate (DUPLICATE).",
        input=(AddToPipelineInput, "Role and candidate."),
        payload=AddToPipelinePayload,
        field="entry",
        rule=lambda c, input: rules.add_to_pipeline(c.broker, c.require_viewer(), pk_of(input.role_id, "HiringRole"), input.candidate()),
    )
    move_pipeline_entry = payload_mutation(
        description="Move an entry to any stage by hand, naming the version you read (STALE_VERSION when it moved since). Entries also move by themselves with chat, interviews and offers; they never move back by themselves.",
        input=(MovePipelineEntryInput, "Entry, version and stage."),
        payload=MovePipelineEntryPayload,
        field="entry",
        rule=lambda c, input: rules.move_entry(
            c.broker, c.require_viewer(), pk_of(input.entry_id, "PipelineEntry"), version=input.version, stage=input.stage,
            custom_stage_id=(pk_of(input.custom_stage_id, "CustomPipelineStage") or 0) if input.custom_stage_id is not None else None,
            reason=input.reason,
        ),
    )
    create_pipeline_stage = payload_mutation(
        description="Add a stage of your company's own between INTERVIEWING and OFFER.",
        input=(CreatePipelineStageInput, "The stage."),
        payload=CreatePipelineStagePayload,
        field="stage",
        rule=lambda c, input: rules.create_custom_stage(c.require_viewer(), input.name, input.position),
    )
    delete_pipeline_stage = payload_mutation(
        description="Delete a stage of your company's own. Entries at it move to `moveEntriesTo` in the same transaction (each move in its history, announced on `pipelineUpdated`); without `moveEntriesTo` the deletion is refused with STAGE_IN_USE while any entry is there. Moves in entries' history that named the stage keep it as a null `fromCustomStage`/`toCustomStage`.",
        input=(DeletePipelineStageInput, "The stage, and where its entries go."),
        payload=DeletePipelineStagePayload,
        field=("deleted_stage_id", "moved_entries"),
        rule=lambda c, input: _deleted_stage(
            rules.delete_custom_stage(
                c.broker, c.require_viewer(), pk_of(input.stage_id, "CustomPipelineStage"), move_to=input.move_entries_to,
                move_to_custom_stage_id=(pk_of(input.move_entries_to_custom_stage_id, "CustomPipelineStage") or 0)
                if input.move_entries_to_custom_stage_id is not None else None,
            )
        ),
    )
    add_pipeline_note = payload_mutation(
        description="Write a note on an entry; your company sees it, the candidate never does.",
        input=(AddPipelineNoteInput, "Entry and text."),
        payload=AddPipelineNotePayload,
        field="note",
        rule=lambda c, input: rules.add_note(c.broker, c.require_viewer(), pk_of(input.entry_id, "PipelineEntry"), input.body),
    )
    edit_pipeline_note = payload_mutation(
        description="Change a note you wrote.",
        input=(EditPipelineNoteInput, "Note and text."),
        payload=EditPipelineNotePayload,
        field="note",
        rule=lambda c, input: rules.edit_note(c.broker, c.require_viewer(), pk_of(input.note_id, "PipelineNote"), input.body),
    )
    delete_pipeline_note = payload_mutation(
        description="Delete a note you wrote.",
        input=(DeletePipelineNoteInput, "The note."),
        payload=DeletePipelineNotePayload,
        field="deleted_note_id",
        rule=lambda c, input: _global_id("PipelineNote", rules.delete_note(c.broker, c.require_viewer(), pk_of(input.note_id, "PipelineNote"))),
    )
    create_pipeline_tag = payload_mutation(
        description="Define a tag for your company's pipelines.",
        input=(CreatePipelineTagInput, "The tag."),
        payload=CreatePipelineTagPayload,
        field="tag",
        rule=lambda c, input: rules.create_tag(c.require_viewer(), input.name),
    )
    set_pipeline_entry_tags = payload_mutation(
        description="Set the tags of an entry.",
        input=(SetPipelineEntryTagsInput, "Entry and tags."),
        payload=SetPipelineEntryTagsPayload,
        field="entry",
        rule=lambda c, input: rules.set_tags(
            c.broker, c.require_viewer(), pk_of(input.entry_id, "PipelineEntry"), [pk_of(t, "PipelineTag") for t in input.tag_ids]
        ),
    )
    rate_pipeline_entry = payload_mutation(
        description="Rate an entry (1–4 and a recommendation); rating again replaces your rating.",
        input=(RatePipelineEntryInput, "Entry and rating."),
        payload=RatePipelineEntryPayload,
        field="rating",
        rule=lambda c, input: rules.rate(c.broker, c.require_viewer(), pk_of(input.entry_id, "PipelineEntry"), input.score, input.recommendation),
    )


@strawberry.type
class HiringSubscription:
    @strawberry.subscription(
        description="Every change of a role's pipeline (entries added, moved by hand or by themselves, noted, tagged, rated), for colleagues of the role's company. Membership is checked again at every event."
    )
    async def pipeline_updated(
        self, info: Info, role_id: Annotated[strawberry.ID, strawberry.argument(description="One of your company's roles.")]
    ) -> AsyncGenerator[PipelineUpdate, None]:
        async for change, _viewer, entry in pipeline_updates(info.context.broker, info.context.session, pk_of(role_id, "HiringRole")):
            info.context.loaders = info.context.fresh_loaders()
            yield PipelineUpdate(change=change, entry=entry)  # type: ignore[arg-type]  # a models.hiring row resolves as PipelineEntry (model_type)
