"""A page of profiles costs the same number of SQL statements whatever its size: every
nested list goes through a DataLoader (counted on the real connection, not mocked)."""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from tortoise import connections

import graph.schema as graph_schema
from graph.plain import FAIL
from models.profiles import AccessKind, AccessLogEntry, Profile, Visibility
from resolvers.ids import parse_global_id, to_global_id
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.profiles import accept_contact, make_profile, seed_full_profiles
from tests.graphql import GraphQLClient

PAGE = """
query Page($first: Int!) {
  profiles(first: $first) {
    edges { cursor node {
      id handle displayName headline yearsOfExperience stale desiredSalary { min }
      skills { name level endorsementCount endorsements(first: 3) { comment endorser { displayName } } }
      experience { title companyName } education { school } workSamples { title url }
      references { name relationship }
      endorsements(first: 3) { totalCount edges { node { comment } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
NODES = """
query($ids: [ID!]!) { nodes(ids: $ids) { ... on Profile { id handle skills { name endorsements(first: 3) { endorser { displayName } } } experience { companyName } } } }
"""

FRAGMENTS = """
query Page($first: Int!, $many: Int!) {
  profiles(first: $first) { edges { node { ...Card } } }
}
fragment Card on Profile {
  id displayName
  ... on Profile { skills { name endorsementCount few: endorsements(first: 1) { comment } ...Endorsed } }
  references { name contact }
}
fragment Endorsed on Skill { many: endorsements(first: $many) { endorser { displayName } } }
"""
CARD = """
query($id: ID!, $many: Int!) { node(id: $id) { ... on Profile {
  id displayName
  skills { name endorsementCount few: endorsements(first: 1) { comment } many: endorsements(first: $many) { endorser { displayName } } }
  references { name contact }
} } }
"""

_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script")


# The list of the ``count_statements`` block the current task runs in (tasks inherit it),
# or None: the app's background jobs (the in-process mail sender polls every 2 s) run in
# tasks of their own, started before any block, and are not counted.
_COUNTING: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("counting", default=None)


@contextlib.contextmanager
def count_statements() -> Iterator[list[str]]:
    """Wrap the real connection class's execute methods and record each statement run by
    the block (and the tasks it starts). Each method is wrapped where it is defined
    (``SqliteClient``, ``AsyncpgDBClient``), so the statements of transactions count too:
    their wrappers inherit the methods from there."""
    client_class = type(connections.get("default"))
    seen: list[str] = []
    owners = {name: next(k for k in client_class.__mro__ if name in vars(k)) for name in _METHODS}
    originals = {name: vars(owner)[name] for name, owner in owners.items()}

    def wrap(original):  # type: ignore[no-untyped-def]  # wraps each execute method, whatever its signature
        async def counted(self, query, *args, **kwargs):  # type: ignore[no-untyped-def]  # a stand-in for the patched method, any signature
            counting = _COUNTING.get()
            if counting is not None:
                counting.append(str(query))
            return await original(self, query, *args, **kwargs)

        return counted

    for name, original in originals.items():
        setattr(owners[name], name, wrap(original))
    token = _COUNTING.set(seen)
    try:
        yield seen
    finally:
        _COUNTING.reset(token)
        for name, original in originals.items():
            setattr(owners[name], name, original)


def infos_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record ``Type.field`` for every ``Info`` graphql-core builds from now on (a field
    resolved on its path, not walked by graph/plain.py)."""
    from graph.schema import ExecutionContext

    built: list[str] = []
    original = ExecutionContext.build_resolve_info

    def counted(self, field_def, field_nodes, parent_type, path):  # type: ignore[no-untyped-def]  # a stand-in for the patched method, any signature
        built.append(f"{parent_type.name}.{field_nodes[0].name.value}")
        return original(self, field_def, field_nodes, parent_type, path)

    monkeypatch.setattr(ExecutionContext, "build_resolve_info", counted)
    return built


