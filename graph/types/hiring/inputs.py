"""Hiring's input types and mutation payloads. Payload classes are declared once per
shape (``RolePayload``, ``PipelineEntryPayload``, ``PipelineNotePayload``) with one-line
subclasses that only name and describe the GraphQL type."""

from __future__ import annotations

import strawberry

from graph.types.chat.inputs import SalaryRangeInput
from graph.types.common import UserError
from graph.types.hiring.types import (
    CustomPipelineStage,
    HiringRole,
    PipelineEntry,
    PipelineNote,
    PipelineRating,
    PipelineStage,
    PipelineTag,
    Recommendation,
    RoleStatus,
)
from graph.types.profiles.types import RemotePreference
from resolvers import hiring as rules
from resolvers.ids import parse_global_id
from resolvers.pay import SalaryRange

ERRORS = "Why nothing happened; empty on success."



def pk_of(value: strawberry.ID | None, type_name: str) -> int | None:
    """Primary key of a ``type_name`` ID; None for another type's ID (the same as not found)."""
    if value is None:
        return None
    found, pk = parse_global_id(str(value))
    return pk if found == type_name else None


def _salary(value: SalaryRangeInput | None) -> SalaryRange | None:
    return SalaryRange(value.min, value.max, value.currency, value.period) if value is not None else None


@strawberry.input(description="A new role.")
class CreateRoleInput:
    title: str = strawberry.field(description="Title, 1–120 characters.")
    salary_range: SalaryRangeInput = strawberry.field(description="The pay, with the rules of a contact request's range.")
    description: str = strawberry.field(default="", description="Markdown, at most 10,000 characters.")
    location: str | None = strawberry.field(default=None, description="Place of work, at most 200 characters.")
    remote_preference: RemotePreference | None = strawberry.field(default=None, description="On site, hybrid or remote.")  # type: ignore[valid-type]  # strawberry enum used as a type
    headcount: int = strawberry.field(default=1, description="People to hire, 1–1,000.")
    team_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="Colleagues on the role (`User` IDs of your company), at most 50; you are on it anyway.")

    def fields(self) -> rules.RoleFields:
        return rules.RoleFields(
            title=self.title, description=self.description, location=self.location, remote_preference=self.remote_preference,
            salary=_salary(self.salary_range), headcount=self.headcount, team_ids=[pk_of(i, "User") or 0 for i in self.team_ids],
        )


@strawberry.input(description="Changes to a role: only the fields given change.")
class UpdateRoleInput:
    id: strawberry.ID = strawberry.field(description="The role.")
    title: str | None = strawberry.field(default=None, description="Title, 1–120 characters.")
    salary_range: SalaryRangeInput | None = strawberry.field(default=None, description="The pay.")
    description: str | None = strawberry.field(default=None, description="Markdown, at most 10,000 characters.")
    location: str | None = strawberry.field(default=None, description="Place of work, at most 200 characters.")
    remote_preference: RemotePreference | None = strawberry.field(default=None, description="On site, hybrid or remote.")  # type: ignore[valid-type]  # strawberry enum used as a type
    headcount: int | None = strawberry.field(default=None, description="People to hire, 1–1,000; FILLED follows it.")
    status: RoleStatus | None = strawberry.field(default=None, description="OPEN or PAUSED (INVALID otherwise: FILLED follows the hires, `archiveRole` archives).")  # type: ignore[valid-type]  # strawberry enum used as a type
    team_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="The new team (replaces the old one; the owner stays on it), at most 50.")

    def fields(self) -> rules.RoleFields:
        return rules.RoleFields(
            title=self.title, description=self.description, location=self.location, remote_preference=self.remote_preference,
            salary=_salary(self.salary_range), headcount=self.headcount, status=self.status,
            team_ids=[pk_of(i, "User") or 0 for i in self.team_ids] if self.team_ids is not None else None,
        )


@strawberry.input(description="Archive a role.")
class ArchiveRoleInput:
    id: strawberry.ID = strawberry.field(description="The role.")


@strawberry.input(description="Put a candidate on a role's pipeline.")
class AddToPipelineInput:
    role_id: strawberry.ID = strawberry.field(description="One of your company's roles (not ARCHIVED).")
    candidate_id: strawberry.ID = strawberry.field(
        description="The candidate: a `User` ID, a `Profile` ID or a search result's `SearchCandidate` ID, or your company's `Conversation` with her. NOT_FOUND for a candidate your company cannot reach (hidden, blocking it), exactly like an unknown ID."
    )

    def candidate(self) -> rules.CandidateRef:
        type_name, pk = parse_global_id(str(self.candidate_id))
        return rules.CandidateRef(
            user_id=pk if type_name == "User" else None,
            profile_id=pk if type_name in ("Profile", "SearchCandidate") else None,
            conversation_id=pk if type_name == "Conversation" else None,
        )


@strawberry.input(description="Move an entry by hand.")
class MovePipelineEntryInput:
    entry_id: strawberry.ID = strawberry.field(description="The entry.")
    version: int = strawberry.field(description="The entry's `version` you read; STALE_VERSION when it moved since.")
    stage: PipelineStage = strawberry.field(description="The new stage; CUSTOM with `customStageId`.")  # type: ignore[valid-type]  # strawberry enum used as a type
    custom_stage_id: strawberry.ID | None = strawberry.field(default=None, description="Your company's stage, exactly when `stage` is CUSTOM.")
    reason: str | None = strawberry.field(default=None, description="Why, at most 500 characters; required for REJECTED and WITHDRAWN.")


