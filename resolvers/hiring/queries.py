"""Reading hiring data: the ``roles``/``role``/``pipeline`` roots, ``node(id:)``, and the
fields of a role and an entry — every path company-scoped (``access``), every path to the
candidate through the profile privacy rule (``resolvers.profiles.visibility``): an
anonymous candidate stays anonymous in the pipeline until she accepts the company's
contact request. Field reads go through the request's loaders, so a page costs one
statement per relation, whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.expressions import Subquery

from models.accounts import User
from models.hiring import (
    CustomStage,
    PipelineEntry,
    PipelineEntryTag,
    PipelineMove,
    PipelineNote,
    PipelineRating,
    PipelineStage,
    PipelineTag,
    Role,
    RoleStatus,
)
from models.profiles import Profile
from resolvers.accounts.loaders import users_by_id
from resolvers.hiring.access import company_of_viewer, require_employer
from resolvers.hiring.loaders import (
    custom_stages_by_id,
    entries_by_id,
    last_note_by_entry_id,
    moves_by_entry_id,
    notes_by_entry_id,
    notes_by_id,
    ratings_by_entry_id,
    roles_by_id,
    stage_counts_by_role_id,
    tags_by_entry_id,
    tags_by_id,
    team_by_role_id,
)
from resolvers.hiring.prefetch import EntrySelection, prefetch_entries
from resolvers.loading import Loaders
from resolvers.pagination import Page, SortKey, keyset_page
from resolvers.profiles.loaders import profiles_by_user_id
from resolvers.profiles.visibility import identity_visible, visible_profiles

ROLE_ORDER = (SortKey("id", descending=True),)
ENTRY_ORDER = (SortKey("id", descending=True),)


async def roles_page(viewer: User, *, status: RoleStatus | None, first: int | None, after: str | None) -> Page[Role]:
    """The viewer's company's roles, newest first."""
    company_id = require_employer(viewer)
    queryset = Role.filter(company_id=company_id)
    if status is not None:
        queryset = queryset.filter(status=status)
    return await keyset_page(queryset, ROLE_ORDER, first=first, after=after)


async def pipeline_page(
    viewer: User,
    role_id: int | None,
    *,
    loaders: Loaders | None = None,
    selection: EntrySelection | None = None,
    stage: PipelineStage | None = None,
    custom_stage_id: int | None = None,
    tag_id: int | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[PipelineEntry] | None:
    """A role's entries, newest first; ``None`` when the role is not the viewer's company's.
    With ``loaders`` and ``selection``, what the client asks of the entries is loaded for
    the whole page at once (``prefetch``)."""
    company_id = require_employer(viewer)
    if role_id is None or not await Role.filter(id=role_id, company_id=company_id).exists():
        return None
    queryset = PipelineEntry.filter(role_id=role_id)
    if stage is not None:
        queryset = queryset.filter(stage=stage)
    if custom_stage_id is not None:
        queryset = queryset.filter(custom_stage_id=custom_stage_id)
    if tag_id is not None:
        queryset = queryset.filter(id__in=Subquery(PipelineEntryTag.filter(tag_id=tag_id).values("entry_id")))
    page = await keyset_page(queryset, ENTRY_ORDER, first=first, after=after)
    if loaders is not None and selection is not None:
        await prefetch_entries(loaders, viewer, page.items, selection)
    return page


async def custom_stages(viewer: User) -> list[CustomStage]:
    return await CustomStage.filter(company_id=require_employer(viewer)).order_by("position", "id")


async def pipeline_tags(viewer: User) -> list[PipelineTag]:
    return await PipelineTag.filter(company_id=require_employer(viewer)).order_by("name", "id")


# --- node(id:): the viewer's company's rows, else None -----------------------------

def _company_rows(viewer: User | None, rows: Sequence[object | None]) -> list[object | None]:
    company_id = company_of_viewer(viewer)
    if company_id is None:
        return [None] * len(rows)
    return [row if row is not None and getattr(row, "company_id", None) == company_id else None for row in rows]


async def role_nodes(loaders: Loaders, viewer: User | None, ids: list[int]) -> list[object | None]:
    return _company_rows(viewer, await loaders(roles_by_id).load_many(ids))


async def entry_nodes(loaders: Loaders, viewer: User | None, ids: list[int]) -> list[object | None]:
    return _company_rows(viewer, await loaders(entries_by_id).load_many(ids))


async def tag_nodes(loaders: Loaders, viewer: User | None, ids: list[int]) -> list[object | None]:
    return _company_rows(viewer, await loaders(tags_by_id).load_many(ids))


async def custom_stage_nodes(loaders: Loaders, viewer: User | None, ids: list[int]) -> list[object | None]:
    return _company_rows(viewer, await loaders(custom_stages_by_id).load_many(ids))


async def note_nodes(loaders: Loaders, viewer: User | None, ids: list[int]) -> list[object | None]:
    notes = await loaders(notes_by_id).load_many(ids)
    entries = await loaders(entries_by_id).load_many([n.entry_id if n else 0 for n in notes])
    visible = _company_rows(viewer, entries)
    return [note if entry is not None else None for note, entry in zip(notes, visible, strict=True)]


async def entry_for(loaders: Loaders, viewer: User | None, entry_id: int) -> PipelineEntry | None:
    [entry] = await entry_nodes(loaders, viewer, [entry_id])
    return entry if isinstance(entry, PipelineEntry) else None


# --- a role's fields ----------------------------------------------------------------

async def team_of(loaders: Loaders, role: Role) -> list[User]:
    return await loaders(team_by_role_id).load(role.pk)


async def user_of(loaders: Loaders, user_id: int | None) -> User | None:
    """A colleague (owner, author, mover): employers' names are plain (no privacy rule)."""
    return await loaders(users_by_id).load(user_id) if user_id is not None else None


