"""Demo data shows interviews on first start: the first company's employer sees one
proposed, scheduled, held (with feedback) and cancelled interview through the API."""

from __future__ import annotations

import asyncio

import pytest

from graph.seed import DEMO_PASSWORD, seed_database
from graph.settings import Settings
from models.accounts import Role, User
from tests.conftest import base_settings
from tests.graphql import GraphQLClient

LOG_IN = "mutation($input: LogInInput!) { logIn(input: $input) { token userErrors { code } } }"
INTERVIEWS = "{ interviews { totalCount edges { node { status ics feedback { rating } candidate { id } } } } }"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """A migrated database seeded with 20 demo candidates before the app starts."""
    settings = base_settings(database_url)
    asyncio.run(seed_database(settings, profiles=20, seed=7, progress=False))
    return settings


async def test_the_demo_company_has_interviews_in_every_state(gql: GraphQLClient) -> None:
    # given: the first seeded employer signs in
    first = await User.filter(role=Role.EMPLOYER).order_by("id").first()
    assert first is not None
    token = (await gql.mutate(LOG_IN, {"email": first.email, "password": DEMO_PASSWORD}))["token"]
    # when
    data = (await gql.execute(INTERVIEWS, token=token))["interviews"]
    # then
    statuses = sorted(edge["node"]["status"] for edge in data["edges"])
    assert statuses == ["CANCELLED", "PROPOSED", "SCHEDULED", "SCHEDULED"]
    assert any(edge["node"]["feedback"] for edge in data["edges"])
    assert all(edge["node"]["ics"] for edge in data["edges"] if edge["node"]["status"] == "SCHEDULED")
