"""Privacy on every path to a person, generated from the schema.

``test_authorization_matrix`` checks the root fields; this checks nesting. The schema is
walked (``build_schema(export_schema())``, the SDL strawberry exports): from every root
field of ``Query``, every path that reaches a field of type ``User`` or ``Profile``
(lists, connections and non-null unwrapped; interfaces expanded to their types) is
selected, bounded by ``MAX_HOPS`` field hops and cut where a type repeats on the path
(the repeated ``User``/``Profile`` still gets its scalar fields). Every object on such a
path selects all its scalar fields, so identities beside the person (a search edge's
``displayName``, an export) are read too. Root fields that reach no person are read with
all their scalars as well (the access log, blocks, the export).

The world: one anonymous candidate (PUBLIC, anonymous) and one hidden candidate (HIDDEN
after her conversations started) reachable through every such path — endorsements given
and received, conversations and messages with four companies, offers, the access log,
search, interviews, hiring pipelines, reports, notifications and ``node``/``nodes``
with every ID any viewer saw. Each viewer of the matrix runs
every generated document; no response (data or errors) may contain an identity (display
name, handle, email) of a person the viewer may not identify.

A new field of type ``User`` or ``Profile`` is picked up by the walk. If it is reachable
only as a mutation or subscription result, ``test_every_path_to_a_person_is_exercised``
fails until it is listed in ``OWN_RESULTS`` with the reason it can only return the
viewer's own data (or the world reaches it from a query).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)

from graph.schema import export_schema
from graph.settings import Settings
from resolvers.ids import parse_global_id
from tests.conftest import base_settings
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.safety import make_moderator
from tests.graphql import GraphQLClient

SCHEMA: GraphQLSchema = build_schema(export_schema())
PERSON_TYPES = frozenset({"User", "Profile"})
MAX_HOPS = 9

# Fields of a person type that only ever answer the viewer's own data (or, for an admin,
# a colleague's): results of the viewer's own mutations. Reaching them from a query root
# is not possible.
OWN_RESULTS = {
    "AuthPayload.viewer": "signUp/logIn answer the account that just signed in",
    "ConfirmEmailPayload.viewer": "confirmEmail answers the account that confirmed its email",
    "SetMemberRolePayload.member": "setMemberRole answers a member of the admin's own company (an employer)",
    "ProfilePayload.profile": "the candidate's own profile after her own edit",
    "SkillPayload.profile": "the candidate's own profile after her own edit",
    "ExperiencePayload.profile": "the candidate's own profile after her own edit",
    "EducationPayload.profile": "the candidate's own profile after her own edit",
    "WorkSamplePayload.profile": "the candidate's own profile after her own edit",
    "ReferencePayload.profile": "the candidate's own profile after her own edit",
}

# Fields of a person type that only ever answer an employer of the viewer's own company
# (never a candidate): the walk reaches them, but never with one of the world's candidates.
COLLEAGUES_ONLY = {
    "HiringRole.owner": "the employer who created the role",
    "HiringRole.team": "employers of the role's company",
    "PipelineEntry.addedBy": "the employer who added the candidate",
    "PipelineNote.author": "the employer who wrote the note",
    "PipelineRating.author": "the employer who rated",
    "PipelineMove.actor": "the employer who moved the entry by hand (null for automatic moves)",
    "Interview.interviewers": "employers of the interview's company",
    "InterviewFeedback.author": "the employer who wrote the feedback (never shown to the candidate)",
    "JoinRequest.user": "an employer asking to join the admin's company",
    "UserEdge.node": "companyMembers: the employers of the viewer's own company",
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The generated documents are deeper and longer than a client's: the protection
    limits are raised for this test only (they are tested in test_hardening)."""
    return base_settings(database_url, max_depth=64, max_tokens=1_000_000, max_aliases=100_000, max_selections=1_000_000)


# --- the walk ---------------------------------------------------------------------------


def _required_args(f: Any) -> bool:
    return any(is_non_null_type(a.type) and a.default_value is None for a in f.args.values())


def person_fields() -> set[str]:
    """Every ``Type.field`` in the schema whose (unwrapped) type is a person type."""
    found = set()
    for t in SCHEMA.type_map.values():
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType)) and not t.name.startswith("__"):
            for name, f in t.fields.items():
                if get_named_type(f.type).name in PERSON_TYPES:
                    found.add(f"{t.name}.{name}")
    return found


def _conflicting_fields(t: GraphQLInterfaceType) -> frozenset[str]:
    """Field names the types of ``t`` declare with different types."""
    types: dict[str, set[str]] = {}
    for impl in SCHEMA.get_possible_types(t):
        for name, f in impl.fields.items():
            types.setdefault(name, set()).add(str(f.type))
    return frozenset(name for name, found in types.items() if len(found) > 1)


