"""SavedSearch.matches: what matched since the search was saved is kept, with privacy
checked at read time and a "new since last viewed" mark the company resets."""

from __future__ import annotations

import pytest

from tests.factories.accounts import make_candidate, make_employer
from tests.factories.notifications import UPDATE_PROFILE, inbox, nodes, publish_profile, save_search
from tests.graphql import GraphQLClient

pytestmark = pytest.mark.usefixtures("backend")

MATCHES = """
query($id: ID!) {
  node(id: $id) {
    ... on SavedSearch {
      newMatchCount matchesViewedAt
      matches(first: 10) { totalCount edges { node { newSinceLastViewed matchedAt candidate { displayName } } } }
    }
  }
}
"""
VIEWED = """
mutation($input: MarkSavedSearchMatchesViewedInput!) {
  markSavedSearchMatchesViewed(input: $input) { savedSearch { newMatchCount } userErrors { code } }
}
"""


def names(found: dict) -> list[tuple[str, bool]]:
    return [(e["node"]["candidate"]["displayName"], e["node"]["newSinceLastViewed"]) for e in found["matches"]["edges"]]


async def test_matches_since_saving_are_kept_and_marked_new(gql: GraphQLClient) -> None:
    # given: a candidate who matched before the search was saved, and the search
    early = await make_candidate(gql, name="Early Bird")
    await publish_profile(gql, early, headline="Scala developer")
    boss = await make_employer(gql)
    saved = await save_search(gql, boss, "Scala", "scala")
    # when: two newcomers match later
    first = await make_candidate(gql, name="First Match")
    await publish_profile(gql, first, headline="Scala engineer")
    # then: only what matched since saving is listed, as new
    found = (await gql.execute(MATCHES, {"id": saved}, token=boss.token))["node"]
    assert names(found) == [("First Match", True)] and found["newMatchCount"] == 1
    # when: the company marks them viewed, and another candidate matches
    viewed = await gql.mutate(VIEWED, {"savedSearchId": saved}, token=boss.token)
    assert viewed["savedSearch"]["newMatchCount"] == 0
    assert (await inbox(gql, boss, unreadOnly=True))["unreadNotificationCount"] == 0
    second = await make_candidate(gql, name="Second Match")
    await publish_profile(gql, second, headline="Scala lead")
    # then
    found = (await gql.execute(MATCHES, {"id": saved}, token=boss.token))["node"]
    assert names(found) == [("Second Match", True), ("First Match", False)] and found["newMatchCount"] == 1
    assert [n["count"] for n in nodes(await inbox(gql, boss, unreadOnly=True))] == [1]
    # when: one hides her profile: she is no longer listed (checked when read)
    await gql.mutate(UPDATE_PROFILE, {"visibility": "HIDDEN"}, token=first.token)
    found = (await gql.execute(MATCHES, {"id": saved}, token=boss.token))["node"]
    assert names(found) == [("Second Match", True)] and found["matches"]["totalCount"] == 1


async def test_another_company_sees_no_matches(gql: GraphQLClient) -> None:
    boss = await make_employer(gql)
    saved = await save_search(gql, boss, "Scala", "scala")
    other = await make_employer(gql)
    assert (await gql.execute(MATCHES, {"id": saved}, token=other.token))["node"] is None
    failed = await gql.mutate(VIEWED, {"savedSearchId": saved}, token=other.token, ok=False)
    assert [e["code"] for e in failed["userErrors"]] == ["NOT_FOUND"]
