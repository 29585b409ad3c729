"""Saved searches: one company's, never another's."""

from __future__ import annotations

import pytest

from models.search import SavedSearch, SavedSearchMatch
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.search import make_profile
from tests.graphql import GraphQLClient

pytestmark = pytest.mark.usefixtures("backend")

SAVE = """
mutation Save($input: SaveSearchInput!) {
  saveSearch(input: $input) {
    savedSearch { id name query alertsEnabled sort filter { allSkills countries openToWork includeStale } }
    userErrors { code field message }
  }
}
"""
LIST = "{ savedSearches(first: 10) { totalCount edges { node { id name } } } }"
DELETE = """
mutation Delete($input: DeleteSavedSearchInput!) {
  deleteSavedSearch(input: $input) { deletedSavedSearchId userErrors { code field } }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { ... on SavedSearch { id name } } }"


async def test_save_list_and_delete_within_the_company(gql: GraphQLClient) -> None:
    # given
    boss = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=boss.invitation_code)
    rival = await make_employer(gql)
    matching = await make_profile(headline="Python developer", skills=[("Python", 4)], country="DE")
    # when
    payload = await gql.mutate(
        SAVE,
        {"name": " Berlin Pythonistas ", "query": "python", "filter": {"allSkills": ["Python"], "countries": ["de"]}},
        token=boss.token,
    )
    # then
    saved = payload["savedSearch"]
    assert saved["name"] == "Berlin Pythonistas" and saved["alertsEnabled"] is True
    assert saved["filter"] == {
        "allSkills": ["python"], "countries": ["DE"], "openToWork": ["ACTIVELY_LOOKING", "OPEN"], "includeStale": False,
    }
    row = await SavedSearch.get()
    assert row.query == "python"
    # the current matches are known, so they will not alert
    assert await SavedSearchMatch.filter(saved_search_id=row.pk).values_list("profile_id", flat=True) == [matching.pk]
    colleague_list = await gql.execute(LIST, token=colleague.token)
    assert [e["node"]["name"] for e in colleague_list["savedSearches"]["edges"]] == ["Berlin Pythonistas"]
    rival_list = await gql.execute(LIST, token=rival.token)
    assert rival_list["savedSearches"] == {"totalCount": 0, "edges": []}
    assert (await gql.execute(NODE, {"id": saved["id"]}, token=rival.token))["node"] is None
    assert (await gql.execute(NODE, {"id": saved["id"]}, token=colleague.token))["node"]["name"] == "Berlin Pythonistas"
    # a rival cannot delete it
    refused = await gql.mutate(DELETE, {"id": saved["id"]}, token=rival.token, ok=False)
    assert refused["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "id"]}]
    assert await SavedSearch.all().count() == 1
    # a colleague can
    done = await gql.mutate(DELETE, {"id": saved["id"]}, token=colleague.token)
    assert done["deletedSavedSearchId"] == saved["id"]
    assert await SavedSearch.all().count() == 0 and await SavedSearchMatch.all().count() == 0


async def test_save_search_validation_changes_nothing(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)
    for input_, code, field in (
        ({"name": ""}, "REQUIRED", ["input", "name"]),
        ({"name": "n" * 121}, "TOO_LONG", ["input", "name"]),
        ({"name": "x", "query": "q" * 501}, "TOO_LONG", ["input", "query"]),
        ({"name": "x", "filter": {"countries": ["Germany"]}}, "INVALID_QUERY", ["input", "filter", "countries"]),
    ):
        payload = await gql.mutate(SAVE, input_, token=boss.token, ok=False)
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await SavedSearch.all().count() == 0


async def test_only_employers_have_saved_searches(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    assert (await gql.post(LIST, token=candidate.token)).codes == ["FORBIDDEN"]
    assert (await gql.post(LIST)).codes == ["UNAUTHENTICATED"]
    result = await gql.post(SAVE, {"input": {"name": "x"}}, token=candidate.token)
    assert result.codes == ["FORBIDDEN"]
    # the viewer is checked before the input: a malformed ID still answers FORBIDDEN / UNAUTHENTICATED
    assert (await gql.post(DELETE, {"input": {"id": "not-an-id"}}, token=candidate.token)).codes == ["FORBIDDEN"]
    assert (await gql.post(DELETE, {"input": {"id": "not-an-id"}})).codes == ["UNAUTHENTICATED"]
    employer = await make_employer(gql)
    assert (await gql.post(DELETE, {"input": {"id": "not-an-id"}}, token=employer.token)).codes == ["BAD_USER_INPUT"]
    assert await SavedSearch.all().count() == 0
