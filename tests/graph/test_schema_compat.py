"""Breaking-change check: ``schema.graphql`` against the last released schema,
``schema.baseline.graphql``.

Clients are generated from the schema (examples/), so removing or changing what a released
schema offered breaks them. Every breaking change graphql-core finds (a removed type, field,
argument or enum value, a changed type, a new required argument or input field …) must be
listed in CHANGELOG.md under ``## [Unreleased]`` → ``### Breaking``, naming its schema
coordinate (``User.email``, ``Query.node(id:)``, ``Role.EMPLOYER``) or quoting graphql-core's
description. Additions pass without an entry.

A change of what a value means while its type stays (``SearchCandidate.id`` named the
candidate's Profile until issue 20) is invisible to the diff: such entries are made by hand,
and the check makes sure each coordinate an entry names exists in the baseline or the
current schema, so a misspelt entry cannot record nothing.

At release: move the Unreleased entries under the version heading and
``cp schema.graphql schema.baseline.graphql`` in the release commit (README, "For frontend
teams" → "Versioning").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graphql import build_schema
from graphql.utilities import BreakingChange, find_schema_changes

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema.graphql"
BASELINE = ROOT / "schema.baseline.graphql"
CHANGELOG = ROOT / "CHANGELOG.md"

# graphql-core writes descriptions such as "Field User.email was removed." or
# "Argument Query.node(id:) was removed."; the coordinate is the dotted, @-prefixed or
# argument-shaped name, else (type-level changes) the first capitalised name.
_COORDINATE = re.compile(r"@?[_A-Za-z]\w*(?:\.[_A-Za-z]\w*)?(?:\([_A-Za-z]\w*:\))?")
_WORDS = {"Field", "Argument", "Enum", "A", "An", "Description", "Standard", "Directive", "Repeatable"}


@dataclass(frozen=True)
class Breaking:
    kind: str
    description: str
    coordinate: str


def coordinate_of(description: str) -> str:
    names = _COORDINATE.findall(description)
    for name in names:
        if "." in name or "(" in name or name.startswith("@"):
            return name
    return next(name for name in names if name not in _WORDS and name[:1].isupper())


def breaking_changes(old_sdl: str, new_sdl: str) -> list[Breaking]:
    # find_breaking_changes is deprecated in graphql-core 3.3 in favour of this filter.
    changes = find_schema_changes(build_schema(old_sdl), build_schema(new_sdl))
    return [
        Breaking(change.type.name, change.description, coordinate_of(change.description))
        for change in changes
        if isinstance(change, BreakingChange)
    ]


def unreleased_breaking_section(changelog: str) -> str:
    """The text under ``## [Unreleased]`` → ``### Breaking`` (empty when absent)."""
    unreleased = re.search(r"^## \[?Unreleased\]?[^\n]*\n(.*?)(?=^## |\Z)", changelog, re.M | re.S | re.I)
    if not unreleased:
        return ""
    breaking = re.search(r"^### Breaking[^\n]*\n(.*?)(?=^#{2,3} |\Z)", unreleased.group(1), re.M | re.S | re.I)
    return breaking.group(1) if breaking else ""


def is_recorded(change: Breaking, section: str) -> bool:
    if change.description in section:
        return True
    pattern = r"(?<![\w.@])" + re.escape(change.coordinate) + r"(?![\w(])"
    return re.search(pattern, section) is not None


def unrecorded_breaking_changes(old_sdl: str, new_sdl: str, changelog: str) -> list[Breaking]:
    section = unreleased_breaking_section(changelog)
    return [change for change in breaking_changes(old_sdl, new_sdl) if not is_recorded(change, section)]


_NAMED = re.compile(r"`(@?[_A-Za-z]\w*\.[_A-Za-z]\w*(?:\([_A-Za-z]\w*:\))?)`")


def coordinate_exists(sdl: str, coordinate: str) -> bool:
    """``Type.field``, ``Type.field(arg:)``, ``Input.field`` or ``Enum.VALUE`` in ``sdl``."""
    match = re.fullmatch(r"(\w+)\.(\w+)(?:\((\w+):\))?", coordinate)
    if match is None:
        return False
    type_name, member, argument = match.groups()
    type_ = build_schema(sdl).type_map.get(type_name)
    members = getattr(type_, "fields", None) or getattr(type_, "values", None) or {}
    if member not in members:
        return False
    return argument is None or argument in getattr(members[member], "args", {})


def unknown_coordinates(old_sdl: str, new_sdl: str, changelog: str) -> list[str]:
    """Coordinates named in backticks under Unreleased → Breaking that exist in neither schema."""
    named = _NAMED.findall(unreleased_breaking_section(changelog))
    return [c for c in named if not coordinate_exists(old_sdl, c) and not coordinate_exists(new_sdl, c)]


# --- the check --------------------------------------------------------------------------