def selection(t: Any, path: frozenset[str], hops: int, everything: bool = False, aliased: frozenset[str] = frozenset()) -> str | None:
    """The selection set below ``t`` reaching every person field within the bounds, with
    all scalar fields of each object on the way; None when no person is reachable (and
    not ``everything``). An interface (such as ``Notification.subject: Node``) expands to a
    fragment per type; fields its types declare with different types (``status``) are
    ``aliased`` ``<Type>_<field>``, since fragments on different types may not share a
    response name with different types; ``reached`` reads the alias back."""
    if isinstance(t, GraphQLInterfaceType):
        parts = [
            f"... on {impl.name} {{ {s} }}"
            for impl in SCHEMA.get_possible_types(t)
            if (s := selection(impl, path, hops, everything, aliased=_conflicting_fields(t)))
        ]
        return f"__typename {' '.join(parts)}" if parts else None
    leaves: list[str] = ["__typename"]
    children: list[str] = []
    reaches = t.name in PERSON_TYPES
    for name, f in t.fields.items():
        if _required_args(f):
            continue
        inner = get_named_type(f.type)
        key = f"{t.name}_{name}: {name}" if name in aliased else name
        if is_leaf_type(inner):
            leaves.append(key)
            continue
        if t.name in path or hops >= MAX_HOPS:
            continue
        s = selection(inner, path | {t.name}, hops + 1, everything)
        if s:
            children.append(f"{key} {{ {s} }}")
            reaches = True
    return " ".join(leaves + children) if reaches or everything else None


def root_selection(name: str) -> str:
    """What a root field's documents select (empty for a scalar root)."""
    inner = get_named_type(SCHEMA.query_type.fields[name].type)  # type: ignore[union-attr]  # the schema has a Query type
    if is_leaf_type(inner):
        return ""
    s = selection(inner, frozenset({"Query"}), 1) or selection(inner, frozenset({"Query"}), 1, everything=True)
    return f"{{ {s} }}"


def _type_of_id(global_id: str) -> str:
    return parse_global_id(global_id)[0]


