"""What a search page costs (issue 17): the same SQL statements whatever its size, and
the plain-object walk (graph/plain.py) answers exactly what graphql-core's own path
answers, identity nulls of anonymous candidates and errors included."""

from __future__ import annotations

import json
from typing import Any

import pytest

import graph.schema
from graph.schema import ExecutionContext
from models.profiles import RemotePreference
from tests.factories.accounts import make_employer
from tests.factories.search import make_profile
from tests.graph.profiles.test_profiles_page import count_statements
from tests.graphql import GraphQLClient

pytestmark = pytest.mark.usefixtures("backend")

PAGE = """
query Page($filter: SearchFilterInput, $first: Int, $after: String, $withScore: Boolean!) {
  searchCandidates(query: "engineer", filter: $filter, first: $first, after: $after) {
    __typename totalCount totalCountIsExact rankingApproximate sort
    facets { skills { value count } countries { value count } remotePreferences { value count } openToWork { value count } approximate }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      __typename cursor
      score @include(if: $withScore)
      node {
        ...Card id profileId anonymous remotePreference openToWork updatedAt
        also: skills { level }
        profile { id displayName handle headline }
      }
      highlights { field text matches { start length } }
      matchExplanation {
        skills { name required matched level minimumLevel }
        filters { filter value }
        matchedFields matchedTerms rankedBy reason approximate
      }
    }
  }
}
fragment Card on SearchCandidate { __typename headline displayName handle countryCode city yearsOfExperience skills { name level } }
"""


async def _raw(gql: GraphQLClient, variables: dict[str, Any], token: str) -> str:
    """The response body as sent."""
    response = await gql.http.post(gql.path, json={"query": PAGE, "variables": variables}, headers={"Authorization": f"Bearer {token}"})
    return response.text


async def _pages(gql: GraphQLClient, token: str) -> list[str]:
    """Two page sizes, each with its next page."""
    bodies: list[str] = []
    for variables in ({"first": 3, "withScore": True}, {"first": 20, "withScore": False}):
        bodies.append(await _raw(gql, variables, token))
        after = json.loads(bodies[-1])["data"]["searchCandidates"]["pageInfo"]["endCursor"]
        bodies.append(await _raw(gql, {**variables, "after": after}, token))
    return bodies


async def _seed(gql: GraphQLClient, count: int) -> str:
    boss = await make_employer(gql)
    for n in range(count):
        await make_profile(
            headline=f"Data engineer {n}", summary="engineer of pipelines",
            skills=[("Python", 1 + n % 5), ("SQL", 2), (f"Tool{n % 3}", 3)],
            remote=RemotePreference.REMOTE if n % 2 else None, anonymous=n % 3 == 0,
        )
    return boss.token


async def test_a_search_page_costs_the_same_statements_for_5_and_25_rows(gql: GraphQLClient) -> None:
    # given: an employer signed up through the API and 30 engineers
    token = await _seed(gql, 30)
    variables = {"filter": {"allSkills": ["python"]}, "withScore": True}
    await gql.execute(PAGE, {**variables, "first": 1}, token=token)  # the document is prepared
    # when
    with count_statements() as small:
        page5 = (await gql.execute(PAGE, {**variables, "first": 5}, token=token))["searchCandidates"]
    with count_statements() as large:
        page25 = (await gql.execute(PAGE, {**variables, "first": 25}, token=token))["searchCandidates"]
    # then: page, skills, highlights, access, count and facets: not a statement per row
    assert len(page5["edges"]) == 5 and len(page25["edges"]) == 25
    assert len(small) == len(large), (small, large)
    assert len(large) <= 10, large
    assert [e["cursor"] for e in page25["edges"][:5]] == [e["cursor"] for e in page5["edges"]]
    anonymous = [e["node"] for e in page25["edges"] if e["node"]["anonymous"]]
    assert anonymous and all(n["displayName"] is None and n["handle"] is None for n in anonymous)
    assert all(n["profile"]["displayName"] is None and n["profile"]["handle"] is None for n in anonymous)


