"""Red flags on first contact through the API: a company's messages are checked until
the candidate writes back; the warning is the candidate's alone."""

from __future__ import annotations

from tests.factories.chat import send, start_chat
from tests.graphql import GraphQLClient

MESSAGES = """
query($id: ID!) { conversation(id: $id) { messages(first: 50) { edges { node { body redFlags } } } } }
"""
SCAM_DE = "Für den Vertrag brauchen wir Ihre Bankverbindung. Schreiben Sie mir auf WhatsApp."


async def flags(gql: GraphQLClient, token: str, conversation_id: str) -> dict[str, list[str]]:
    data = await gql.execute(MESSAGES, {"id": conversation_id}, token=token)
    return {e["node"]["body"]: e["node"]["redFlags"] for e in data["conversation"]["messages"]["edges"]}


async def test_company_messages_are_checked_until_the_candidate_replies(gql: GraphQLClient) -> None:
    # given: a contact request the candidate accepted without writing anything
    chat = await start_chat(gql, accept=True)
    # when: the company sends a scam (the one-statement send path)
    await send(gql, chat.employer, chat.conversation_id, SCAM_DE)
    # then: the candidate sees the warning, the company does not
    assert (await flags(gql, chat.candidate.token, chat.conversation_id))[SCAM_DE] == ["MONEY_REQUEST", "OFF_PLATFORM_CONTACT"]
    assert (await flags(gql, chat.employer.token, chat.conversation_id))[SCAM_DE] == []
    # when: the candidate replies, and the company sends the same kind of text again
    await send(gql, chat.candidate, chat.conversation_id, "Warum per WhatsApp?")
    later = "Bitte senden Sie uns Ihre Bankverbindung für die Gehaltsabrechnung."
    await send(gql, chat.employer, chat.conversation_id, later)
    # then: no longer first contact, no flag (and the candidate's own message is never flagged)
    seen = await flags(gql, chat.candidate.token, chat.conversation_id)
    assert seen[later] == [] and seen["Warum per WhatsApp?"] == []
