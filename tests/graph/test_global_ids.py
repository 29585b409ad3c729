"""Every ID names one object of one type (issue 20; the Global Object Identification spec).

Relay's store keys records by ``id`` alone, Apollo's by ``__typename`` + ``id``: an id shared
by two types (``SearchCandidate.id`` used to be the Profile's) makes Relay merge two objects.
Nothing here lists cases: the checks are generated from the schema.

- Static: every object type with an ``id`` field implements ``Node`` and has a ``node(id:)``
  resolver registered under its own name, and every registered name is such a type.
- Live: in a world built from bare sign-ups, one query per root field selects ``__typename``
  and ``id`` of every object reachable without required arguments; over all answers of three
  viewers no id maps to two typenames, each id decodes (``resolvers/ids.py``) to the typename
  it came with, every type with an ``id`` was reached, and ``nodes(ids:)`` gives each one back
  as the same type.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    build_schema,
    get_named_type,
    is_leaf_type,
)

from graph.schema import export_schema
from graph.settings import Settings
from graph.types.node import MAX_NODES, registered_node_types
from resolvers.ids import parse_global_id
from tests.conftest import base_settings
from tests.factories.accounts import PASSWORD, SIGN_UP, confirm_email
from tests.factories.safety import make_moderator
from tests.graphql import GraphQLClient

SCHEMA: GraphQLSchema = build_schema(export_schema())
# The walk selects every reachable object once per path: deeper and longer than an app's
# documents, so this test's server allows it (the limits are not what is tested here).
MAX_WALK_DEPTH = 9
REFUSALS = {"FORBIDDEN", "UNAUTHENTICATED"}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url, max_depth=30, max_tokens=200_000, max_aliases=1_000)


def types_with_id() -> dict[str, GraphQLObjectType]:
    return {
        name: t
        for name, t in SCHEMA.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__") and "id" in t.fields
    }


# --- static ---------------------------------------------------------------------------------


def test_every_type_with_an_id_is_a_node_that_node_can_fetch() -> None:
    node = SCHEMA.get_type("Node")
    not_nodes = sorted(name for name, t in types_with_id().items() if node not in t.interfaces)
    assert not_nodes == [], f"types with an `id` that do not implement Node: {not_nodes}"
    id_types = {name: str(t.fields["id"].type) for name, t in types_with_id().items()}
    assert set(id_types.values()) == {"ID!"}, id_types
    # node(id:) dispatches on the type name inside the id: each type is registered under its own name
    assert registered_node_types() == set(types_with_id())


# --- the generated walk -----------------------------------------------------------------------


def _needs_arguments(field: GraphQLField) -> bool:
    return any(isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined for arg in field.args.values())


def selection(type_: Any, depth: int, path: frozenset[str]) -> str | None:
    """``{ __typename id … }`` over every object field reachable from ``type_`` without
    required arguments, expanding a type at most once per path; None when nothing to select."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return None
    parts = ["__typename"]
    if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)) and "id" in named.fields:
        parts.append("id")
    if isinstance(named, GraphQLObjectType) and depth > 0 and named.name not in path:
        for name, field in named.fields.items():
            if _needs_arguments(field):
                continue
            inner = selection(field.type, depth - 1, path | {named.name})
            if inner is not None:
                parts.append(f"{name} {inner}")
    if parts == ["__typename"] and not isinstance(named, GraphQLObjectType):
        return None
    return "{ " + " ".join(parts) + " }"


def walk_documents() -> dict[str, str]:
    """One query per root field that takes no required argument."""
    query = SCHEMA.query_type
    assert query is not None
    documents = {}
    for name, field in query.fields.items():
        if _needs_arguments(field) or is_leaf_type(get_named_type(field.type)):
            continue
        inner = selection(field.type, MAX_WALK_DEPTH, frozenset({query.name}))
        if inner is not None:
            documents[name] = f"query Walk {{ {name} {inner} }}"
    return documents


def collect(value: Any, into: dict[str, set[str]]) -> None:
    if isinstance(value, list):
        for item in value:
            collect(item, into)
    elif isinstance(value, dict):
        if "id" in value and "__typename" in value:
            into[value["id"]].add(value["__typename"])
        for item in value.values():
            collect(item, into)