async def test_the_plain_walk_answers_what_graphql_core_answers(gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # given: an employer and engineers, some anonymous to them
    token = await _seed(gql, 8)
    walked: list[int] = []
    complete_plain = graph.schema.complete_plain

    def spy(*args: Any) -> Any:
        walked.append(1)
        return complete_plain(*args)

    monkeypatch.setattr(graph.schema, "complete_plain", spy)
    pages = await _pages(gql, token)
    assert walked
    # when: the same requests on graphql-core's path alone
    def core_path(self: Any, _getter: Any, _field_def: Any, parent_type: Any, source: Any, details: Any, path: Any, position: Any) -> Any:
        return super(ExecutionContext, self).execute_field(parent_type, source, details, path, position)

    monkeypatch.setattr(ExecutionContext, "_execute_plain", core_path)
    walked.clear()
    core = await _pages(gql, token)
    # then: byte for byte the same answers
    assert not walked
    assert pages == core
    decoded = [json.loads(body) for body in pages]
    assert [body.get("errors") for body in decoded] == [None] * 4
    first = decoded[0]["data"]["searchCandidates"]
    assert first["__typename"] == "CandidateSearchConnection" and first["edges"][0]["__typename"] == "CandidateSearchEdge"
    assert [len(body["data"]["searchCandidates"]["edges"]) for body in decoded] == [3, 3, 8, 0]
    assert "score" in first["edges"][0] and "score" not in decoded[2]["data"]["searchCandidates"]["edges"][0]


async def test_a_null_in_a_non_null_plain_field_is_reported_as_graphql_core_reports_it(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a mapping bug leaves a skill's name null
    token = await _seed(gql, 2)
    from graph.types.search.types import SearchCandidateSkill

    original = SearchCandidateSkill.__init__

    def broken(self: Any, *, name: str, level: int) -> None:
        original(self, name=None, level=level)  # type: ignore[arg-type]  # the bug under test

    monkeypatch.setattr(SearchCandidateSkill, "__init__", broken)
    # when
    response = await gql.post(PAGE, {"first": 2, "withScore": True}, token=token)
    # then: the error names the field's path and the null reaches the (non-null) root
    assert response.data is None
    assert response.errors[0]["path"] == ["searchCandidates", "edges", 0, "node", "skills", 0, "name"]


@pytest.mark.parametrize("level", [2**31 - 1, 2**31, -(2**31), -(2**31) - 1, True])
async def test_an_int_leaf_is_answered_as_graphql_core_answers_it_at_and_past_32_bits(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch, level: int
) -> None:
    """The walk hands a 32-bit ``int`` to an ``Int`` leaf as is (``plain._AS_IS``): at the
    bounds the answer, past them (and for a ``bool``) the error, must be graphql-core's."""
    # given: a mapping that hands out this level, and no failure hint left by another case
    from collections import OrderedDict

    monkeypatch.setattr(graph.schema, "_PLAIN_FAILED", OrderedDict())
    token = await _seed(gql, 2)
    from graph.types.search.types import SearchCandidateSkill

    original = SearchCandidateSkill.__init__

    def odd(self: Any, *, name: str, level: int, _level: int = level) -> None:
        original(self, name=name, level=_level)

    monkeypatch.setattr(SearchCandidateSkill, "__init__", odd)
    variables = {"first": 2, "withScore": True}
    walked = await _raw(gql, variables, token)

    # when: graphql-core's path alone
    def core_path(self: Any, _getter: Any, _field_def: Any, parent_type: Any, source: Any, details: Any, path: Any, position: Any) -> Any:
        return super(ExecutionContext, self).execute_field(parent_type, source, details, path, position)

    monkeypatch.setattr(ExecutionContext, "_execute_plain", core_path)
    core = await _raw(gql, variables, token)
    # then
    assert walked == core
    assert ("errors" in json.loads(core)) is (type(level) is int and not -(2**31) <= level < 2**31)


async def test_a_page_row_reads_as_the_profile_model_it_holds(gql: GraphQLClient, backend: str) -> None:
    """Search hits read their profile columns through ``ProfileRow`` (converted on first
    read), not a ``Profile`` model each: every attribute must read the same as the model's."""
    from datetime import date

    from tortoise import connections

    from models.profiles import Profile, SalaryPeriod, Visibility
    from resolvers.search.engine import ProfileRow

    # given: a profile with a value in every kind of column (enums, JSON lists, dates, nulls)
    made = await make_profile(
        headline="Data engineer", remote=None, anonymous=True, visibility=Visibility.PUBLIC,
        salary=(70_000, "EUR", SalaryPeriod.YEAR), available_from=date(2031, 5, 1), work_authorization=["DE", "FR"],
    )
    marker = "$1" if backend == "postgres" else "?"
    rows = await connections.get("default").execute_query_dict(f"SELECT * FROM profile WHERE id = {marker}", [made.pk])
    model = await Profile.get(id=made.pk)
    # when
    row = ProfileRow(rows[0])
    # then
    names = [*Profile._meta.fields_db_projection, "pk"]
    assert {name: getattr(row, name) for name in names} == {name: getattr(model, name) for name in names}
    assert {name: type(getattr(row, name)) for name in names} == {name: type(getattr(model, name)) for name in names}
    built = row.model
    assert isinstance(built, Profile) and {n: getattr(built, n) for n in names} == {n: getattr(model, n) for n in names}
    with pytest.raises(AttributeError):
        row.no_such_column  # noqa: B018


CARD = """
query Cards($withHeadline: Boolean!) {
  searchCandidates(first: 5) {
    edges { cursor node { id ...Card skills { name level } } }
    facets { countries { value count } }
  }
}
fragment Card on SearchCandidate { countryCode ...Headline @include(if: $withHeadline) }
fragment Headline on SearchCandidate { headline yearsOfExperience }
"""


async def test_sub_field_plans_are_shared_across_requests_only_when_no_variable_can_change_them(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``plain._SHARED_PLANS`` keeps the plans of a document without directives for the
    next requests; a document whose ``@include`` follows a variable is planned per request."""
    from collections import OrderedDict

    import graph.plain

    token = await _seed(gql, 4)
    monkeypatch.setattr(graph.schema, "_PLAIN_FAILED", OrderedDict())  # hints left by the sign-up
    monkeypatch.setattr(graph.plain, "_SHARED_PLANS", OrderedDict())
    static = CARD.replace("($withHeadline: Boolean!)", "").replace(" @include(if: $withHeadline)", "")

    async def answers() -> list[str]:
        bodies = []
        for query, variables in ((static, {}), (static, {}), (CARD, {"withHeadline": True}),
                                 (CARD, {"withHeadline": False}), (CARD, {"withHeadline": True})):
            response = await gql.http.post(gql.path, json={"query": query, "variables": variables},
                                           headers={"Authorization": f"Bearer {token}"})
            bodies.append(response.text)
        return bodies

    # when: the walk answers, then graphql-core's path alone
    walked = await answers()
    assert not graph.schema._PLAIN_FAILED, "the walk answered every field"
    shared = {key[0].name for key in graph.plain._SHARED_PLANS}
    assert {"CandidateSearchEdge", "SearchCandidate", "SearchCandidateSkill", "FacetCount"} <= shared

    def core_path(self: Any, _getter: Any, _field_def: Any, parent_type: Any, source: Any, details: Any, path: Any, position: Any) -> Any:
        return super(ExecutionContext, self).execute_field(parent_type, source, details, path, position)

    monkeypatch.setattr(ExecutionContext, "_execute_plain", core_path)
    core = await answers()
    # then: the same answers, each following its own variables
    assert walked == core
    nodes = [json.loads(body)["data"]["searchCandidates"]["edges"][0]["node"] for body in walked]
    assert ["headline" in node for node in nodes] == [True, True, True, False, True]
