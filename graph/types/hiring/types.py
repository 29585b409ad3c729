"""Hiring's object types and enums: ``HiringRole`` (the GraphQL ``Role`` name is the
account role enum), ``PipelineEntry``, ``PipelineNote``, ``PipelineTag``,
``CustomPipelineStage``, ``PipelineRating``, ``PipelineMove``, the role's numbers, and
``node(id:)`` for the Node types (the enums are in ``enums``, re-exported here). Objects resolve straight from ``models.hiring`` rows;
what a field reads, and whether the viewer may see it, is decided in ``resolvers.hiring``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from graph.context import Info
from graph.types.accounts import User
from graph.types.chat.types import SalaryRange
from graph.types.common import Connection, Node, model_type
from graph.types.hiring.enums import PipelineEventKind, PipelineStage, PipelineTrigger, Recommendation, RoleStatus
from graph.types.hiring.numbers import RoleNumbers, StageCount, numbers_of, stage_counts_of
from graph.types.hiring.selection import describe_entries
from graph.types.hiring.stages import CustomPipelineStage
from graph.types.node import register_node
from graph.types.profiles.types import Profile, RemotePreference
from models import hiring as m
from resolvers import hiring as rules
from resolvers.hiring import queries
from resolvers.hiring.prefetch import MISSING, prefetched, prefetched_author
from resolvers.ids import to_global_id


@strawberry.type(description="A label your company defines and puts on pipeline entries.")
@model_type(m.PipelineTag)
class PipelineTag(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self, root: strawberry.Parent[m.PipelineTag]) -> strawberry.ID:
        return strawberry.ID(to_global_id("PipelineTag", root.pk))

    @strawberry.field(description="Name, 1–40 characters, unique in your company (case-insensitively).")
    def name(self, root: strawberry.Parent[m.PipelineTag]) -> str:
        return root.name


@strawberry.type(description="A colleague's markdown note on a pipeline entry. Your company's data: the candidate never sees it, and it is erased if she deletes her account.")
@model_type(m.PipelineNote)
class PipelineNote(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self, root: strawberry.Parent[m.PipelineNote]) -> strawberry.ID:
        return strawberry.ID(to_global_id("PipelineNote", root.pk))

    @strawberry.field(description="The note, markdown, 1–10,000 characters.")
    def body(self, root: strawberry.Parent[m.PipelineNote]) -> str:
        return root.body

    @strawberry.field(description="Who wrote it; null once their account is gone.")
    def author(self, root: strawberry.Parent[m.PipelineNote], info: Info) -> User | None:
        found = prefetched_author(root)
        if found is not MISSING:
            return found
        return queries.user_of(info.context.loaders, root.author_id)  # type: ignore[return-value]  # graphql-core awaits the coroutine

    @strawberry.field(description="When it was written.")
    def created_at(self, root: strawberry.Parent[m.PipelineNote]) -> datetime:
        return root.created_at

    @strawberry.field(description="When it was last edited.")
    def updated_at(self, root: strawberry.Parent[m.PipelineNote]) -> datetime:
        return root.updated_at


@strawberry.type(description="One colleague's rating of a pipeline entry.")
@model_type(m.PipelineRating)
class PipelineRating:
    @strawberry.field(description="1 (weak) to 4 (excellent).")
    def score(self, root: strawberry.Parent[m.PipelineRating]) -> int:
        return root.score

    @strawberry.field(description="Whether to hire.")
    def recommendation(self, root: strawberry.Parent[m.PipelineRating]) -> Recommendation:  # type: ignore[valid-type]  # strawberry enum used as a type
        return root.recommendation

    @strawberry.field(description="Who rated.")
    async def author(self, root: strawberry.Parent[m.PipelineRating], info: Info) -> User | None:
        return await queries.user_of(info.context.loaders, root.author_id)  # type: ignore[return-value]  # a models.accounts row resolves as User (model_type)

    @strawberry.field(description="When the rating was given or last changed.")
    def updated_at(self, root: strawberry.Parent[m.PipelineRating]) -> datetime:
        return root.updated_at


@strawberry.type(description="One move of a pipeline entry: who, when, from, to and why.")
@model_type(m.PipelineMove)
class PipelineMove:
    @strawberry.field(description="The stage before; null for the move that added the entry.")
    def from_stage(self, root: strawberry.Parent[m.PipelineMove]) -> PipelineStage | None:  # type: ignore[valid-type]  # strawberry enum used as a type
        return root.from_stage

    @strawberry.field(description="Your company's stage before, when `fromStage` is CUSTOM.")
    async def from_custom_stage(self, root: strawberry.Parent[m.PipelineMove], info: Info) -> CustomPipelineStage | None:
        return await queries.custom_stage_of(info.context.loaders, root.from_custom_stage_id)  # type: ignore[return-value]  # a models.hiring row resolves as CustomPipelineStage (model_type)

    @strawberry.field(description="The stage after.")
    def to_stage(self, root: strawberry.Parent[m.PipelineMove]) -> PipelineStage:  # type: ignore[valid-type]  # strawberry enum used as a type
        return root.to_stage

    @strawberry.field(description="Your company's stage after, when `toStage` is CUSTOM.")
    async def to_custom_stage(self, root: strawberry.Parent[m.PipelineMove], info: Info) -> CustomPipelineStage | None:
        return await queries.custom_stage_of(info.context.loaders, root.to_custom_stage_id)  # type: ignore[return-value]  # a models.hiring row resolves as CustomPipelineStage (model_type)

    @strawberry.field(description="Who moved it; null for automatic moves and for accounts that are gone.")
    async def actor(self, root: strawberry.Parent[m.PipelineMove], info: Info) -> User | None:
        if root.trigger is not None:
            return None
        return await queries.user_of(info.context.loaders, root.actor_id)  # type: ignore[return-value]  # a models.accounts row resolves as User (model_type)

    @strawberry.field(description="The event that moved it by itself; null for a move by hand.")
    def trigger(self, root: strawberry.Parent[m.PipelineMove]) -> PipelineTrigger | None:  # type: ignore[valid-type]  # strawberry enum used as a type
        return rules.PipelineTrigger(root.trigger) if root.trigger else None

    @strawberry.field(description="Why, at most 500 characters (erased if the candidate deletes her account).")
    def reason(self, root: strawberry.Parent[m.PipelineMove]) -> str | None:
        return root.reason

    @strawberry.field(description="When.")
    def at(self, root: strawberry.Parent[m.PipelineMove]) -> datetime:
        return root.created_at


@strawberry.type(description="One candidate on one role: her stage, the team's notes, tags and ratings, and the history of every move. Company members only.")
@model_type(m.PipelineEntry)
class PipelineEntry(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self, root: strawberry.Parent[m.PipelineEntry]) -> strawberry.ID:
        return strawberry.ID(to_global_id("PipelineEntry", root.pk))

    @strawberry.field(description="The role.")
    async def role(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> HiringRole:
        return await queries.role_of(info.context.loaders, root)  # type: ignore[return-value]  # a models.hiring row resolves as HiringRole (model_type)

    @strawberry.field(description="The current stage.")
    def stage(self, root: strawberry.Parent[m.PipelineEntry]) -> PipelineStage:  # type: ignore[valid-type]  # strawberry enum used as a type
        return root.stage

    @strawberry.field(description="Your company's stage, when `stage` is CUSTOM.")
    async def custom_stage(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> CustomPipelineStage | None:
        return await queries.custom_stage_of(info.context.loaders, root.custom_stage_id)  # type: ignore[return-value]  # a models.hiring row resolves as CustomPipelineStage (model_type)

    @strawberry.field(description="Why the entry is at its stage (always set for REJECTED and WITHDRAWN).")
    def stage_reason(self, root: strawberry.Parent[m.PipelineEntry]) -> str | None:
        return root.stage_reason

    @strawberry.field(description="Changes with every move; name it in `movePipelineEntry` (STALE_VERSION when someone moved it since).")
    def version(self, root: strawberry.Parent[m.PipelineEntry]) -> int:
        return root.version

    @strawberry.field(description="When the entry reached its stage.")
    def stage_changed_at(self, root: strawberry.Parent[m.PipelineEntry]) -> datetime:
        return root.stage_changed_at

    @strawberry.field(description="When the candidate was added to the role.")
    def created_at(self, root: strawberry.Parent[m.PipelineEntry]) -> datetime:
        return root.created_at

    @strawberry.field(description="The colleague who added her; null for automatic additions and accounts that are gone.")
    async def added_by(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> User | None:
        return await queries.user_of(info.context.loaders, root.added_by_id)  # type: ignore[return-value]  # a models.accounts row resolves as User (model_type)

    @strawberry.field(
        description="The candidate's profile, under the same privacy rules as every path to a profile: an anonymous candidate's name, handle and links stay null until she accepts your contact request. Null when she hid her profile or left the pipeline (blocked your company, hired elsewhere, deleted her account)."
    )
    def profile(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> Profile | None:
        # Synchronous on a page (prefetched), else a coroutine graphql-core awaits.
        found = prefetched(root, "profile")
        if found is not MISSING:
            return found
        return queries.profile_of(info.context.loaders, info.context.viewer, root)  # type: ignore[return-value]  # graphql-core awaits the coroutine

    @strawberry.field(description="The candidate as a person; null while she is anonymous to your company, and once she left the pipeline.")
    def candidate(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> User | None:
        found = prefetched(root, "candidate")
        if found is not MISSING:
            return found
        return queries.candidate_of(info.context.loaders, info.context.viewer, root)  # type: ignore[return-value]  # graphql-core awaits the coroutine

    @strawberry.field(description="True once the candidate left the pipeline (blocked your company, was hired elsewhere or deleted her account): the entry keeps your notes, not her.")
    def candidate_left(self, root: strawberry.Parent[m.PipelineEntry]) -> bool:
        return root.candidate_id is None

    @strawberry.field(description="The newest note.")
    def last_note(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> PipelineNote | None:
        found = prefetched(root, "last_note")
        if found is not MISSING:
            return found
        return queries.last_note_of(info.context.loaders, root)  # type: ignore[return-value]  # graphql-core awaits the coroutine

    @strawberry.field(description="Every note, newest first.")
    async def notes(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> list[PipelineNote]:
        return await queries.notes_of(info.context.loaders, root)  # type: ignore[return-value]  # models.hiring rows resolve as PipelineNote (model_type)

    @strawberry.field(description="The entry's tags, by name.")
    def tags(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> list[PipelineTag]:
        found = prefetched(root, "tags")
        if found is not MISSING:
            return found
        return queries.tags_of(info.context.loaders, root)  # type: ignore[return-value]  # graphql-core awaits the coroutine

    @strawberry.field(description="One rating per colleague who rated.")
    async def ratings(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> list[PipelineRating]:
        return await queries.ratings_of(info.context.loaders, root)  # type: ignore[return-value]  # models.hiring rows resolve as PipelineRating (model_type)

    @strawberry.field(description="Every move, oldest first, the addition included.")
    async def history(self, root: strawberry.Parent[m.PipelineEntry], info: Info) -> list[PipelineMove]:
        return await queries.history_of(info.context.loaders, root)  # type: ignore[return-value]  # models.hiring rows resolve as PipelineMove (model_type)


@strawberry.type(description="A position your company hires for, with its pipeline. (Named HiringRole: `Role` is the account role.)")
@model_type(m.Role)
class HiringRole(Node):
    @strawberry.field(description="Globally unique ID.")
    def id(self, root: strawberry.Parent[m.Role]) -> strawberry.ID:
        return strawberry.ID(to_global_id("HiringRole", root.pk))

    @strawberry.field(description="Title, 1–120 characters; prefills `startConversation` and `extendOffer` given this role.")
    def title(self, root: strawberry.Parent[m.Role]) -> str:
        return root.title

    @strawberry.field(description="Description, markdown, at most 10,000 characters.")
    def description(self, root: strawberry.Parent[m.Role]) -> str:
        return root.description

    @strawberry.field(description="Place of work, at most 200 characters.")
    def location(self, root: strawberry.Parent[m.Role]) -> str | None:
        return root.location

    @strawberry.field(description="On site, hybrid or remote.")
    def remote_preference(self, root: strawberry.Parent[m.Role]) -> RemotePreference | None:  # type: ignore[valid-type]  # strawberry enum used as a type
        return root.remote_preference

    @strawberry.field(description="The pay; prefills `startConversation` given this role, and is checked against the candidate's desired minimum there like any contact.")
    def salary_range(self, root: strawberry.Parent[m.Role]) -> SalaryRange:
        return SalaryRange(min=root.salary_min, max=root.salary_max, currency=root.salary_currency, period=root.salary_period)

    @strawberry.field(description="How many people the role hires, 1–1,000.")
    def headcount(self, root: strawberry.Parent[m.Role]) -> int:
        return root.headcount

    @strawberry.field(description="Entries at HIRED; the role is FILLED when it reaches `headcount`.")
    def filled_count(self, root: strawberry.Parent[m.Role]) -> int:
        return root.filled_count

    @strawberry.field(description="Where the role is.")
    def status(self, root: strawberry.Parent[m.Role]) -> RoleStatus:  # type: ignore[valid-type]  # strawberry enum used as a type
        return root.status

    @strawberry.field(description="Who created the role; null once their account is gone.")
    async def owner(self, root: strawberry.Parent[m.Role], info: Info) -> User | None:
        return await queries.user_of(info.context.loaders, root.owner_id)  # type: ignore[return-value]  # a models.accounts row resolves as User (model_type)

    @strawberry.field(description="The colleagues on the role (the owner included). Every colleague may work on every role of the company.")
    async def team(self, root: strawberry.Parent[m.Role], info: Info) -> list[User]:
        return await queries.team_of(info.context.loaders, root)  # type: ignore[return-value]  # models.accounts rows resolve as User (model_type)

    @strawberry.field(description="Entries per stage (stages without entries are left out).")
    async def stage_counts(self, root: strawberry.Parent[m.Role], info: Info) -> list[StageCount]:
        return await stage_counts_of(info, root.pk)

    @strawberry.field(description="Conversion, time in stage and time to first reply, computed over the whole pipeline.")
    async def numbers(self, root: strawberry.Parent[m.Role], info: Info) -> RoleNumbers:
        return await numbers_of(info, root.pk)

    @strawberry.field(description="The role's pipeline, newest entry first. `first` at most 100, default 20.")
    async def pipeline(
        self,
        root: strawberry.Parent[m.Role],
        info: Info,
        stage: Annotated[PipelineStage | None, strawberry.argument(description="Only entries at this stage.")] = None,  # type: ignore[valid-type]  # strawberry enum used as a type
        first: Annotated[int | None, strawberry.argument(description="Page size, 0–100, default 20.")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor of the last entry of the previous page.")] = None,
    ) -> Connection[PipelineEntry]:
        page = await queries.pipeline_page(
            info.context.require_viewer(), root.pk, loaders=info.context.loaders,
            selection=describe_entries(info.selected_fields), stage=stage, first=first, after=after,
        )
        assert page is not None  # the viewer reached the role, so it is their company's
        return Connection[PipelineEntry].from_page(page)

    @strawberry.field(description="When the role was created.")
    def created_at(self, root: strawberry.Parent[m.Role]) -> datetime:
        return root.created_at

    @strawberry.field(description="When the role last changed.")
    def updated_at(self, root: strawberry.Parent[m.Role]) -> datetime:
        return root.updated_at


@strawberry.type(description="What happened to a pipeline entry, and the entry as it is now.")
class PipelineUpdate:
    change: PipelineEventKind = strawberry.field(description="What happened.")  # type: ignore[valid-type]  # strawberry enum used as a type
    entry: PipelineEntry = strawberry.field(description="The entry after the change, read afresh.")


def _nodes(reader: Any) -> Any:
    async def resolve(info: Info, ids: list[int]) -> list[Any]:
        return await reader(info.context.loaders, info.context.viewer, ids)

    return resolve


register_node("HiringRole", _nodes(queries.role_nodes))
register_node("PipelineEntry", _nodes(queries.entry_nodes))
register_node("PipelineNote", _nodes(queries.note_nodes))
register_node("PipelineTag", _nodes(queries.tag_nodes))
register_node("CustomPipelineStage", _nodes(queries.custom_stage_nodes))