async def ids_seen_by(gql: GraphQLClient, token: str | None) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = defaultdict(set)
    for root, document in walk_documents().items():
        result = await gql.post(document, token=token)
        unexpected = [e for e in result.errors if (e.get("extensions") or {}).get("code") not in REFUSALS]
        assert unexpected == [], f"{root}: {unexpected}"
        collect(result.data, seen)
    return seen


# --- a world built the way users build it -------------------------------------------------------

UPDATE_PROFILE = """
mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id handle } userErrors { code } } }
"""
ADD = {
    "addSkill": ("AddSkillInput", "skill { id }"),
    "addExperience": ("AddExperienceInput", "experience { id }"),
    "addEducation": ("AddEducationInput", "education { id }"),
    "addWorkSample": ("AddWorkSampleInput", "workSample { id }"),
    "addReference": ("AddReferenceInput", "reference { id }"),
    "endorseSkill": ("EndorseSkillInput", "endorsement { id }"),
    "blockCompany": ("BlockCompanyInput", "block { id }"),
    "saveSearch": ("SaveSearchInput", "savedSearch { id }"),
    "startConversation": ("StartConversationInput", "conversation { id }"),
    "respondToContact": ("RespondToContactInput", "conversation { id }"),
    "sendMessage": ("SendMessageInput", "message { id }"),
    "extendOffer": ("ExtendOfferInput", "offer { id }"),
    "proposeInterview": ("ProposeInterviewInput", "interview { id }"),
    "reportContent": ("ReportContentInput", "report { id }"),
    "createRole": ("CreateRoleInput", "role { id }"),
    "addToPipeline": ("AddToPipelineInput", "entry { id version }"),
    "createPipelineStage": ("CreatePipelineStageInput", "stage { id }"),
    "movePipelineEntry": ("MovePipelineEntryInput", "entry { id }"),
    "addPipelineNote": ("AddPipelineNoteInput", "note { id }"),
    "createPipelineTag": ("CreatePipelineTagInput", "tag { id }"),
    "setPipelineEntryTags": ("SetPipelineEntryTagsInput", "entry { id }"),
}
VIEW_PROFILE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
CONFIRM = "mutation { confirmAvailability { userErrors { code } } }"


async def do(gql: GraphQLClient, mutation: str, input: dict[str, Any], token: str) -> dict[str, Any]:
    input_type, selected = ADD[mutation]
    document = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {selected} userErrors {{ code message }} }} }}"
    return await gql.mutate(document, input, token=token)


async def sign_up(gql: GraphQLClient, email: str, role: str, **extra: str) -> dict[str, Any]:
    """Sign up through the API; an employer then confirms the email from the mail, as a
    newcomer does before searching or contacting anyone."""
    payload = await gql.mutate(
        SIGN_UP, {"email": email, "password": PASSWORD, "displayName": email.split("@")[0], "role": role, **extra}
    )
    if role == "EMPLOYER":
        await confirm_email(gql, payload["token"], email)
    return payload


