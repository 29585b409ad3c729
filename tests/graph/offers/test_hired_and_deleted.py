"""What a hire and an account deletion close, from bare sign-ups through the real app:

- a HIRED candidate takes no new contact requests (CANDIDATE_HIRED);
- deleting a candidate's account closes her open offers (status CLOSED, no longer SENT,
  never revisable) and her unanswered contact requests (DECLINED), and tells the
  companies through ``offerUpdated`` and ``conversationUpdated`` after commit.
"""

from __future__ import annotations

import asyncio

from models.chat import Conversation, ConversationStatus
from models.offers import Offer
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.chat import START, pk, send, start_input
from tests.factories.offers import ACCEPT_OFFER, COUNTER_OFFER, REVISE_OFFER, extend
from tests.graph.profiles.test_blocks import UPDATE_PROFILE
from tests.graphql import GraphQLClient, subscribed

OFFERS = "query($status: OfferStatus) { offers(status: $status, first: 50) { totalCount edges { node { id status } } } }"
DELETE = "mutation($input: DeleteMyAccountInput!) { deleteMyAccount(input: $input) { deleted userErrors { code } } }"
OFFER_UPDATED = "subscription { offerUpdated { change offer { id status } } }"
CONVERSATION_UPDATED = "subscription { conversationUpdated { change conversation { id status } } }"


async def new_candidate(gql: GraphQLClient) -> Actor:
    """A bare sign-up who shows her profile to employers and is looking."""
    candidate = await make_candidate(gql)
    await gql.mutate(UPDATE_PROFILE, {"visibility": "EMPLOYERS", "openToWork": "ACTIVELY_LOOKING"}, token=candidate.token)
    return candidate


async def contacted(gql: GraphQLClient, employer: Actor, candidate: Actor, *, reply: bool) -> str:
    payload = await gql.mutate(START, start_input(candidate), token=employer.token)
    conversation_id = str(payload["conversation"]["id"])
    if reply:
        await send(gql, candidate, conversation_id, "Happy to talk!")
    return conversation_id


async def test_a_hired_candidate_takes_no_new_contact_requests(gql: GraphQLClient) -> None:
    # given: a new candidate accepts an offer from the first company that contacted her
    candidate = await new_candidate(gql)
    hiring, late = await make_employer(gql), await make_employer(gql)
    offer = await extend(gql, hiring, await contacted(gql, hiring, candidate, reply=True))
    await gql.mutate(ACCEPT_OFFER, {"offerId": offer["id"], "versionNumber": 1}, token=candidate.token)
    # when: another company tries to contact her
    refused = await gql.mutate(START, start_input(candidate), token=late.token, ok=False)
    # then
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("CANDIDATE_HIRED", ["input", "candidateId"])]
    assert await Conversation.filter(company_id=pk(late.company_id or "")).count() == 0


async def test_a_candidate_looking_again_after_a_hire_can_be_contacted(gql: GraphQLClient) -> None:
    # given: hired, then looking again
    candidate = await new_candidate(gql)
    hiring, later = await make_employer(gql), await make_employer(gql)
    offer = await extend(gql, hiring, await contacted(gql, hiring, candidate, reply=True))
    await gql.mutate(ACCEPT_OFFER, {"offerId": offer["id"], "versionNumber": 1}, token=candidate.token)
    await gql.mutate(UPDATE_PROFILE, {"openToWork": "OPEN"}, token=candidate.token)
    # when / then
    await gql.mutate(START, start_input(candidate), token=later.token)


async def test_deleting_an_account_closes_open_offers_and_requests_and_tells_the_companies(
    gql: GraphQLClient, app: object
) -> None:
    # given: a SENT offer from one company, a COUNTERED one from another, an unanswered
    # request from a third; each company listens
    candidate = await new_candidate(gql)
    sender, counter, requester = await make_employer(gql), await make_employer(gql), await make_employer(gql)
    sent = await extend(gql, sender, await contacted(gql, sender, candidate, reply=True))
    countered = await extend(gql, counter, await contacted(gql, counter, candidate, reply=True))
    await gql.mutate(
        COUNTER_OFFER, {"offerId": countered["id"], "terms": {"title": "Staff Engineer"}}, token=candidate.token
    )
    request = await contacted(gql, requester, candidate, reply=False)
    async with (
        gql.websocket(token=sender.token) as sender_ws,
        gql.websocket(token=counter.token) as counter_ws,
        gql.websocket(token=requester.token) as requester_ws,
    ):
        sender_op = await subscribed(app, sender_ws, OFFER_UPDATED, live=1)
        counter_op = await subscribed(app, counter_ws, OFFER_UPDATED, live=2)
        requester_op = await subscribed(app, requester_ws, CONVERSATION_UPDATED, live=3)
        # when
        deleted = await gql.mutate(DELETE, {"confirm": True}, token=candidate.token)
        assert deleted["deleted"] is True
        # then: every company hears it
        for ws, op, offer in ((sender_ws, sender_op, sent), (counter_ws, counter_op, countered)):
            update = (await ws.next(op))["data"]["offerUpdated"]
            assert update == {"change": "CLOSED", "offer": {"id": offer["id"], "status": "CLOSED"}}
        change = (await requester_ws.next(requester_op))["data"]["conversationUpdated"]
        assert change == {"change": "DECLINED", "conversation": {"id": request, "status": "DECLINED"}}
    # and nothing is open any more
    for employer in (sender, counter):
        assert (await gql.execute(OFFERS, {"status": "SENT"}, token=employer.token))["offers"]["totalCount"] == 0
        assert (await gql.execute(OFFERS, {"status": "COUNTERED"}, token=employer.token))["offers"]["totalCount"] == 0
    revise = await gql.mutate(
        REVISE_OFFER, {"offerId": sent["id"], "terms": {"title": "Come back"}}, token=sender.token, ok=False
    )
    assert [e["code"] for e in revise["userErrors"]] == ["INVALID_TRANSITION"]
    assert {str(o.status.value) for o in await Offer.all()} == {"CLOSED"}
    assert (await Conversation.get(id=pk(request))).status == ConversationStatus.DECLINED


async def test_deletion_racing_a_revision_leaves_the_offer_closed(gql: GraphQLClient) -> None:
    # given
    candidate = await new_candidate(gql)
    employer = await make_employer(gql)
    offer = await extend(gql, employer, await contacted(gql, employer, candidate, reply=True))
    # when: the company revises while the candidate deletes her account
    await asyncio.gather(
        gql.mutate(REVISE_OFFER, {"offerId": offer["id"], "terms": {"title": "Racing"}}, token=employer.token, ok=False),
        gql.mutate(DELETE, {"confirm": True}, token=candidate.token),
    )
    # then: whichever committed first, the offer ends closed
    assert (await Offer.get(id=pk(offer["id"]))).status.value == "CLOSED"