def documents(world: World, ids: list[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(root field, document, variables) for every root field of Query. Roots with required
    arguments get them from the world (IDs: every ID seen so far)."""
    for name, f in SCHEMA.query_type.fields.items():  # type: ignore[union-attr]  # the schema has a Query type
        if name == "node":
            # one named fragment per type, spread in each aliased `node`: the selections are
            # deep, and repeating one per ID would outgrow the request body limit
            parts, fragments = [], {}
            for i, gid in enumerate(ids):
                type_name = _type_of_id(gid)
                if type_name not in fragments:
                    s = selection(SCHEMA.get_type(type_name), frozenset({"Query"}), 1, everything=True)
                    fragments[type_name] = f"fragment All{type_name} on {type_name} {{ {s} }}"
                parts.append(f"n{i}: node(id: {json.dumps(gid)}) {{ __typename ...All{type_name} }}")
            if parts:
                yield name, "{ " + " ".join(parts) + " } " + " ".join(fragments.values()), {}
        elif name == "nodes":
            # one list per type: fragments on different types may not share a response
            # name with different types (`status`)
            by_type: dict[str, list[str]] = {}
            for gid in ids:
                by_type.setdefault(_type_of_id(gid), []).append(gid)
            parts = []
            for i, (type_name, group) in enumerate(sorted(by_type.items())):
                s = selection(SCHEMA.get_type(type_name), frozenset({"Query"}), 1, everything=True)
                parts.append(f"t{i}: nodes(ids: {json.dumps(group)}) {{ __typename ... on {type_name} {{ {s} }} }}")
            if parts:
                yield name, "{ " + " ".join(parts) + " }", {}
        elif name == "profile":
            parts = [f"h{i}: profile(handle: {json.dumps(h)}) {root_selection(name)}" for i, h in enumerate(world.handles)]
            yield name, "{ " + " ".join(parts) + " }", {}
        elif name in {"conversation", "offer", "role", "pipeline", "interview"}:
            wanted = {"conversation": "Conversation", "offer": "Offer", "role": "HiringRole", "pipeline": "HiringRole",
                      "interview": "Interview"}[name]
            argument = "roleId" if name == "pipeline" else "id"
            parts = [
                f"x{i}: {name}({argument}: {json.dumps(gid)}) {root_selection(name)}"
                for i, gid in enumerate(ids) if _type_of_id(gid) == wanted
            ]
            if parts:
                yield name, "{ " + " ".join(parts) + " }", {}
        else:
            assert not _required_args(f), f"Query.{name} needs argument values in documents()"
            yield name, f"{{ {name} {root_selection(name)} }}", {}


def reached(value: Any, t: Any, found: set[tuple[str, str]], parent: str | None = None, field_name: str = "") -> None:
    """Record ``(Type.field, person id)`` for every non-null person object in a response."""
    if value is None:
        return
    while is_non_null_type(t) or is_list_type(t):
        if is_list_type(t):
            for item in value:
                reached(item, t.of_type, found, parent, field_name)
            return
        t = t.of_type
    if is_leaf_type(t) or not isinstance(value, dict):
        return
    if isinstance(t, GraphQLInterfaceType):
        t = SCHEMA.get_type(value["__typename"])
    if t.name in PERSON_TYPES and parent is not None:
        found.add((f"{parent}.{field_name}", value.get("id", "")))
    for key, child in value.items():
        if key.startswith(f"{t.name}_") and key not in t.fields:
            key = key[len(t.name) + 1:]  # aliased in an interface's fragment (``selection``)
        if key in t.fields:
            reached(child, t.fields[key].type, found, t.name, key)


# --- the world --------------------------------------------------------------------------

UPDATE = "mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id handle } userErrors { code message } } }"
ADD_SKILL = "mutation($input: AddSkillInput!) { addSkill(input: $input) { skill { id } userErrors { code message } } }"
ENDORSE = "mutation($input: EndorseSkillInput!) { endorseSkill(input: $input) { endorsement { id } userErrors { code message } } }"
START = "mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } userErrors { code message } } }"
RESPOND = "mutation($input: RespondToContactInput!) { respondToContact(input: $input) { userErrors { code message } } }"
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } userErrors { code message } } }"
BLOCK = "mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { userErrors { code message } } }"
OFFER = "mutation($input: ExtendOfferInput!) { extendOffer(input: $input) { offer { id } userErrors { code message } } }"
SAVE = "mutation($input: SaveSearchInput!) { saveSearch(input: $input) { savedSearch { id } userErrors { code message } } }"
CONFIRM = "mutation { confirmAvailability { userErrors { code } } }"
INTERVIEW = "mutation($input: ProposeInterviewInput!) { proposeInterview(input: $input) { interview { id } userErrors { code message } } }"
REPORT = "mutation($input: ReportContentInput!) { reportContent(input: $input) { userErrors { code message } } }"

ID_ROOTS = frozenset({"node", "nodes", "conversation", "offer", "role", "pipeline", "interview"})
VIEWERS = ("anonymous", "candidate", "employer", "blocked", "domain_blocked", "accepted", "anna", "hilda", "moderator")


@dataclass
class Person:
    actor: Actor
    handle: str
    profile_id: str
    may_identify: frozenset[str]  # viewers who may see who she is

    @property
    def identity(self) -> list[str]:
        return [self.actor.display_name, self.handle, self.actor.email]


@dataclass
class World:
    people: dict[str, Person]
    tokens: dict[str, str | None]
    handles: list[str] = field(default_factory=list)


async def _candidate(gql: GraphQLClient, name: str, email: str, **profile: Any) -> tuple[Actor, str, str, str]:
    actor = await make_candidate(gql, name=name, email=email)
    updated = await gql.mutate(UPDATE, {"headline": "Data engineer", "openToWork": "ACTIVELY_LOOKING", **profile}, token=actor.token)
    skill = await gql.mutate(ADD_SKILL, {"name": "Python", "level": 4}, token=actor.token)
    return actor, updated["profile"]["handle"], updated["profile"]["id"], skill["skill"]["id"]


async def _contact(gql: GraphQLClient, employer: Actor, candidate: Actor, *, accept: bool) -> str:
    started = await gql.mutate(START, {
        "candidateId": candidate.id, "roleTitle": "Data engineer", "message": "Hello, a data role?",
        "salaryRange": {"min": 70000, "max": 90000, "currency": "EUR", "period": "YEAR"}}, token=employer.token)
    conversation = started["conversation"]["id"]
    if accept:
        await gql.mutate(RESPOND, {"conversationId": conversation, "accept": True}, token=candidate.token)
        await gql.mutate(SEND, {"conversationId": conversation, "body": "Happy to talk."}, token=candidate.token)
        await gql.mutate(SEND, {"conversationId": conversation, "body": "Great, thanks."}, token=employer.token)
    return conversation


async def _pipeline(gql: GraphQLClient, employer: Actor, people: list[Actor]) -> None:
    """A role of the company with the people on it, noted, rated and moved by hand."""
    role = await gql.mutate(
        "mutation($input: CreateRoleInput!) { createRole(input: $input) { role { id } userErrors { code message } } }",
        {"title": "Data engineer", "salaryRange": {"min": 70000, "max": 90000, "currency": "EUR", "period": "YEAR"}},
        token=employer.token)
    for person in people:
        entry = (await gql.mutate(
            "mutation($input: AddToPipelineInput!) { addToPipeline(input: $input) { entry { id version } userErrors { code message } } }",
            {"roleId": role["role"]["id"], "candidateId": person.id}, token=employer.token))["entry"]
        await gql.mutate(
            "mutation($input: AddPipelineNoteInput!) { addPipelineNote(input: $input) { note { id } userErrors { code message } } }",
            {"entryId": entry["id"], "body": "Strong SQL."}, token=employer.token)
        await gql.mutate(
            "mutation($input: RatePipelineEntryInput!) { ratePipelineEntry(input: $input) { rating { score } userErrors { code message } } }",
            {"entryId": entry["id"], "score": 3, "recommendation": "YES"}, token=employer.token)
        await gql.mutate(
            "mutation($input: MovePipelineEntryInput!) { movePipelineEntry(input: $input) { entry { id } userErrors { code message } } }",
            {"entryId": entry["id"], "version": entry["version"], "stage": "INTERVIEWING"}, token=employer.token)


async def build_world(gql: GraphQLClient, settings: Settings) -> World:
    anna, anna_handle, anna_profile, anna_skill = await _candidate(
        gql, "Anna Quillfeather", "zq-anna-7731@mail.test", visibility="PUBLIC", anonymous=True)
    hilda, hilda_handle, hilda_profile, hilda_skill = await _candidate(
        gql, "Hilda Marrowby", "zq-hilda-4419@mail.test", visibility="PUBLIC")
    pablo, pablo_handle, _, pablo_skill = await _candidate(gql, "Pablo Public", "pablo@mail.test", visibility="PUBLIC")
    other = await make_candidate(gql, name="Carl Other")
    employer = await make_employer(gql, company_name="Pending Co")
    blocked = await make_employer(gql, company_name="Blocked Co")
    domain_blocked = await make_employer(gql, email="hr@formerboss-zq.test", company_name="Former Boss")
    accepted = await make_employer(gql, company_name="Accepted Co")
    # endorsements given and received, between the two and with a public profile
    for endorser, skill in ((anna, pablo_skill), (hilda, pablo_skill), (pablo, anna_skill), (hilda, anna_skill), (anna, hilda_skill)):
        await gql.mutate(ENDORSE, {"skillId": skill, "comment": "Solid work"}, token=endorser.token)
    # conversations: requested (no contact yet), accepted then blocked, accepted
    for person in (anna, hilda):
        await _contact(gql, employer, person, accept=False)
        await _contact(gql, blocked, person, accept=True)
        await _contact(gql, domain_blocked, person, accept=True)
        conversation = await _contact(gql, accepted, person, accept=True)
        await gql.mutate(OFFER, {"conversationId": conversation, "terms": {
            "title": "Data engineer", "description": "Join the data team",
            "salary": {"amount": 85000, "currency": "EUR", "period": "YEAR"}}}, token=accepted.token)
        await gql.mutate(INTERVIEW, {
            "conversationId": conversation, "durationMinutes": 45, "kind": "VIDEO", "interviewerIds": [accepted.id],
            "url": "https://meet.example/data-role",
            "slots": [(datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0).isoformat()],
        }, token=accepted.token)
        await gql.mutate(BLOCK, {"companyId": blocked.company_id}, token=person.token)
        await gql.mutate(BLOCK, {"domain": "formerboss-zq.test"}, token=person.token)
    for company in (employer, accepted):
        await _pipeline(gql, company, [anna, hilda])
    await gql.mutate(UPDATE, {"visibility": "HIDDEN"}, token=hilda.token)
    for person in (anna, pablo):
        await gql.execute(CONFIRM, token=person.token)
    # access log entries and a saved search
    for viewer in (employer, accepted):
        await gql.execute("query($id: ID!) { node(id: $id) { id } }", {"id": anna_profile}, token=viewer.token)
    await gql.mutate(SAVE, {"name": "Data", "query": "data"}, token=employer.token)
    # reports: both report a company; moderators read the filings (and the reporter, by the
    # same identity rule as everywhere: a moderator does not identify either of them)
    for person in (anna, hilda):
        await gql.mutate(REPORT, {"target": employer.company_id, "reason": "SPAM"}, token=person.token)
    moderator = await make_moderator(settings, gql)
    tokens = {
        "anonymous": None, "candidate": other.token, "employer": employer.token, "blocked": blocked.token,
        "domain_blocked": domain_blocked.token, "accepted": accepted.token, "anna": anna.token, "hilda": hilda.token,
        "moderator": moderator.token,
    }
    people = {
        "anna": Person(anna, anna_handle, anna_profile, frozenset({"anna", "accepted"})),
        "hilda": Person(hilda, hilda_handle, hilda_profile, frozenset({"hilda"})),
    }
    return World(people, tokens, handles=[anna_handle, hilda_handle, pablo_handle])


# --- the test ---------------------------------------------------------------------------


def _ids_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "id" and isinstance(child, str):
                yield child
            else:
                yield from _ids_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from _ids_in(child)


async def test_no_path_shows_a_person_the_viewer_may_not_identify(gql: GraphQLClient, settings: Settings) -> None:
    # given
    world = await build_world(gql, settings)
    leaks: list[str] = []
    found: set[tuple[str, str]] = set()
    seen_by: dict[str, set[str]] = {name: set() for name in world.people}

    async def run(viewer: str, root: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await gql.post(document, variables or None, token=world.tokens[viewer])
        assert response.status_code == 200, (root, response)
        assert all(e.get("extensions", {}).get("code") in {"FORBIDDEN", "UNAUTHENTICATED"} for e in response.errors), (
            root, viewer, response.errors)
        text = json.dumps({"data": response.data, "errors": response.errors}).lower()
        for name, person in world.people.items():
            shown = [s for s in person.identity if s.lower() in text]
            if shown:
                seen_by[name].add(viewer)
            if shown and viewer not in person.may_identify:
                leaks.append(f"{viewer} sees {shown} through {root}")
        root_type = SCHEMA.query_type.fields[root].type  # type: ignore[union-attr]  # the schema has a Query type
        for value in (response.data or {}).values():  # aliases all stand for `root`
            reached(value, root_type, found, "Query", root)
        return response.data or {}

    # when: every root for every viewer, then the roots taking IDs with every ID seen
    ids: set[str] = {p.actor.id for p in world.people.values()} | {p.profile_id for p in world.people.values()}
    for viewer in VIEWERS:
        for root, document, variables in documents(world, sorted(ids)):
            if root in ID_ROOTS:
                continue
            ids.update(_ids_in(await run(viewer, root, document, variables)))
    for viewer in VIEWERS:
        for root, document, variables in documents(world, sorted(ids)):
            if root in ID_ROOTS:
                await run(viewer, root, document, variables)

    # then: nobody sees what she may not see ...
    assert sorted(set(leaks)) == [], "\n".join(sorted(set(leaks)))
    # ... and the world is real: each may be identified by the viewers entitled to it,
    assert {name: seen_by[name] for name in world.people} == {n: set(p.may_identify) for n, p in world.people.items()}
    # ... and every person field reachable from a query was reached with one of them.
    ours = {p.actor.id for p in world.people.values()} | {p.profile_id for p in world.people.values()}
    exercised = {path for path, person in found if person in ours}
    from_queries = {f"Query.{name}" for name, f in SCHEMA.query_type.fields.items()  # type: ignore[union-attr]  # the schema has a Query type
                    if get_named_type(f.type).name in PERSON_TYPES}
    expected = {p for p in person_fields() if p not in OWN_RESULTS and p not in COLLEAGUES_ONLY}
    assert expected - from_queries <= exercised, sorted(expected - from_queries - exercised)


def test_every_path_to_a_person_is_exercised() -> None:
    """A person field the walk cannot reach from a query root must be listed in
    ``OWN_RESULTS`` (with why it only returns the viewer's own data)."""
    reachable: set[str] = set()

    def collect(t: Any, path: frozenset[str], hops: int) -> None:
        if isinstance(t, GraphQLInterfaceType):
            for impl in SCHEMA.get_possible_types(t):
                collect(impl, path, hops)
            return
        if t.name in path or hops >= MAX_HOPS:
            return
        for name, f in t.fields.items():
            inner = get_named_type(f.type)
            if inner.name in PERSON_TYPES:
                reachable.add(f"{t.name}.{name}")
            if not is_leaf_type(inner):
                collect(inner, path | {t.name}, hops + 1)

    collect(SCHEMA.query_type, frozenset(), 0)
    assert sorted(person_fields() - reachable - set(OWN_RESULTS)) == []
    assert sorted(set(OWN_RESULTS) - person_fields()) == []  # no stale entries