async def build_world(gql: GraphQLClient, settings: Settings) -> dict[str, str]:
    """A candidate with every profile part, endorsed, blocking a company, viewed, searched,
    contacted, offered a job and reported, and a newcomer asking to join the company; returns the viewers' tokens (a moderator's too)."""
    ada = await sign_up(gql, "ada@mail.test", "CANDIDATE")
    bo = await sign_up(gql, "bo@mail.test", "CANDIDATE")
    grace = await sign_up(gql, "grace@acme.test", "EMPLOYER", companyName="Acme")
    await sign_up(gql, "eve@rival.test", "EMPLOYER", companyName="Rival")
    await sign_up(gql, "joe@acme.test", "EMPLOYER", companyName="Acme")  # confirming asks to join Acme
    a, b, g = ada["token"], bo["token"], grace["token"]
    profile = (await gql.mutate(UPDATE_PROFILE, {
        "visibility": "PUBLIC", "openToWork": "ACTIVELY_LOOKING", "headline": "Backend engineer", "countryCode": "DE",
    }, token=a))["profile"]
    await gql.execute(CONFIRM, token=a)
    skill = (await do(gql, "addSkill", {"name": "Python", "level": 5}, a))["skill"]
    await do(gql, "addExperience", {"title": "Engineer", "companyName": "Docks", "startDate": "2015-01-01", "current": True}, a)
    await do(gql, "addEducation", {"school": "TU Berlin"}, a)
    await do(gql, "addWorkSample", {"title": "Parser", "url": "https://example.com/parser"}, a)
    await do(gql, "addReference", {"name": "Rita", "relationship": "Manager", "contact": "rita@mail.test"}, a)
    await do(gql, "blockCompany", {"domain": "rival.test"}, a)
    await do(gql, "endorseSkill", {"skillId": skill["id"], "comment": "Sharp"}, b)
    await gql.execute(VIEW_PROFILE, {"id": profile["id"]}, token=g)  # an access log entry
    await do(gql, "saveSearch", {"name": "Pythonistas", "query": "python"}, g)
    conversation = (await do(gql, "startConversation", {
        "candidateId": profile["id"], "roleTitle": "Backend engineer",
        "salaryRange": {"min": 70000, "max": 90000, "currency": "EUR", "period": "YEAR"}, "message": "Hello Ada",
    }, g))["conversation"]
    await do(gql, "respondToContact", {"conversationId": conversation["id"], "accept": True}, a)
    await do(gql, "sendMessage", {"conversationId": conversation["id"], "body": "Glad to talk"}, a)
    await do(gql, "extendOffer", {"conversationId": conversation["id"], "terms": {
        "title": "Backend engineer", "salary": {"amount": 85000, "currency": "EUR", "period": "YEAR"},
    }}, g)
    await do(gql, "proposeInterview", {
        "conversationId": conversation["id"], "slots": [(datetime.now(timezone.utc) + timedelta(days=5)).replace(microsecond=0).isoformat()], "durationMinutes": 30,
        "kind": "PHONE", "interviewerIds": [grace["viewer"]["id"]],
    }, g)
    await build_pipeline(gql, g, profile["id"])
    await do(gql, "reportContent", {"target": profile["id"], "reason": "SPAM"}, g)
    moderator = await make_moderator(settings, gql)
    return {"candidate": a, "employer": g, "endorser": b, "moderator": moderator.token}


async def build_pipeline(gql: GraphQLClient, token: str, candidate_id: str) -> None:
    """A role with the candidate on it, at a stage of the company's own, noted and tagged."""
    role = (await do(gql, "createRole", {"title": "Backend engineer", "salaryRange": {
        "min": 70000, "max": 90000, "currency": "EUR", "period": "YEAR"}}, token))["role"]
    entry = (await do(gql, "addToPipeline", {"roleId": role["id"], "candidateId": candidate_id}, token))["entry"]
    stage = (await do(gql, "createPipelineStage", {"name": "Take-home task"}, token))["stage"]
    await do(gql, "movePipelineEntry", {"entryId": entry["id"], "version": entry["version"], "stage": "CUSTOM",
                                        "customStageId": stage["id"]}, token)
    await do(gql, "addPipelineNote", {"entryId": entry["id"], "body": "Solid take-home."}, token)
    tag = (await do(gql, "createPipelineTag", {"name": "backend"}, token))["tag"]
    await do(gql, "setPipelineEntryTags", {"entryId": entry["id"], "tagIds": [tag["id"]]}, token)


