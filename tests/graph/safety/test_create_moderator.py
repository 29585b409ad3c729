"""Moderators are made only by ``openforwork create-moderator``."""

from __future__ import annotations

from graph.settings import Settings
from tests.factories.accounts import PASSWORD
from tests.factories.safety import LOG_IN, create_moderator_from_command_line
from tests.graphql import GraphQLClient


async def test_the_command_line_creates_a_moderator_who_signs_in(gql: GraphQLClient, settings: Settings) -> None:
    # when
    create_moderator_from_command_line(settings.database_url, "Mod@OpenForWork.test")
    # then
    payload = await gql.mutate(LOG_IN, {"email": "mod@openforwork.test", "password": PASSWORD})
    assert payload["viewer"]["role"] == "MODERATOR"
    data = await gql.execute("{ moderationQueue { totalCount } auditLog { edges { node { action } } } }", token=payload["token"])
    assert data["moderationQueue"]["totalCount"] == 0
    assert [e["node"]["action"] for e in data["auditLog"]["edges"]] == ["moderator.created"]
