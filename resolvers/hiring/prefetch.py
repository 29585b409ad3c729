"""Look-ahead loading for a page of pipeline entries: each kind of relation once.

The GraphQL layer describes what a client selected below the page's entries
(``EntrySelection``: plain names, no GraphQL objects); here the whole page's candidates,
profiles, last notes and tags are loaded with one statement per kind, the privacy rule
decided once for the page (``visible_profiles``: the same rule, the same stamp as every
path to a profile), and the answers kept on the entry instances. The entry's fields then
answer synchronously (``prefetched``) instead of awaiting a DataLoader per row; what was
not prefetched (a single entry from a mutation, a subscription event) is loaded field by
field through the request's DataLoaders (``queries``), with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.accounts import User
from models.hiring import PipelineEntry, PipelineNote
from models.profiles import Profile
from resolvers.accounts.loaders import users_by_id
from resolvers.hiring.loaders import last_note_by_entry_id, tags_by_entry_id
from resolvers.loading import Loaders
from resolvers.profiles.access import identity_is_plain
from resolvers.profiles.loaders import fetch, profiles_by_user_id
from resolvers.profiles.prefetch import ProfileSelection, prefetch_profiles
from resolvers.profiles.visibility import access_of, stamp_identity, visible_profiles

ENTRY_ATTR = "_ofw_entry"  # entry → {"candidate" | "profile" | "last_note" | "tags": value}
AUTHOR_ATTR = "_ofw_author"  # note → User | None
MISSING: Any = object()


@dataclass(frozen=True)
class EntrySelection:
    """What a client selected below each entry of a page: any of ``candidate``,
    ``profile``, ``last_note``, ``last_note_author``, ``tags``, and what it asks below
    ``profile``."""

    fields: frozenset[str] = frozenset()
    profile: ProfileSelection = field(default_factory=ProfileSelection)


def prefetched(entry: PipelineEntry, name: str) -> Any:
    """What the prefetch left on ``entry`` under ``name``; ``MISSING`` if nothing."""
    return entry.__dict__.get(ENTRY_ATTR, {}).get(name, MISSING)


async def prefetch_entries(
    loaders: Loaders, viewer: User, entries: Sequence[PipelineEntry], selection: EntrySelection
) -> None:
    """Load what ``selection`` asks of every entry at once (module doc). The entries are
    a page of the viewer's company's (``queries.pipeline_page`` checked the role)."""
    if not entries or not selection.fields:
        return
    found: dict[int, dict[str, Any]] = {id(entry): {} for entry in entries}
    ids = [entry.pk for entry in entries]
    notes: list[PipelineNote | None] = []
    if "last_note" in selection.fields:
        notes = await fetch(loaders, last_note_by_entry_id, ids, whole_batch=True)
        for entry, note in zip(entries, notes, strict=True):
            found[id(entry)]["last_note"] = note
    if "tags" in selection.fields:
        for entry, tags in zip(entries, await fetch(loaders, tags_by_entry_id, ids, whole_batch=True), strict=True):
            found[id(entry)]["tags"] = tags
    # Candidates and note authors: one statement for both.
    wanted: set[int] = set()
    if "candidate" in selection.fields:
        wanted.update(entry.candidate_id for entry in entries if entry.candidate_id is not None)
    if "last_note_author" in selection.fields:
        wanted.update(note.author_id for note in notes if note is not None and note.author_id is not None)
    people = {user.pk: user for user in await fetch(loaders, users_by_id, sorted(wanted), whole_batch=True) if user}
    for note in notes:
        if note is not None and "last_note_author" in selection.fields:
            object.__setattr__(note, AUTHOR_ATTR, people.get(note.author_id) if note.author_id is not None else None)
    if selection.fields & {"candidate", "profile"}:
        await _prefetch_people(loaders, viewer, entries, selection, people, found)
    setter = object.__setattr__
    for entry in entries:
        setter(entry, ENTRY_ATTR, found[id(entry)])


def prefetched_author(note: PipelineNote) -> Any:
    """The author the prefetch left on ``note``; ``MISSING`` if nothing."""
    return note.__dict__.get(AUTHOR_ATTR, MISSING)


async def _prefetch_people(
    loaders: Loaders, viewer: User, entries: Sequence[PipelineEntry], selection: EntrySelection,
    people: dict[int, User], found: dict[int, dict[str, Any]],
) -> None:
    """Each entry's profile as the viewer may see it (stamped) and the candidate when the
    viewer may see who she is — ``queries.profile_of`` / ``candidate_of`` for the page."""
    present = [entry for entry in entries if entry.candidate_id is not None]
    user_ids = [entry.candidate_id for entry in present if entry.candidate_id is not None]
    profiles: list[Profile | None] = await fetch(loaders, profiles_by_user_id, user_ids, whole_batch=True)
    visible = await visible_profiles(loaders, viewer, profiles)
    for entry in entries:
        found[id(entry)].update(candidate=None, profile=None)
    for entry, profile, user_id in zip(present, visible, user_ids, strict=True):
        found[id(entry)]["profile"] = profile
        user = people.get(user_id)
        if user is None or user.deleted_at is not None:
            continue
        # identities_visible's rule, from the profile stamped above.
        shown = identity_is_plain(viewer, user) or (profile is not None and access_of(profile).identity)
        stamp_identity(user, shown)
        found[id(entry)]["candidate"] = user if shown else None
    if "profile" in selection.fields:
        await prefetch_profiles(loaders, viewer, visible, selection.profile)
