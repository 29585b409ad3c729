"""Factories for notification tests, through the public API: a candidate who publishes a
profile the way a newcomer does, a saved search, preferences, and the inbox read back."""

from __future__ import annotations

from typing import Any

from tests.factories.accounts import Actor
from tests.graphql import GraphQLClient

UPDATE_PROFILE = "mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { code message } } }"
ADD_SKILL = "mutation($input: AddSkillInput!) { addSkill(input: $input) { userErrors { code message } } }"
SAVE_SEARCH = "mutation($input: SaveSearchInput!) { saveSearch(input: $input) { savedSearch { id } userErrors { code message } } }"
UPDATE_PREFERENCES = """
mutation($input: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    notificationPreferences { timeZone quietHoursStart quietHoursEnd kinds { kind frequency isDefault } }
    userErrors { code field message }
  }
}
"""
INBOX = """
query($unreadOnly: Boolean, $kinds: [NotificationKind!], $first: Int, $after: String) {
  unreadNotificationCount
  notifications(unreadOnly: $unreadOnly, kinds: $kinds, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id kind count readAt createdAt updatedAt subject { __typename id } } }
  }
}
"""
MARK_READ = """
mutation($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) { markedCount unreadNotificationCount userErrors { code field message } }
}
"""


async def publish_profile(gql: GraphQLClient, candidate: Actor, *, headline: str, skill: str | None = None, **extra: Any) -> None:
    """What a newcomer does to be found: fill in the profile, say they are looking."""
    fields = {"visibility": "EMPLOYERS", "openToWork": "ACTIVELY_LOOKING", "headline": headline, **extra}
    await gql.mutate(UPDATE_PROFILE, fields, token=candidate.token)
    if skill is not None:
        await gql.mutate(ADD_SKILL, {"name": skill, "level": 4}, token=candidate.token)


async def save_search(gql: GraphQLClient, employer: Actor, name: str, query: str) -> str:
    return str((await gql.mutate(SAVE_SEARCH, {"name": name, "query": query}, token=employer.token))["savedSearch"]["id"])


async def inbox(gql: GraphQLClient, actor: Actor, **variables: Any) -> dict[str, Any]:
    return await gql.execute(INBOX, variables, token=actor.token)


def nodes(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in page["notifications"]["edges"]]