@pytest.mark.usefixtures("backend")
async def test_no_id_names_two_types_and_each_names_its_own(gql: GraphQLClient, settings: Settings) -> None:
    # given: a world built from bare sign-ups (and a moderator, made from the command line)
    tokens = await build_world(gql, settings)
    # when: every viewer (and nobody) walks everything reachable from Query
    seen: dict[str, set[str]] = defaultdict(set)
    by_viewer: dict[str | None, dict[str, set[str]]] = {}
    for token in [*tokens.values(), None]:
        by_viewer[token] = await ids_seen_by(gql, token)
        for id_, typenames in by_viewer[token].items():
            seen[id_] |= typenames
    # then: one type per id, and the id says which
    shared = {id_: sorted(names) for id_, names in seen.items() if len(names) > 1}
    assert shared == {}, f"ids returned as two types: {shared}"
    mislabelled = {id_: (names, parse_global_id(id_)[0]) for id_, names in seen.items() if {parse_global_id(id_)[0]} != names}
    assert mislabelled == {}, f"ids that decode to another type than their __typename: {mislabelled}"
    # and: the walk reached every type that has an id (extend build_world when a type is added)
    reached = {name for names in seen.values() for name in names}
    assert set(types_with_id()) - reached == set()
    # and: node(id:) gives an id back as the same type or as null (a User outside your company
    # is null by node(id:) though it shows as an endorser or sender), and every type comes back
    refetched: set[str] = set()
    for token, ids in by_viewer.items():
        wanted = sorted(ids)
        for start in range(0, len(wanted), MAX_NODES):
            chunk = wanted[start:start + MAX_NODES]
            data = await gql.execute(NODES, {"ids": chunk}, token=token)
            for id_, node in zip(chunk, data["nodes"], strict=True):
                if node is not None:
                    assert (node["id"], {node["__typename"]}) == (id_, ids[id_])
                    refetched.add(node["__typename"])
    assert set(types_with_id()) - refetched == set()


# --- what the new ids do --------------------------------------------------------------------------

SEARCH = "query($q: String) { searchCandidates(query: $q) { edges { node { id profileId profile { id } } } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
MY_BLOCKS = "{ myBlocks { edges { node { id } } } }"


@pytest.mark.usefixtures("backend")
async def test_a_search_result_is_refetched_by_employers_only_and_names_the_candidate(gql: GraphQLClient, settings: Settings) -> None:
    # given: a new candidate visible to employers, a new employer, and another candidate
    tokens = await build_world(gql, settings)
    found = (await gql.execute(SEARCH, {"q": "backend"}, token=tokens["employer"]))["searchCandidates"]["edges"]
    node = found[0]["node"]
    # then: the result and its profile are two objects, one reachable from the other
    assert node["profileId"] == node["profile"]["id"] != node["id"]
    # node(id:) gives the result back to employers, to nobody else
    assert (await gql.execute(NODE, {"id": node["id"]}, token=tokens["employer"]))["node"] == {
        "__typename": "SearchCandidate", "id": node["id"],
    }
    for token in (tokens["candidate"], tokens["endorser"], None):
        assert (await gql.execute(NODE, {"id": node["id"]}, token=token))["node"] is None
    # a block is refetched by the candidate who made it only
    block_id = (await gql.execute(MY_BLOCKS, token=tokens["candidate"]))["myBlocks"]["edges"][0]["node"]["id"]
    assert (await gql.execute(NODE, {"id": block_id}, token=tokens["candidate"]))["node"]["__typename"] == "Block"
    for token in (tokens["employer"], tokens["endorser"], None):
        assert (await gql.execute(NODE, {"id": block_id}, token=token))["node"] is None


@pytest.mark.usefixtures("backend")
@pytest.mark.parametrize("field", ["id", "profileId"])
async def test_start_conversation_takes_the_result_id_or_its_profile_id(gql: GraphQLClient, field: str) -> None:
    # given: bare sign-ups; the candidate makes herself findable
    ada = await sign_up(gql, "ada@mail.test", "CANDIDATE")
    grace = await sign_up(gql, "grace@acme.test", "EMPLOYER", companyName="Acme")
    await gql.mutate(UPDATE_PROFILE, {"visibility": "EMPLOYERS", "openToWork": "OPEN", "headline": "Backend engineer"}, token=ada["token"])
    await gql.execute(CONFIRM, token=ada["token"])
    node = (await gql.execute(SEARCH, {"q": "backend"}, token=grace["token"]))["searchCandidates"]["edges"][0]["node"]
    # when: the employer contacts her with the id she has from the search
    started = await do(gql, "startConversation", {
        "candidateId": node[field], "roleTitle": "Backend engineer",
        "salaryRange": {"min": 70000, "max": 90000, "currency": "EUR", "period": "YEAR"}, "message": "Hello",
    }, grace["token"])
    # then
    assert started["conversation"]["id"]