async def stage_counts_of(loaders: Loaders, role_id: int) -> list[tuple[PipelineStage, CustomStage | None, int]]:
    """(stage, the company's stage when CUSTOM, entries) of a role."""
    rows = await loaders(stage_counts_by_role_id).load(role_id)
    customs = await custom_stages_of(loaders, [custom for _, custom, _ in rows])
    return [(PipelineStage(stage), custom, n) for (stage, _, n), custom in zip(rows, customs, strict=True)]


async def custom_stages_of(loaders: Loaders, ids: Sequence[int | None]) -> list[CustomStage | None]:
    found = await loaders(custom_stages_by_id).load_many([i for i in ids if i is not None])
    by_id = {stage.pk: stage for stage in found if stage is not None}
    return [by_id.get(i) if i is not None else None for i in ids]


# --- an entry's fields ----------------------------------------------------------------

async def profile_of(loaders: Loaders, viewer: User | None, entry: PipelineEntry) -> Profile | None:
    """The candidate's profile as the viewer may see it (stamped: an anonymous candidate's
    identity fields stay null); None once she left the pipeline or hid her profile."""
    if entry.candidate_id is None:
        return None
    profile = await loaders(profiles_by_user_id).load(entry.candidate_id)
    [visible] = await visible_profiles(loaders, viewer, [profile])
    return visible


async def candidate_of(loaders: Loaders, viewer: User | None, entry: PipelineEntry) -> User | None:
    """The candidate as a person, only when the viewer may see who she is."""
    if entry.candidate_id is None:
        return None
    user = await loaders(users_by_id).load(entry.candidate_id)
    if user is None or user.deleted_at is not None or not await identity_visible(loaders, viewer, user):
        return None
    return user


async def last_note_of(loaders: Loaders, entry: PipelineEntry) -> PipelineNote | None:
    return await loaders(last_note_by_entry_id).load(entry.pk)


async def notes_of(loaders: Loaders, entry: PipelineEntry) -> list[PipelineNote]:
    return await loaders(notes_by_entry_id).load(entry.pk)


async def tags_of(loaders: Loaders, entry: PipelineEntry) -> list[PipelineTag]:
    return await loaders(tags_by_entry_id).load(entry.pk)


async def ratings_of(loaders: Loaders, entry: PipelineEntry) -> list[PipelineRating]:
    return await loaders(ratings_by_entry_id).load(entry.pk)


async def history_of(loaders: Loaders, entry: PipelineEntry) -> list[PipelineMove]:
    return await loaders(moves_by_entry_id).load(entry.pk)


async def role_of(loaders: Loaders, entry: PipelineEntry) -> Role | None:
    return await loaders(roles_by_id).load(entry.role_id)


async def custom_stage_of(loaders: Loaders, stage_id: int | None) -> CustomStage | None:
    return await loaders(custom_stages_by_id).load(stage_id) if stage_id is not None else None
