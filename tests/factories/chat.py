"""Factories for chat tests: reachable candidates, contact requests, accepted conversations.

Candidate profile fields (visibility, desired salary, blocks) are set through the ORM in
the "given" step: the profile mutations live in another feature.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from models.profiles import Block, Profile, Visibility
from resolvers.ids import parse_global_id
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.graphql import GraphQLClient

_ids = itertools.count(1)

START = """
mutation Start($input: StartConversationInput!) {
  startConversation(input: $input) {
    conversation { id status roleTitle salaryRange { min max currency period } unreadCount }
    message { id seq body kind }
    userErrors { code field message }
  }
}
"""
RESPOND = """
mutation Respond($input: RespondToContactInput!) {
  respondToContact(input: $input) { conversation { id status respondedAt } userErrors { code field message } }
}
"""
SEND = """
mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) {
    message { id seq body kind clientMessageId senderSide }
    conversation { id status lastSeq unreadCount }
    userErrors { code field message }
  }
}
"""

SALARY = {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"}


def pk(global_id: str) -> int:
    return parse_global_id(global_id)[1]


def codes(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    """A mutation payload's user errors as ``(code, field)`` pairs."""
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def make_reachable_candidate(gql: GraphQLClient, *, visibility: str = "EMPLOYERS", **profile: Any) -> Actor:
    """A candidate whose profile employers can find (not HIDDEN)."""
    candidate = await make_candidate(gql)
    await Profile.filter(user_id=pk(candidate.id)).update(visibility=Visibility(visibility), **profile)
    return candidate


async def block_company(candidate: Actor, company_id: str) -> None:
    profile = await Profile.get(user_id=pk(candidate.id))
    await Block.create(profile=profile, company_id=pk(company_id))


def start_input(candidate: Actor, **overrides: Any) -> dict[str, Any]:
    return {
        "candidateId": candidate.id,
        "roleTitle": "Data engineer",
        "salaryRange": dict(SALARY),
        "message": "Hello! Would you like to talk about a data engineering role?",
        **overrides,
    }


@dataclass
class Chat:
    employer: Actor
    candidate: Actor
    conversation_id: str


async def start_chat(
    gql: GraphQLClient, employer: Actor | None = None, candidate: Actor | None = None, *, accept: bool = False
) -> Chat:
    employer = employer or await make_employer(gql)
    candidate = candidate or await make_reachable_candidate(gql)
    payload = await gql.mutate(START, start_input(candidate), token=employer.token)
    chat = Chat(employer, candidate, payload["conversation"]["id"])
    if accept:
        await gql.mutate(RESPOND, {"conversationId": chat.conversation_id, "accept": True}, token=candidate.token)
    return chat


async def send(gql: GraphQLClient, actor: Actor, conversation_id: str, body: str | None = None, **extra: Any) -> dict[str, Any]:
    payload = await gql.mutate(
        SEND, {"conversationId": conversation_id, "body": body or f"message {next(_ids)}", **extra}, token=actor.token
    )
    return payload["message"]
