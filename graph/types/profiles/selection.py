"""What a client selected below profiles, described for the resolver layer.

The GraphQL layer only *describes*: it turns strawberry's selection (fields, named and
inline fragments, aliases, literal or variable arguments) into the plain
``ProfileSelection`` / ``SkillSelection`` of ``resolvers.profiles.prefetch``, which plans
and runs the loading. Nothing here loads or decides what a viewer may see.
"""

from __future__ import annotations

from typing import Any

from resolvers.profiles.prefetch import ProfileSelection, SkillSelection

# GraphQL field of ``Profile`` → the name ``resolvers.profiles.prefetch`` loads it by.
PREFETCHABLE = {
    "displayName": "display_name",
    "skills": "skills",
    "experience": "experience",
    "education": "education",
    "workSamples": "work_samples",
    "references": "references",
}
DEFAULT_ENDORSEMENTS_PER_SKILL = 3  # the default of ``Skill.endorsements(first:)``


def describe_profiles(selections: list[Any], *path: str) -> ProfileSelection:
    """What ``selections`` (``info.selected_fields``) ask of each profile found at
    ``path`` below the current field, such as ``describe_profiles(info.selected_fields,
    "edges", "node")`` in a connection of profiles."""
    fields = _fields(selections)
    for name in path:
        fields = _named(_children(fields), name)
    fields = _children(fields)
    references = _named(fields, "references")
    return ProfileSelection(
        fields=frozenset(PREFETCHABLE[f.name] for f in fields if f.name in PREFETCHABLE),
        reference_contacts=bool(_named(_children(references), "contact")),
        skills=_describe_skills(_children(_named(fields, "skills"))),
    )


def describe_skills(selections: list[Any]) -> SkillSelection:
    """What ``selections`` (``info.selected_fields`` of a ``skills`` field) ask of each skill."""
    return _describe_skills(_children(_fields(selections)))


def asks_for(selections: list[Any], name: str) -> bool:
    """Is ``name`` selected directly below these fields (fragments included)?"""
    return bool(_named(_children(_fields(selections)), name))


def names_below(selections: list[Any], *path: str) -> frozenset[str]:
    """The names of the fields selected below ``path`` (fragments included), such as
    ``names_below(info.selected_fields, "edges", "node")`` in a connection."""
    fields = _fields(selections)
    for name in path:
        fields = _named(_children(fields), name)
    return frozenset(field.name for field in _children(fields))


def _describe_skills(fields: list[Any]) -> SkillSelection:
    endorsements = _named(fields, "endorsements")
    endorsers = _named(_children(endorsements), "endorser")
    about_endorser = _children(endorsers)
    firsts = (_int_argument(field, "first", DEFAULT_ENDORSEMENTS_PER_SKILL) for field in endorsements)
    return SkillSelection(
        endorsement_count=bool(_named(fields, "endorsementCount")),
        endorsement_firsts=frozenset(first for first in firsts if first is not None),
        endorsers=bool(endorsers),
        endorser_identity=bool(_named(about_endorser, "displayName") or _named(about_endorser, "identityHidden")),
    )


def _fields(selections: list[Any]) -> list[Any]:
    """The selected fields, fragments (named or inline) flattened."""
    found: list[Any] = []
    for selection in selections:
        if hasattr(selection, "arguments"):
            found.append(selection)
        else:
            found.extend(_fields(selection.selections))
    return found


def _children(fields: list[Any]) -> list[Any]:
    return _fields([child for field in fields for child in field.selections])


def _named(fields: list[Any], name: str) -> list[Any]:
    return [field for field in fields if field.name == name]


def _int_argument(field: Any, name: str, default: int) -> int | None:
    """An Int argument as strawberry's selection gives it (a literal arrives as its
    source text, a variable as its value); None when it cannot be read."""
    value = field.arguments.get(name, default)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value if isinstance(value, int) else None