def test_schema_has_no_unrecorded_breaking_change() -> None:
    unrecorded = unrecorded_breaking_changes(BASELINE.read_text(), SCHEMA.read_text(), CHANGELOG.read_text())
    assert unrecorded == [], (
        "schema.graphql breaks clients generated from the released schema (schema.baseline.graphql). "
        "Keep the old field/argument/value (deprecate it with @deprecated), or list each change "
        "under CHANGELOG.md '## [Unreleased]' → '### Breaking' by its coordinate:\n"
        + "\n".join(f"  - `{change.coordinate}`: {change.description}" for change in unrecorded)
    )


def test_each_coordinate_the_breaking_entries_name_exists() -> None:
    unknown = unknown_coordinates(BASELINE.read_text(), SCHEMA.read_text(), CHANGELOG.read_text())
    assert unknown == [], f"CHANGELOG.md Unreleased → Breaking names coordinates in neither schema: {unknown}"


# --- the check works ---------------------------------------------------------------------

OLD = """
type Query {
  viewer: User
  node(id: ID!): Node
}
interface Node { id: ID! }
type User implements Node {
  id: ID!
  email: String
  role: Role!
}
enum Role { CANDIDATE EMPLOYER }
input SignUpInput { email: String! }
"""

CHANGELOG_WITHOUT_ENTRIES = """# Changelog

## [Unreleased]

### Added

- `User.email` is now documented better.

## [0.1.0] - 2026-01-01

### Breaking

- `User.email` was removed.
"""


def test_a_removed_field_is_reported_until_the_changelog_records_it() -> None:
    # given: the new schema drops User.email
    new = OLD.replace("  email: String\n", "")
    # when
    unrecorded = unrecorded_breaking_changes(OLD, new, CHANGELOG_WITHOUT_ENTRIES)
    # then: a mention under Added or under a released version does not count
    assert unrecorded == [Breaking("FIELD_REMOVED", "Field User.email was removed.", "User.email")]
    # when: the entry is made under Unreleased → Breaking
    recorded = CHANGELOG_WITHOUT_ENTRIES.replace(
        "### Added", "### Breaking\n\n- `User.email` is gone; ask `viewer { id }` instead.\n\n### Added"
    )
    # then
    assert unrecorded_breaking_changes(OLD, new, recorded) == []


def test_each_kind_of_breaking_change_is_named_by_its_coordinate() -> None:
    new = (
        OLD.replace("enum Role { CANDIDATE EMPLOYER }", "enum Role { CANDIDATE }")
        .replace("role: Role!", "role: Role")
        .replace("node(id: ID!): Node", "node(id: ID!, kind: String!): Node")
        .replace("input SignUpInput { email: String! }", "input SignUpInput { email: String! name: String! }")
        .replace("viewer: User\n", "viewer: Node\n")
    )
    coordinates = {(change.kind, change.coordinate) for change in breaking_changes(OLD, new)}
    assert coordinates == {
        ("VALUE_REMOVED_FROM_ENUM", "Role.EMPLOYER"),
        ("FIELD_CHANGED_KIND", "User.role"),
        ("REQUIRED_ARG_ADDED", "Query.node(kind:)"),
        ("REQUIRED_INPUT_FIELD_ADDED", "SignUpInput.name"),
        ("FIELD_CHANGED_KIND", "Query.viewer"),
    }


def test_a_removed_type_is_named_by_the_type() -> None:
    new = OLD.replace("input SignUpInput { email: String! }", "")
    assert [(c.kind, c.coordinate) for c in breaking_changes(OLD, new)] == [("TYPE_REMOVED", "SignUpInput")]
    recorded = "## [Unreleased]\n\n### Breaking\n\n- `SignUpInput` was removed.\n"
    assert unrecorded_breaking_changes(OLD, new, recorded) == []


def test_additions_need_no_changelog_entry() -> None:
    new = (
        OLD.replace("enum Role { CANDIDATE EMPLOYER }", "enum Role { CANDIDATE EMPLOYER ADMIN }")
        .replace("  email: String\n", "  email: String\n  displayName(short: Boolean = false): String\n")
        .replace("input SignUpInput { email: String! }", "input SignUpInput { email: String! name: String }")
        + "type Company implements Node { id: ID! }\n"
    )
    assert breaking_changes(OLD, new) == []


def test_the_baseline_is_a_valid_schema() -> None:
    assert build_schema(BASELINE.read_text()).query_type is not None


def test_a_misspelt_coordinate_in_a_breaking_entry_is_reported() -> None:
    changelog = "## [Unreleased]\n\n### Breaking\n\n- `User.emial` now means something else; `User.role`, `Query.node(id:)` too.\n"
    assert unknown_coordinates(OLD, OLD, changelog) == ["User.emial"]
    # a value-meaning change has no schema diff: the entry alone records it, and it names a real field
    assert breaking_changes(OLD, OLD) == [] and unknown_coordinates(OLD, OLD, changelog.replace("emial", "email")) == []
