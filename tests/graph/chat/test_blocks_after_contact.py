"""A block made after contact ends the company's access at once, for every member of the
company: the conversation and its offers are gone for them (the candidate keeps her
history and her offers), every company write is refused as NOT_FOUND, and unblocking
gives everything back. Open subscriptions: ``tests/subscriptions/chat/test_blocks.py``."""

from __future__ import annotations

from tests.factories.accounts import make_employer
from tests.factories.chat import send, start_chat
from tests.factories.offers import REVISE_OFFER, WITHDRAW_OFFER, extend, terms
from tests.graph.profiles.test_blocks import BLOCK, BY_NODE, UNBLOCK
from tests.graphql import GraphQLClient

CONVERSATIONS = "query { conversations(first: 50) { totalCount edges { node { id } } } }"
CONVERSATION = "query($id: ID!) { conversation(id: $id) { id messages(last: 50) { edges { node { body } } } } }"
OFFERS = "query { offers(first: 50) { totalCount edges { node { id status } } } }"
OFFER_NODE = "query($id: ID!) { node(id: $id) { id ... on Offer { status } } }"
EXTEND = """
mutation($input: ExtendOfferInput!) { extendOffer(input: $input) { offer { id } userErrors { code field } } }
"""


async def test_a_block_after_contact_closes_the_conversation_for_every_member(gql: GraphQLClient) -> None:
    # given: an accepted conversation with a history, and a colleague of the employer
    chat = await start_chat(gql, accept=True)
    colleague = await make_employer(gql, invitation_code=chat.employer.invitation_code)
    await send(gql, chat.candidate, chat.conversation_id, "my secret plans")
    # when
    await gql.mutate(BLOCK, {"companyId": chat.employer.company_id}, token=chat.candidate.token)
    # then: the company reads nothing of it any more, by any path
    for member in (chat.employer, colleague):
        assert (await gql.execute(CONVERSATIONS, token=member.token))["conversations"]["totalCount"] == 0
        assert (await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=member.token))["conversation"] is None
        assert (await gql.execute(BY_NODE, {"id": chat.conversation_id}, token=member.token))["node"] is None
    # and the candidate keeps her history
    mine = await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=chat.candidate.token)
    bodies = [e["node"]["body"] for e in mine["conversation"]["messages"]["edges"]]
    assert "my secret plans" in bodies
    assert (await gql.execute(CONVERSATIONS, token=chat.candidate.token))["conversations"]["totalCount"] == 1


async def test_a_block_after_an_offer_refuses_every_company_write_on_it(gql: GraphQLClient) -> None:
    # given: a SENT offer in an accepted conversation
    chat = await start_chat(gql, accept=True)
    offer = await extend(gql, chat.employer, chat.conversation_id)
    # when
    await gql.mutate(BLOCK, {"companyId": chat.employer.company_id}, token=chat.candidate.token)
    # then: the company cannot revise, withdraw or extend, nor see the offer
    revise = await gql.mutate(
        REVISE_OFFER, {"offerId": offer["id"], "terms": {"title": "Better title"}}, token=chat.employer.token, ok=False
    )
    withdraw = await gql.mutate(WITHDRAW_OFFER, {"offerId": offer["id"]}, token=chat.employer.token, ok=False)
    again = await gql.mutate(
        EXTEND, {"conversationId": chat.conversation_id, "terms": terms()}, token=chat.employer.token, ok=False
    )
    assert [e["code"] for e in revise["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in withdraw["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in again["userErrors"]] == ["NOT_FOUND"]
    assert (await gql.execute(OFFERS, token=chat.employer.token))["offers"]["totalCount"] == 0
    assert (await gql.execute(OFFER_NODE, {"id": offer["id"]}, token=chat.employer.token))["node"] is None
    # and the candidate still holds her offer, unchanged
    mine = await gql.execute(OFFERS, token=chat.candidate.token)
    assert [e["node"]["status"] for e in mine["offers"]["edges"]] == ["SENT"]
    assert (await gql.execute(OFFER_NODE, {"id": offer["id"]}, token=chat.candidate.token))["node"]["status"] == "SENT"


async def test_unblocking_gives_the_company_its_conversation_back(gql: GraphQLClient) -> None:
    # given
    chat = await start_chat(gql, accept=True)
    await gql.mutate(BLOCK, {"companyId": chat.employer.company_id}, token=chat.candidate.token)
    # when
    await gql.mutate(UNBLOCK, {"companyId": chat.employer.company_id}, token=chat.candidate.token)
    # then
    assert (await gql.execute(CONVERSATIONS, token=chat.employer.token))["conversations"]["totalCount"] == 1
    await send(gql, chat.employer, chat.conversation_id, "welcome back")

