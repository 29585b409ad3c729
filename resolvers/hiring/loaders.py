"""Batch functions for hiring, named by their key; results in key order, ``None``/``[]``
for misses. A pipeline page asks each once, whatever its size."""

from __future__ import annotations

from tortoise.expressions import Subquery
from tortoise.functions import Count, Max

from models.accounts import User
from models.hiring import (
    CustomStage,
    PipelineEntry,
    PipelineEntryTag,
    PipelineMove,
    PipelineNote,
    PipelineRating,
    PipelineTag,
    Role,
    RoleMember,
)
from resolvers.loading import by_key, grouped


async def roles_by_id(ids: list[int]) -> list[Role | None]:
    return by_key(await Role.filter(id__in=set(ids)), ids)


async def entries_by_id(ids: list[int]) -> list[PipelineEntry | None]:
    return by_key(await PipelineEntry.filter(id__in=set(ids)), ids)


async def notes_by_id(ids: list[int]) -> list[PipelineNote | None]:
    return by_key(await PipelineNote.filter(id__in=set(ids)), ids)


async def tags_by_id(ids: list[int]) -> list[PipelineTag | None]:
    return by_key(await PipelineTag.filter(id__in=set(ids)), ids)


async def custom_stages_by_id(ids: list[int]) -> list[CustomStage | None]:
    return by_key(await CustomStage.filter(id__in=set(ids)), ids)


async def last_note_by_entry_id(entry_ids: list[int]) -> list[PipelineNote | None]:
    """The newest note of each entry: one statement."""
    newest = PipelineNote.filter(entry_id__in=set(entry_ids)).group_by("entry_id").annotate(newest=Max("id")).values("newest")
    return by_key(await PipelineNote.filter(id__in=Subquery(newest)), entry_ids, "entry_id")


async def notes_by_entry_id(entry_ids: list[int]) -> list[list[PipelineNote]]:
    rows = await PipelineNote.filter(entry_id__in=set(entry_ids)).order_by("entry_id", "-id")
    return grouped(rows, entry_ids, "entry_id")


async def tags_by_entry_id(entry_ids: list[int]) -> list[list[PipelineTag]]:
    """Each entry's tags by name: one statement (a join)."""
    rows = await PipelineEntryTag.filter(entry_id__in=set(entry_ids)).select_related("tag").order_by("tag__name")
    groups = grouped(rows, entry_ids, "entry_id")
    return [[link.tag for link in links] for links in groups]


async def ratings_by_entry_id(entry_ids: list[int]) -> list[list[PipelineRating]]:
    rows = await PipelineRating.filter(entry_id__in=set(entry_ids)).order_by("entry_id", "id")
    return grouped(rows, entry_ids, "entry_id")


async def moves_by_entry_id(entry_ids: list[int]) -> list[list[PipelineMove]]:
    rows = await PipelineMove.filter(entry_id__in=set(entry_ids)).order_by("entry_id", "created_at", "id")
    return grouped(rows, entry_ids, "entry_id")


async def team_by_role_id(role_ids: list[int]) -> list[list[User]]:
    rows = await RoleMember.filter(role_id__in=set(role_ids)).select_related("user").order_by("role_id", "id")
    return [[member.user for member in members] for members in grouped(rows, role_ids, "role_id")]


async def stage_counts_by_role_id(role_ids: list[int]) -> list[list[tuple[str, int | None, int]]]:
    """(stage, custom stage id, number of entries) per role: one GROUP BY."""
    rows = (
        await PipelineEntry.filter(role_id__in=set(role_ids))
        .group_by("role_id", "stage", "custom_stage_id")
        .annotate(n=Count("id"))
        .values_list("role_id", "stage", "custom_stage_id", "n")
    )
    counts: dict[int, list[tuple[str, int | None, int]]] = {role_id: [] for role_id in role_ids}
    for role_id, stage, custom_stage_id, n in rows:
        counts[role_id].append((str(getattr(stage, "value", stage)), custom_stage_id, int(n)))
    return [counts[role_id] for role_id in role_ids]