@strawberry.input(description="A stage of your company's own.")
class CreatePipelineStageInput:
    name: str = strawberry.field(description="1–60 characters, unique in your company; at most 20 stages.")
    position: int | None = strawberry.field(default=None, description="Order among your stages (default: after the last).")


@strawberry.input(description="A stage of your company's own to delete, and where the entries at it go.")
class DeletePipelineStageInput:
    stage_id: strawberry.ID = strawberry.field(description="One of your company's stages (a `CustomPipelineStage` ID); another company's reads as NOT_FOUND.")
    move_entries_to: PipelineStage | None = strawberry.field(  # type: ignore[valid-type]  # strawberry enum used as a type
        default=None,
        description="Where the entries now at the stage (on any of your roles) go, each as a move by you with the reason \"The stage … was deleted.\": an open stage (SOURCED, CONTACTED, REPLIED, INTERVIEWING, CUSTOM or OFFER; not HIRED, REJECTED or WITHDRAWN, which are decisions about a candidate). Null: the deletion is refused with STAGE_IN_USE while any entry is at the stage.",
    )
    move_entries_to_custom_stage_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another of your company's stages, exactly when `moveEntriesTo` is CUSTOM."
    )


@strawberry.input(description="A note on an entry.")
class AddPipelineNoteInput:
    entry_id: strawberry.ID = strawberry.field(description="The entry.")
    body: str = strawberry.field(description="Markdown, 1–10,000 characters. While the candidate is anonymous to your company, a note naming her (name, handle, email) is INVALID.")


@strawberry.input(description="Change your note.")
class EditPipelineNoteInput:
    note_id: strawberry.ID = strawberry.field(description="A note you wrote (FORBIDDEN for a colleague's).")
    body: str = strawberry.field(description="The new text, same rules as `addPipelineNote`.")


@strawberry.input(description="Delete your note.")
class DeletePipelineNoteInput:
    note_id: strawberry.ID = strawberry.field(description="A note you wrote (FORBIDDEN for a colleague's).")


@strawberry.input(description="A tag for your company.")
class CreatePipelineTagInput:
    name: str = strawberry.field(description="1–40 characters, unique in your company (case-insensitively); at most 300 tags.")


@strawberry.input(description="The tags of an entry.")
class SetPipelineEntryTagsInput:
    entry_id: strawberry.ID = strawberry.field(description="The entry.")
    tag_ids: list[strawberry.ID] = strawberry.field(description="Your company's tags, at most 20; replaces the entry's tags. A tag naming an anonymous candidate is INVALID.")


@strawberry.input(description="Your rating of an entry.")
class RatePipelineEntryInput:
    entry_id: strawberry.ID = strawberry.field(description="The entry.")
    score: int = strawberry.field(description="1 (weak) to 4 (excellent).")
    recommendation: Recommendation = strawberry.field(description="Whether to hire.")  # type: ignore[valid-type]  # strawberry enum used as a type


# --- payloads ---------------------------------------------------------------------------

@strawberry.type(description="Result of a role mutation. Not in the schema itself: each mutation has its named subclass.")
class RolePayload:
    role: HiringRole | None = strawberry.field(description="The role; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `createRole`.")
class CreateRolePayload(RolePayload): ...


@strawberry.type(description="Result of `updateRole`.")
class UpdateRolePayload(RolePayload): ...


@strawberry.type(description="Result of `archiveRole`.")
class ArchiveRolePayload(RolePayload): ...


@strawberry.type(description="Result of a pipeline entry mutation. Not in the schema itself: each mutation has its named subclass.")
class PipelineEntryPayload:
    entry: PipelineEntry | None = strawberry.field(description="The entry; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `addToPipeline`.")
class AddToPipelinePayload(PipelineEntryPayload): ...


@strawberry.type(description="Result of `movePipelineEntry`.")
class MovePipelineEntryPayload(PipelineEntryPayload): ...


@strawberry.type(description="Result of `setPipelineEntryTags`.")
class SetPipelineEntryTagsPayload(PipelineEntryPayload): ...


@strawberry.type(description="Result of a note mutation. Not in the schema itself: each mutation has its named subclass.")
class PipelineNotePayload:
    note: PipelineNote | None = strawberry.field(description="The note; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `addPipelineNote`.")
class AddPipelineNotePayload(PipelineNotePayload): ...


@strawberry.type(description="Result of `editPipelineNote`.")
class EditPipelineNotePayload(PipelineNotePayload): ...


@strawberry.type(description="Result of `deletePipelineNote`.")
class DeletePipelineNotePayload:
    deleted_note_id: strawberry.ID | None = strawberry.field(description="The deleted note's ID; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `createPipelineStage`.")
class CreatePipelineStagePayload:
    stage: CustomPipelineStage | None = strawberry.field(description="The new stage; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `deletePipelineStage`.")
class DeletePipelineStagePayload:
    deleted_stage_id: strawberry.ID | None = strawberry.field(description="The deleted stage's ID; null when `userErrors` is not empty.")
    moved_entries: list[PipelineEntry] | None = strawberry.field(
        description="The entries that were at the stage, at their new stage (empty when none was); null when `userErrors` is not empty."
    )
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `createPipelineTag`.")
class CreatePipelineTagPayload:
    tag: PipelineTag | None = strawberry.field(description="The new tag; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)


@strawberry.type(description="Result of `ratePipelineEntry`.")
class RatePipelineEntryPayload:
    rating: PipelineRating | None = strawberry.field(description="Your rating; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description=ERRORS)