async def test_page_of_5_and_page_of_50_cost_the_same_statements(gql: GraphQLClient) -> None:
    # given: 60 full profiles endorsed by two users (one public, one still hidden as after
    # sign-up), one of them blocks the employer
    employer = await make_employer(gql)
    fans = [(await make_profile(gql, visibility="PUBLIC")).actor, await make_candidate(gql)]
    ids = await seed_full_profiles(60, endorsers=[parse_global_id(f.id)[1] for f in fans])
    blocker = await make_profile(gql, visibility="EMPLOYERS")
    await gql.mutate(
        "mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { userErrors { code } } }",
        {"companyId": employer.company_id}, token=blocker.token,
    )
    await Profile.filter(id=ids[0]).update(visibility=Visibility.HIDDEN)
    # when
    await gql.execute("{ viewer { id } }", token=employer.token)  # the session is cached: both counts are the page's own
    with count_statements() as small:
        page5 = (await gql.execute(PAGE, {"first": 5}, token=employer.token))["profiles"]
    with count_statements() as large:
        page50 = (await gql.execute(PAGE, {"first": 50}, token=employer.token))["profiles"]
    # then
    assert len(page5["edges"]) == 5 and len(page50["edges"]) == 50
    assert len(small) == len(large), (small, large)
    assert len(large) <= 20
    nodes = [edge["node"] for edge in page50["edges"]]
    assert blocker.profile_id not in {n["id"] for n in nodes}
    assert to_global_id("Profile", ids[0]) not in {n["id"] for n in nodes}
    anonymous = [n for n in nodes if n["handle"] is None]
    assert anonymous and all(n["displayName"] is None and n["references"] is None for n in anonymous)
    assert all(n["experience"][0]["companyName"] is None for n in anonymous)
    named = [n for n in nodes if n["handle"] is not None]
    # the hidden endorser follows her own privacy rules (issue 12, item 3)
    assert {e["endorser"]["displayName"] for e in named[0]["skills"][0]["endorsements"]} == {fans[0].display_name, "Anonymous candidate"}
    assert all(n["skills"][0]["endorsementCount"] == 2 for n in nodes)
    assert all(n["endorsements"]["totalCount"] == 8 and len(n["endorsements"]["edges"]) == 3 for n in nodes)
    # browsing is not a view
    assert await AccessLogEntry.all().count() == 0


