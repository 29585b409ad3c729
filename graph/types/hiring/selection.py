"""What a client selected below a page of pipeline entries, described for
``resolvers.hiring.prefetch`` (which plans and runs the loading). Nothing here loads or
decides what a viewer may see."""

from __future__ import annotations

from typing import Any

from graph.types.profiles.selection import describe_profiles, names_below
from resolvers.hiring.prefetch import EntrySelection

# GraphQL field of ``PipelineEntry`` → the name ``resolvers.hiring.prefetch`` loads it by.
PREFETCHABLE = {"candidate": "candidate", "profile": "profile", "lastNote": "last_note", "tags": "tags"}


def describe_entries(selections: list[Any]) -> EntrySelection:
    """What ``selections`` (``info.selected_fields`` of a connection of entries) ask of
    each entry at ``edges.node`` (fragments and aliases included)."""
    names = {PREFETCHABLE[name] for name in names_below(selections, "edges", "node") if name in PREFETCHABLE}
    if "author" in names_below(selections, "edges", "node", "lastNote"):
        names.add("last_note_author")
    return EntrySelection(
        fields=frozenset(names),
        profile=describe_profiles(selections, "edges", "node", "profile"),
    )
