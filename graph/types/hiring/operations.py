"""Hiring's root operations: ``roles``/``role``/``pipeline``/``pipelineStages``/
``pipelineTags``, the role, pipeline and team mutations, and ``pipelineUpdated``. Each
mutation is its rule call in ``resolvers.hiring``, turned into its payload by
``mutation_payload``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from graph.context import Info
from graph.types.common import Connection, mutation_payload
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


@strawberry.type
class HiringMutation:
    @strawberry.mutation(description="Employers: a new OPEN role, owned by you, you on its team.")
    async def create_role(self, info: Info, input: Annotated[CreateRoleInput, strawberry.argument(description="The role.")]) -> CreateRolePayload:
        viewer = info.context.require_viewer()
        return await mutation_payload(CreateRolePayload, lambda: rules.create_role(viewer, input.fields()), field="role")

    @strawberry.mutation(description="Change a role of your company (not an ARCHIVED one).")
    async def update_role(self, info: Info, input: Annotated[UpdateRoleInput, strawberry.argument(description="The changes.")]) -> UpdateRolePayload:
        viewer = info.context.require_viewer()
        return await mutation_payload(
            UpdateRolePayload, lambda: rules.update_role(viewer, pk_of(input.id, "HiringRole"), input.fields()), field="role"
        )

    @strawberry.mutation(description="Archive a role of your company for good: its pipeline stays readable, nothing is added to it.")
    async def archive_role(self, info: Info, input: Annotated[ArchiveRoleInput, strawberry.argument(description="The role.")]) -> ArchiveRolePayload:
        viewer = info.context.require_viewer()
        return await mutation_payload(ArchiveRolePayload, lambda: rules.archive_role(viewer, pk_of(input.id, "HiringRole")), field="role")

    @strawberry.mutation(
        description="Put a candidate (from a search result or a conversation) on a role: SOURCED, or CONTACTED/REPLIED when your company's conversation with her already is there. One entry per role and candidate (DUPLICATE)."
    )
    async def add_to_pipeline(self, info: Info, input: Annotated[AddToPipelineInput, strawberry.argument(description="Role and candidate.")]) -> AddToPipelinePayload:
        viewer, broker = info.context.require_viewer(), info.context.broker
        return await mutation_payload(
            AddToPipelinePayload,
            lambda: rules.add_to_pipeline(broker, viewer, pk_of(input.role_id, "HiringRole"), input.candidate()),
            field="entry",
        )

    @strawberry.mutation(
        description="Move an entry to any stage by hand, naming the version you read (STALE_VERSION when it moved since). Entries also move by themselves with chat, interviews and offers; they never move back by themselves."
    )
    async def move_pipeline_entry(
        self, info: Info, input: Annotated[MovePipelineEntryInput, strawberry.argument(description="Entry, version and stage.")]
    ) -> MovePipelineEntryPayload:
        viewer, broker = info.context.require_viewer(), info.context.broker
        return await mutation_payload(
            MovePipelineEntryPayload,
            lambda: rules.move_entry(
                broker, viewer, pk_of(input.entry_id, "PipelineEntry"), version=input.version, stage=input.stage,
                custom_stage_id=(pk_of(input.custom_stage_id, "CustomPipelineStage") or 0) if input.custom_stage_id is not None else None,
                reason=input.reason,
            ),
            field="entry",
        )

    @strawberry.mutation(description="Add a stage of your company's own between INTERVIEWING and OFFER.")
    async def create_pipeline_stage(
        self, info: Info, input: Annotated[CreatePipelineStageInput, strawberry.argument(description="The stage.")]
    ) -> CreatePipelineStagePayload:
        viewer = info.context.require_viewer()
        return await mutation_payload(CreatePipelineStagePayload, lambda: rules.create_custom_stage(viewer, input.name, input.position), field="stage")

    @strawberry.mutation(
        description="Delete a stage of your company's own. Entries at it move to `moveEntriesTo` in the same transaction (each move in its history, announced on `pipelineUpdated`); without `moveEntriesTo` the deletion is refused with STAGE_IN_USE while any entry is there. Moves in entries' history that named the stage keep it as a null `fromCustomStage`/`toCustomStage`."
    )
    async def delete_pipeline_stage(
        self, info: Info, input: Annotated[DeletePipelineStageInput, strawberry.argument(description="The stage, and where its entries go.")]
    ) -> DeletePipelineStagePayload:
        viewer, broker = info.context.require_viewer(), info.context.broker

        async def delete() -> dict[str, object]:
            target = input.move_entries_to_custom_stage_id
            stage_id, moved = await rules.delete_custom_stage(
                broker, viewer, pk_of(input.stage_id, "CustomPipelineStage"), move_to=input.move_entries_to,
                move_to_custom_stage_id=(pk_of(target, "CustomPipelineStage") or 0) if target is not None else None,
            )
            return {"deleted_stage_id": strawberry.ID(to_global_id("CustomPipelineStage", stage_id)), "moved_entries": moved}

        return await mutation_payload(DeletePipelineStagePayload, delete, field=None)

    @strawberry.mutation(description="Write a note on an entry; your company sees it, the candidate never does.")
    async def add_pipeline_note(self, info: Info, input: Annotated[AddPipelineNoteInput, strawberry.argument(description="Entry and text.")]) -> AddPipelineNotePayload:
        viewer, broker = info.context.require_viewer(), info.context.broker
        return await mutation_payload(
            AddPipelineNotePayload, lambda: rules.add_note(broker, viewer, pk_of(input.entry_id, "PipelineEntry"), input.body), field="note"
        )

    @strawberry.mutation(description="Change a note you wrote.")
    async def edit_pipeline_note(self, info: Info, input: Annotated[EditPipelineNoteInput, strawberry.argument(description="Note and text.")]) -> EditPipelineNotePayload:
        viewer, broker = info.context.require_viewer(), info.context.broker
        return await mutation_payload(
            EditPipelineNotePayload, lambda: rules.edit_note(broker, viewer, pk_of(input.note_id, "PipelineNote"), input.body), field="note"
        )

    @strawberry.mutation(description="Delete a note you wrote.")
    async def delete_pipeline_note(
        self, info: Info, input: Annotated[DeletePipelineNoteInput, strawberry.argument(description="The note.")]
    ) -> DeletePipelineNotePayload:
        viewer, broker = info.context.require_viewer(), info.context.broker

        async def delete() -> dict[str, object]:
            note_id = await rules.delete_note(broker, viewer, pk_of(input.note_id, "PipelineNote"))
            return {"deleted_note_id": strawberry.ID(to_global_id("PipelineNote", note_id))}

        return await mutation_payload(DeletePipelineNotePayload, delete, field=None)

    @strawberry.mutation(description="Define a tag for your company's pipelines.")
    async def create_pipeline_tag(self, info: Info, input: Annotated[CreatePipelineTagInput, strawberry.argument(description="The tag.")]) -> CreatePipelineTagPayload:
        viewer = info.context.require_viewer()
        return await mutation_payload(CreatePipelineTagPayload, lambda: rules.create_tag(viewer, input.name), field="tag")

    @strawberry.mutation(description="Set the tags of an entry.")
    async def set_pipeline_entry_tags(
        self, info: Info, input: Annotated[SetPipelineEntryTagsInput, strawberry.argument(description="Entry and tags.")]
    ) -> SetPipelineEntryTagsPayload:
        viewer, broker = info.context.require_viewer(), info.context.broker
        return await mutation_payload(
            SetPipelineEntryTagsPayload,
            lambda: rules.set_tags(broker, viewer, pk_of(input.entry_id, "PipelineEntry"), [pk_of(t, "PipelineTag") for t in input.tag_ids]),
            field="entry",
        )

    @strawberry.mutation(description="Rate an entry (1–4 and a recommendation); rating again replaces your rating.")
    async def rate_pipeline_entry(
        self, info: Info, input: Annotated[RatePipelineEntryInput, strawberry.argument(description="Entry and rating.")]
    ) -> RatePipelineEntryPayload:
        viewer, broker = info.context.require_viewer(), info.context.broker
        return await mutation_payload(
            RatePipelineEntryPayload,
            lambda: rules.rate(broker, viewer, pk_of(input.entry_id, "PipelineEntry"), input.score, input.recommendation),
            field="rating",
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