async def test_nodes_of_5_and_50_profiles_cost_the_same_statements(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    fan = await make_candidate(gql)
    ids = await seed_full_profiles(60, endorsers=[parse_global_id(fan.id)[1]])
    accepted = await make_profile(gql, visibility="EMPLOYERS", anonymous=True)
    await accept_contact(accepted, employer)
    global_ids = [to_global_id("Profile", pk) for pk in ids]
    # when
    await gql.execute("{ viewer { id } }", token=employer.token)  # the session is cached: both counts are the page's own
    with count_statements() as small:
        few = (await gql.execute(NODES, {"ids": [accepted.profile_id, *global_ids[:4]]}, token=employer.token))["nodes"]
    with count_statements() as large:
        many = (await gql.execute(NODES, {"ids": [accepted.profile_id, *global_ids[5:54]]}, token=employer.token))["nodes"]
    # then: views are logged for the whole batch (deduplicated within the hour)
    assert len(few) == 5 and len(many) == 50 and all(n is not None for n in many)
    assert few[0]["handle"] == accepted.handle  # accepted contact lifts anonymity
    assert len(small) == len(large), (small, large)
    assert await AccessLogEntry.all().count() == 5 + 49


async def test_browsing_is_for_employers(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    assert (await gql.post(PAGE, {"first": 1})).codes == ["UNAUTHENTICATED"]
    assert (await gql.post(PAGE, {"first": 1}, token=candidate.token)).codes == ["FORBIDDEN"]


async def test_page_answers_like_the_single_profile_with_fragments_aliases_and_variables(gql: GraphQLClient) -> None:
    # given: a page is loaded kind by kind up front, a single profile field by field
    employer = await make_employer(gql)
    public_fan = await make_profile(gql, visibility="PUBLIC")
    fans = [public_fan.actor, await make_candidate(gql)]
    await seed_full_profiles(3, endorsers=[parse_global_id(f.id)[1] for f in fans])
    accepted = await make_profile(gql, visibility="EMPLOYERS", anonymous=True, full=True)
    await accept_contact(accepted, employer)
    # when
    page = (await gql.execute(FRAGMENTS, {"first": 10, "many": 2}, token=employer.token))["profiles"]
    nodes = [edge["node"] for edge in page["edges"]]
    singles = [
        (await gql.execute(CARD, {"id": node["id"], "many": 2}, token=employer.token))["node"] for node in nodes
    ]
    # then
    assert len(nodes) == 5 and nodes == singles
    seeded = [n for n in nodes if n["id"] not in {accepted.profile_id, public_fan.profile_id}]
    assert all(len(s["few"]) == 1 and len(s["many"]) == 2 and s["endorsementCount"] == 2 for n in seeded for s in n["skills"])
    assert {e["endorser"]["displayName"] for e in seeded[0]["skills"][0]["many"]} == {fans[0].display_name, "Anonymous candidate"}
    mine = next(n for n in nodes if n["id"] == accepted.profile_id)
    assert mine["displayName"] is not None and mine["references"] == [{"name": "Grace", "contact": "grace@example.org"}]
    assert all(n["references"] is None or n["references"][0]["contact"] is None for n in seeded)
    # reading the accepted candidate's reference contacts is logged (page and node: once per hour)
    kinds = await AccessLogEntry.filter(profile_id=parse_global_id(accepted.profile_id)[1]).values_list("kind", flat=True)
    assert sorted(kinds) == sorted([AccessKind.REFERENCES_REVEALED, AccessKind.VIEW])


async def test_page_decides_the_endorsers_identity_once_for_the_page(gql: GraphQLClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # monkeypatch is pytest's untyped fixture
    # given: 10 profiles endorsed by a public candidate and by one still hidden (as after
    # sign-up), one of them endorsing as a brand-new user would
    from resolvers.accounts import identity as identity_rule  # what User.displayName asks

    employer = await make_employer(gql)
    newcomer = await make_candidate(gql)
    public = (await make_profile(gql, visibility="PUBLIC")).actor
    await seed_full_profiles(10, endorsers=[parse_global_id(public.id)[1], parse_global_id(newcomer.id)[1]])
    calls: list[int] = []
    original = identity_rule.identity_visible

    async def counted(loaders, viewer, user):  # type: ignore[no-untyped-def]  # a stand-in for the patched function, any signature
        calls.append(user.pk)
        return await original(loaders, viewer, user)

    monkeypatch.setattr(identity_rule, "identity_visible", counted)
    # when
    page = (await gql.execute(PAGE, {"first": 10}, token=employer.token))["profiles"]
    # then: the same names as before, and no endorsement paid a coroutine of its own to
    # decide its endorser's identity (the page decided it for all endorsers at once)
    names = {e["endorser"]["displayName"] for edge in page["edges"] for s in edge["node"]["skills"] for e in s["endorsements"]}
    assert names == {public.display_name, "Anonymous candidate"}
    assert calls == []


async def test_plain_fields_of_a_page_cost_no_resolve_info_each(gql: GraphQLClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # monkeypatch is pytest's untyped fixture
    # given: 12 profiles; the page asks only plain fields of each (columns, global IDs,
    # identity fields read from the privacy stamp, enums, dates)
    employer = await make_employer(gql)
    await seed_full_profiles(12, endorsers=[])
    built = infos_built(monkeypatch)
    plain = """query($first: Int!) { profiles(first: $first) { edges { cursor node {
      id handle headline summary city countryCode remotePreference openToWork yearsOfExperience updatedAt
      experience { id title startDate current companyName }
    } } } }"""
    # when
    small = (await gql.execute(plain, {"first": 2}, token=employer.token))["profiles"]["edges"]
    small_infos, built[:] = list(built), []
    large = (await gql.execute(plain, {"first": 12}, token=employer.token))["profiles"]["edges"]
    # then: the answers are whole, and only the page itself builds an Info: its edges,
    # nodes and plain fields are walked (graph/plain.py), and so is each profile's
    # experience, whose resolver reads only info.context (ofw_context), whatever the size
    assert len(small) == 2 and len(large) == 12
    assert all(e["node"]["headline"] and e["node"]["updatedAt"] and e["node"]["openToWork"] for e in large)
    assert all(x["startDate"] and x["current"] in (True, False) for e in large for x in e["node"]["experience"])
    assert small_infos == built == ["Query.profiles"]


async def test_a_page_whose_plain_walk_failed_takes_graphql_cores_path_next_time(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """graph/plain.py walks plain object fields in one go and falls back to graphql-core
    when the walk fails; on this page every edge's node failed, after planning its
    sub-fields each time (~50% of the page's CPU). A field whose walk failed is not
    walked again."""
    # given: a page of full profiles, under a document of its own (parsed documents are
    # cached per process, and so are the walk's failure hints: one name per run)
    employer = await make_employer(gql)
    fan = await make_candidate(gql)
    await seed_full_profiles(5, endorsers=[parse_global_id(fan.id)[1]], prefix="walk")
    document = PAGE.replace("query Page(", f"query PageWalkedOnce{uuid.uuid4().hex}(")
    walks: list[tuple[str, bool]] = []
    original = graph_schema.complete_plain

    def counting(executor: object, return_type: object, details: list, value: object) -> object:
        result = original(executor, return_type, details, value)
        walks.append((details[0].node.name.value, result is FAIL))
        return result

    monkeypatch.setattr(graph_schema, "complete_plain", counting)
    # when
    first = (await gql.execute(document, {"first": 5}, token=employer.token))["profiles"]
    failed_first = [name for name, failed in walks if failed]
    walks.clear()
    second = (await gql.execute(document, {"first": 5}, token=employer.token))["profiles"]
    # then: the first request's failed walks are not tried again; the answers are the same
    assert failed_first, walks
    assert not [name for name, failed in walks if failed], walks
    assert first == second


FULL_CARD = """
query FullCard{suffix}($first: Int!) {{
  profiles(first: $first) {{
    edges {{ cursor node {{
      id handle displayName headline stale desiredRoles desiredSalary {{ min currency }}
      skills {{ name endorsementCount endorsements(first: 2) {{ comment endorser {{ displayName }} }} }}
      experience {{ title companyName }} education {{ school }} workSamples {{ title url }}
      references {{ name relationship }}
    }} }}
  }}
}}
"""


async def test_resolvers_that_read_only_the_context_are_walked_and_answer_as_graphql_core(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fields whose resolver reads only ``info.context`` (skills, their endorsements and
    counts, endorsers and their names, parts, references) are walked by graph/plain.py
    with a stand-in ``info``: the answer must be graphql-core's, byte for byte, privacy
    included (an anonymous profile, a hidden endorser, a blocking candidate)."""
    # given: full profiles endorsed by a public candidate and a hidden one, one anonymous
    # to the employer, one blocking it; the employer has an accepted contact with another
    from graph.schema import ExecutionContext

    employer = await make_employer(gql)
    fans = [(await make_profile(gql, visibility="PUBLIC")).actor, await make_candidate(gql)]
    ids = await seed_full_profiles(8, endorsers=[parse_global_id(f.id)[1] for f in fans], prefix="card")
    await Profile.filter(id=ids[1]).update(anonymous=True)
    blocker = await make_profile(gql, visibility="EMPLOYERS")
    await gql.mutate(
        "mutation($input: BlockCompanyInput!) { blockCompany(input: $input) { userErrors { code } } }",
        {"companyId": employer.company_id}, token=blocker.token,
    )
    document = FULL_CARD.format(suffix=uuid.uuid4().hex)  # the walk's failure hints live per document
    variables = {"first": 20}
    built = infos_built(monkeypatch)
    # when: walked, then on graphql-core's path alone
    walked = await gql.http.post("/graphql", json={"query": document, "variables": variables},
                                 headers={"Authorization": f"Bearer {employer.token}"})
    walked_infos, built[:] = list(built), []

    def core_path(self: Any, _getter: Any, _field_def: Any, parent_type: Any, source: Any, details: Any, path: Any, position: Any) -> Any:
        return super(ExecutionContext, self).execute_field(parent_type, source, details, path, position)

    monkeypatch.setattr(ExecutionContext, "_execute_plain", core_path)
    core = await gql.http.post("/graphql", json={"query": document, "variables": variables},
                               headers={"Authorization": f"Bearer {employer.token}"})
    # then: the same bytes; the walk built an Info for the page alone, graphql-core one per
    # resolver that takes info (every skill's endorsements, every endorser's name …)
    assert walked.content == core.content
    assert walked_infos == ["Query.profiles"]
    assert len(built) > 100
    nodes = [edge["node"] for edge in walked.json()["data"]["profiles"]["edges"]]
    assert blocker.profile_id not in {n["id"] for n in nodes}
    anonymous = [n for n in nodes if n["id"] == to_global_id("Profile", ids[1])]
    assert anonymous and anonymous[0]["displayName"] is None and anonymous[0]["references"] is None
    endorsers = {e["endorser"]["displayName"] for n in nodes for s in n["skills"] for e in s["endorsements"]}
    assert endorsers == {fans[0].display_name, "Anonymous candidate"}
