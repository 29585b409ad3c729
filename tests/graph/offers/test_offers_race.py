"""Each offer transition happens once: truly concurrent HTTP requests, exactly one winner.

Runs on SQLite and, with TEST_POSTGRES_URL, on PostgreSQL (the ``backend`` fixture).
"""

from __future__ import annotations

import asyncio

import pytest

from models.chat import Message, MessageKind
from models.offers import Offer, OfferStatus, OfferVersion
from models.profiles import OpenToWork, Profile
from tests.factories.accounts import make_employer
from tests.factories.offers import (
    ACCEPT_OFFER,
    COUNTER_OFFER,
    REVISE_OFFER,
    WITHDRAW_OFFER,
    extend,
    make_accepted_conversation,
    make_offer_scene,
    pk,
)
from tests.graphql import GraphQLClient

ROUNDS = 3


def outcome(result) -> str:  # type: ignore[no-untyped-def]
    assert result.errors == [], result.errors
    payload = next(iter(result.data.values()))
    if payload["userErrors"]:
        return payload["userErrors"][0]["code"]
    return "WON"


@pytest.mark.parametrize("round_", range(ROUNDS))
async def test_concurrent_accept_and_withdraw_leave_exactly_one_winner(gql: GraphQLClient, round_: int) -> None:
    # given
    scene = await make_offer_scene(gql)
    # when
    accepted, withdrawn = await asyncio.gather(
        gql.post(ACCEPT_OFFER, {"input": {"offerId": scene.offer_id, "versionNumber": 1}}, token=scene.candidate.token),
        gql.post(WITHDRAW_OFFER, {"input": {"offerId": scene.offer_id}}, token=scene.employer.token),
    )
    # then
    outcomes = sorted([outcome(accepted), outcome(withdrawn)])
    assert outcomes == ["INVALID_TRANSITION", "WON"]
    row = await Offer.get(id=pk(scene.offer_id))
    profile = await Profile.get(user_id=pk(scene.candidate.id))
    notices = await Message.filter(kind=MessageKind.SYSTEM, conversation_id=pk(scene.conversation_id)).count()
    assert notices == 2  # extended + the winner's
    if outcome(accepted) == "WON":
        assert row.status == OfferStatus.ACCEPTED and profile.open_to_work == OpenToWork.HIRED
    else:
        assert row.status == OfferStatus.WITHDRAWN and profile.open_to_work == OpenToWork.ACTIVELY_LOOKING


async def test_two_concurrent_accepts_leave_exactly_one_winner(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    request = {"input": {"offerId": scene.offer_id, "versionNumber": 1}}
    # when
    results = await asyncio.gather(*(gql.post(ACCEPT_OFFER, request, token=scene.candidate.token) for _ in range(2)))
    # then
    assert sorted(outcome(r) for r in results) == ["INVALID_TRANSITION", "WON"]
    assert (await Offer.get(id=pk(scene.offer_id))).status == OfferStatus.ACCEPTED
    assert await Message.filter(body="Offer accepted: Senior Backend Engineer").count() == 1


async def test_concurrent_counter_and_revise_make_one_new_version(gql: GraphQLClient) -> None:
    # given
    scene = await make_offer_scene(gql)
    # when
    countered, revised = await asyncio.gather(
        gql.post(COUNTER_OFFER, {"input": {"offerId": scene.offer_id, "terms": {"equity": "2%"}}}, token=scene.candidate.token),
        gql.post(REVISE_OFFER, {"input": {"offerId": scene.offer_id, "terms": {"equity": "1%"}}}, token=scene.employer.token),
    )
    # then: the loser's view was stale (the revision keeps SENT, so a late counter sees a new version)
    results = sorted([outcome(countered), outcome(revised)])
    assert results[1] == "WON" and results[0] in {"INVALID_TRANSITION", "STALE_VERSION"}
    assert await OfferVersion.filter(offer_id=pk(scene.offer_id)).count() == 2
    assert (await Offer.get(id=pk(scene.offer_id))).current_version == 2


async def test_concurrent_accepts_of_two_offers_each_flag_the_other(gql: GraphQLClient) -> None:
    # given: one candidate, offers from two companies
    scene = await make_offer_scene(gql)
    rival = await make_employer(gql)
    rival_offer = await extend(gql, rival, await make_accepted_conversation(scene.candidate, rival))
    # when: the candidate accepts both at once (no deadlock, no error)
    results = await asyncio.gather(
        gql.post(ACCEPT_OFFER, {"input": {"offerId": scene.offer_id, "versionNumber": 1}}, token=scene.candidate.token),
        gql.post(ACCEPT_OFFER, {"input": {"offerId": rival_offer["id"], "versionNumber": 1}}, token=scene.candidate.token),
    )
    # then: accepts of one candidate serialise; the later one sees the earlier one's flag
    assert [outcome(r) for r in results] == ["WON", "WON"]
    rows = await Offer.filter(candidate_id=pk(scene.candidate.id)).order_by("id")
    assert [row.status for row in rows] == [OfferStatus.ACCEPTED, OfferStatus.ACCEPTED]
    assert sum(row.candidate_hired_elsewhere_at is not None for row in rows) == 1
