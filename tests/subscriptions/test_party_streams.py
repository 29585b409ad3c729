"""``offerUpdated`` and ``interviewUpdated`` are one stream (``subscriptions.parties``):
the per-event checks it makes are run here against both features, so neither loses one.

The viewer's rows are changed in the database directly (no token revoked, no session
evicted): what ends or silences the stream is then the stream's own per-event re-read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from models.accounts import User
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.interviews import CANCEL, make_interview_scene
from tests.factories.offers import COUNTER_OFFER, extend, make_accepted_conversation, pk
from tests.graphql import GraphQLClient, WebSocketClient, subscribed

LOG_OUT = "mutation { logOut { revokedTokens userErrors { code } } }"


@dataclass(frozen=True)
class Feature:
    field: str
    # A candidate and a row between her and the employer's company (its global id).
    scene: Callable[[GraphQLClient, Actor], Awaitable[tuple[Actor, str]]]
    # The candidate changes the row: one event on both sides' channels.
    change: Callable[[GraphQLClient, Actor, str], Awaitable[object]]

    @property
    def subscription(self) -> str:
        return f"subscription {{ {self.field} {{ change }} }}"


async def offer_scene(gql: GraphQLClient, employer: Actor) -> tuple[Actor, str]:
    candidate = await make_candidate(gql)
    offer = await extend(gql, employer, await make_accepted_conversation(candidate, employer))
    return candidate, str(offer["id"])


async def interview_scene(gql: GraphQLClient, employer: Actor) -> tuple[Actor, str]:
    scene = await make_interview_scene(gql, employer)
    return scene.candidate, scene.interview_id


FEATURES = {
    "offers": Feature(
        "offerUpdated",
        offer_scene,
        lambda gql, candidate, id: gql.mutate(COUNTER_OFFER, {"offerId": id, "terms": {"equity": "2%"}}, token=candidate.token),
    ),
    "interviews": Feature(
        "interviewUpdated",
        interview_scene,
        lambda gql, candidate, id: gql.mutate(CANCEL, {"interviewId": id}, token=candidate.token),
    ),
}


async def error_code(ws: WebSocketClient, op: str) -> str:
    message = await ws.receive()
    assert message["id"] == op, message
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    return str(errors[0]["extensions"]["code"])


@pytest.mark.parametrize("feature", FEATURES.values(), ids=FEATURES.keys())
async def test_logging_out_ends_the_stream(gql: GraphQLClient, app: object, feature: Feature) -> None:
    # given
    employer = await make_employer(gql)
    await feature.scene(gql, employer)
    async with gql.websocket(token=employer.token) as ws:
        op = await subscribed(app, ws, feature.subscription, live=1)
        # when
        await gql.execute(LOG_OUT, token=employer.token)
        # then
        assert await error_code(ws, op) == "UNAUTHENTICATED"


@pytest.mark.parametrize("feature", FEATURES.values(), ids=FEATURES.keys())
async def test_an_employer_who_left_the_company_hears_nothing_more_while_a_colleague_does(
    gql: GraphQLClient, app: object, feature: Feature
) -> None:
    # given: two members of the company listen
    leaver = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=leaver.invitation_code)
    candidate, row_id = await feature.scene(gql, leaver)
    async with gql.websocket(token=leaver.token) as leaver_ws, gql.websocket(token=colleague.token) as colleague_ws:
        await subscribed(app, leaver_ws, feature.subscription, live=1)
        colleague_op = await subscribed(app, colleague_ws, feature.subscription, live=2)
        # when: one leaves the company, then the candidate changes the row
        await User.filter(id=pk(leaver.id)).update(company_id=None, company_role=None)
        await feature.change(gql, candidate, row_id)
        # then
        assert (await colleague_ws.next(colleague_op))["data"][feature.field]["change"]
        await leaver_ws.expect_silence()


@pytest.mark.parametrize("feature", FEATURES.values(), ids=FEATURES.keys())
async def test_an_account_gone_since_subscribing_ends_the_stream_at_the_next_event(
    gql: GraphQLClient, app: object, feature: Feature
) -> None:
    # given
    employer = await make_employer(gql)
    candidate, row_id = await feature.scene(gql, employer)
    async with gql.websocket(token=employer.token) as ws:
        op = await subscribed(app, ws, feature.subscription, live=1)
        # when: the account is marked deleted (its token not revoked), then the row changes
        await User.filter(id=pk(employer.id)).update(deleted_at=datetime.now(timezone.utc))
        await feature.change(gql, candidate, row_id)
        # then
        assert await error_code(ws, op) == "UNAUTHENTICATED"
