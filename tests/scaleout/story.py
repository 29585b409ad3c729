"""API steps shared by the scale-out tests (all through GraphQL)."""

from __future__ import annotations

from typing import Any

from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.graphql import GraphQLClient

UPDATE_PROFILE = "mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { profile { id } userErrors { code message } } }"
ADD_SKILL = "mutation($input: AddSkillInput!) { addSkill(input: $input) { skill { id } userErrors { code message } } }"
START = "mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } message { id seq } userErrors { code message } } }"
RESPOND = "mutation($input: RespondToContactInput!) { respondToContact(input: $input) { userErrors { code message } } }"
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id seq body } userErrors { code message } } }"
EXTEND = "mutation($input: ExtendOfferInput!) { extendOffer(input: $input) { offer { id } userErrors { code message } } }"
SAVE = "mutation($input: SaveSearchInput!) { saveSearch(input: $input) { savedSearch { id } userErrors { code message } } }"
MESSAGE_ADDED = "subscription($id: ID, $after: ID) { messageAdded(conversationId: $id, after: $after) { id seq body } }"
OFFER_UPDATED = "subscription { offerUpdated { change offer { id status } } }"
CANDIDATE_MATCHED = "subscription($id: ID!) { candidateMatched(savedSearchId: $id) { savedSearchId candidate { id } } }"


async def visible_candidate(gql: GraphQLClient) -> Actor:
    candidate = await make_candidate(gql)
    await gql.mutate(UPDATE_PROFILE, {
        "visibility": "EMPLOYERS", "openToWork": "ACTIVELY_LOOKING", "headline": "Platform engineer",
    }, token=candidate.token)
    await gql.execute("mutation { confirmAvailability { userErrors { code } } }", token=candidate.token)
    return candidate


async def accepted_conversation(gql: GraphQLClient) -> tuple[Actor, Actor, str, dict[str, Any]]:
    """A visible candidate and an employer in an accepted conversation; returns the
    first message too."""
    candidate = await visible_candidate(gql)
    employer = await make_employer(gql)
    started = await gql.mutate(START, {
        "candidateId": candidate.id, "roleTitle": "Platform engineer", "message": "Hello!",
        "salaryRange": {"min": 80000, "max": 100000, "currency": "EUR", "period": "YEAR"},
    }, token=employer.token)
    conversation_id = started["conversation"]["id"]
    await gql.mutate(RESPOND, {"conversationId": conversation_id, "accept": True}, token=candidate.token)
    return candidate, employer, conversation_id, started["message"]


async def send(gql: GraphQLClient, actor: Actor, conversation_id: str, body: str) -> dict[str, Any]:
    return (await gql.mutate(SEND, {"conversationId": conversation_id, "body": body}, token=actor.token))["message"]
