"""Chat over HTTP: sending, reading, pagination, who sees what, responsiveness (the
contact flow is in ``test_contact.py``)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from models.chat import Conversation, Message
from models.profiles import Profile
from resolvers.ids import to_global_id
from tests.factories.accounts import Actor, make_candidate, make_employer
from tests.factories.chat import (
    RESPOND,
    SEND,
    Chat,
    block_company,
    codes,
    make_reachable_candidate,
    pk,
    send,
    start_chat,
)
from tests.graphql import GraphQLClient

CONVERSATIONS = """
query Conversations($first: Int, $after: String) {
  conversations(first: $first, after: $after) {
    totalCount
    edges { cursor node { id roleTitle unreadCount lastMessage { body } candidate { id } company { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CONVERSATION = """
query Conversation($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  conversation(id: $id) {
    id status viewerSide unreadCount viewerReadSeq otherSideReadSeq
    candidate { id displayName }
    messages(first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id seq body kind senderSide sender { id } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""
MARK_READ = """
mutation Read($input: MarkConversationReadInput!) {
  markConversationRead(input: $input) { conversation { unreadCount viewerReadSeq } userErrors { code field } }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id } }"
RESPONSIVENESS = """
query R($id: ID!) { node(id: $id) { ... on Company { responsiveness { answeredWithinWeekShare medianReplySeconds candidateMessages } } } }
"""


# --- Messages ------------------------------------------------------------------------------

async def test_resending_a_client_message_id_returns_the_original(gql: GraphQLClient) -> None:
    chat = await start_chat(gql, accept=True)
    first = await send(gql, chat.employer, chat.conversation_id, "hello", clientMessageId="c-1")
    second = await send(gql, chat.employer, chat.conversation_id, "hello (retry)", clientMessageId="c-1")
    assert second == first and second["clientMessageId"] == "c-1"
    assert await Message.filter(client_message_id="c-1").count() == 1


async def test_concurrent_duplicates_create_one_message(gql: GraphQLClient) -> None:
    # given
    chat = await start_chat(gql, accept=True)
    # when
    results = await asyncio.gather(
        *[
            gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "once", "clientMessageId": "dup"}, token=chat.employer.token)
            for _ in range(6)
        ]
    )
    # then
    assert len({r["message"]["id"] for r in results}) == 1
    assert await Message.filter(client_message_id="dup").count() == 1
    conversation = await Conversation.get(id=pk(chat.conversation_id))
    assert conversation.last_seq == await Message.filter(conversation_id=conversation.pk).count()


async def test_concurrent_sends_get_consecutive_seqs(gql: GraphQLClient) -> None:
    chat = await start_chat(gql, accept=True)
    await asyncio.gather(*[send(gql, chat.employer, chat.conversation_id) for _ in range(8)])
    await asyncio.gather(*[send(gql, chat.candidate, chat.conversation_id) for _ in range(4)])
    seqs = [m.seq for m in await Message.filter(conversation_id=pk(chat.conversation_id)).order_by("seq")]
    assert seqs == list(range(1, 15))


@pytest.mark.parametrize(("body", "code"), [("", "REQUIRED"), ("   ", "REQUIRED"), ("x" * 4001, "TOO_LONG")])
async def test_message_body_limits(gql: GraphQLClient, body: str, code: str) -> None:
    chat = await start_chat(gql, accept=True)
    payload = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": body}, token=chat.employer.token, ok=False)
    assert codes(payload) == [(code, ["input", "body"])]
    assert await Message.all().count() == 2
    assert (await send(gql, chat.employer, chat.conversation_id, "x" * 4000))["seq"] == 3


async def test_messages_per_minute_are_rate_limited(gql: GraphQLClient, settings) -> None:
    chat = await start_chat(gql, accept=True)
    await Message.bulk_create(
        [Message(conversation_id=pk(chat.conversation_id), seq=100 + i, sender_id=pk(chat.employer.id), body="x") for i in range(settings.messages_per_minute)]
    )
    result = await gql.post(SEND, {"input": {"conversationId": chat.conversation_id, "body": "one more"}}, token=chat.employer.token)
    assert result.codes == ["RATE_LIMITED"]
    assert "last minute" in result.errors[0]["message"]


async def test_unread_counts_and_mark_read(gql: GraphQLClient) -> None:
    # given: seq 1 (company), 2 (system), 3-4 (company)
    chat = await start_chat(gql, accept=True)
    await send(gql, chat.employer, chat.conversation_id)
    await send(gql, chat.employer, chat.conversation_id)
    view = (await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=chat.candidate.token))["conversation"]
    assert view["unreadCount"] == 4 and view["viewerSide"] == "CANDIDATE"
    # when
    partial = await gql.mutate(MARK_READ, {"conversationId": chat.conversation_id, "seq": 3}, token=chat.candidate.token)
    backwards = await gql.mutate(MARK_READ, {"conversationId": chat.conversation_id, "seq": 1}, token=chat.candidate.token)
    everything = await gql.mutate(MARK_READ, {"conversationId": chat.conversation_id}, token=chat.candidate.token)
    # then
    assert partial["conversation"] == {"unreadCount": 1, "viewerReadSeq": 3}
    assert backwards["conversation"] == {"unreadCount": 1, "viewerReadSeq": 3}
    assert everything["conversation"] == {"unreadCount": 0, "viewerReadSeq": 4}
    company_view = (await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=chat.employer.token))["conversation"]
    assert company_view["otherSideReadSeq"] == 4 and company_view["unreadCount"] == 0  # its own writes moved it past the notice
    assert (await Conversation.get(id=pk(chat.conversation_id))).candidate_read_seq == 4


async def test_conversations_newest_activity_first_with_pages(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    chats = [await start_chat(gql, employer, accept=True) for _ in range(3)]
    await send(gql, employer, chats[0].conversation_id, "latest")
    # when
    first = (await gql.execute(CONVERSATIONS, {"first": 2}, token=employer.token))["conversations"]
    rest = (await gql.execute(CONVERSATIONS, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=employer.token))["conversations"]
    # then
    order = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert order == [chats[0].conversation_id, chats[2].conversation_id, chats[1].conversation_id]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert first["edges"][0]["node"]["lastMessage"]["body"] == "latest"
    candidate_view = (await gql.execute(CONVERSATIONS, token=chats[1].candidate.token))["conversations"]
    assert [e["node"]["id"] for e in candidate_view["edges"]] == [chats[1].conversation_id]


async def test_messages_keyset_pagination_both_ways(gql: GraphQLClient) -> None:
    chat = await start_chat(gql, accept=True)
    for i in range(5):
        await send(gql, chat.employer, chat.conversation_id, f"m{i}")
    # newest three, then the page before them
    newest = (await gql.execute(CONVERSATION, {"id": chat.conversation_id, "last": 3}, token=chat.candidate.token))["conversation"]["messages"]
    assert [e["node"]["seq"] for e in newest["edges"]] == [5, 6, 7] and newest["pageInfo"]["hasPreviousPage"]
    older = (await gql.execute(CONVERSATION, {"id": chat.conversation_id, "last": 3, "before": newest["pageInfo"]["startCursor"]}, token=chat.candidate.token))["conversation"]["messages"]
    assert [e["node"]["seq"] for e in older["edges"]] == [2, 3, 4]
    forward = (await gql.execute(CONVERSATION, {"id": chat.conversation_id, "first": 2, "after": older["edges"][0]["cursor"]}, token=chat.candidate.token))["conversation"]["messages"]
    assert [e["node"]["seq"] for e in forward["edges"]] == [3, 4] and forward["pageInfo"]["hasNextPage"]
    bad = await gql.post(CONVERSATION, {"id": chat.conversation_id, "after": "bogus"}, token=chat.candidate.token)
    assert bad.codes == ["BAD_USER_INPUT"]


# --- Who sees what -------------------------------------------------------------------------

async def test_nobody_else_reads_or_writes(gql: GraphQLClient) -> None:
    # given
    chat = await start_chat(gql, accept=True)
    colleague = await make_employer(gql, invitation_code=chat.employer.invitation_code)
    other_company = await make_employer(gql)
    other_candidate = await make_candidate(gql)
    message_id = (await Message.get(conversation_id=pk(chat.conversation_id), seq=1)).pk

    message_gid = to_global_id("Message", message_id)
    # then: outsiders see null and cannot write
    for outsider in (other_company, other_candidate):
        assert (await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=outsider.token))["conversation"] is None
        assert (await gql.execute(NODE, {"id": chat.conversation_id}, token=outsider.token))["node"] is None
        assert (await gql.execute(NODE, {"id": message_gid}, token=outsider.token))["node"] is None
        assert (await gql.execute(CONVERSATIONS, token=outsider.token))["conversations"]["totalCount"] == 0
        refused = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "hi"}, token=outsider.token, ok=False)
        assert codes(refused) == [("NOT_FOUND", ["input", "conversationId"])]
    assert (await gql.post(CONVERSATION, {"id": chat.conversation_id})).codes == ["UNAUTHENTICATED"]
    # a colleague acts for the company
    assert (await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=colleague.token))["conversation"]["viewerSide"] == "COMPANY"
    assert (await send(gql, colleague, chat.conversation_id, "colleague here"))["seq"] == 3
    assert await Message.all().count() == 3


async def test_an_id_of_another_type_is_a_not_found_user_error_in_every_conversation_mutation(gql: GraphQLClient) -> None:
    """``conversationId`` is parsed inside the payload (graph.types.mutations.payload_mutation):
    a well-formed ID of another type is NOT_FOUND on that field, not a request error, and changes nothing."""
    # given: an accepted conversation, and the ID of something that is not a conversation
    chat = await start_chat(gql, accept=True)
    not_a_conversation = chat.candidate.id
    messages_before = await Message.all().count()
    token = chat.candidate.token

    # when
    sent = await gql.mutate(SEND, {"conversationId": not_a_conversation, "body": "hi"}, token=token, ok=False)
    read = await gql.mutate(MARK_READ, {"conversationId": not_a_conversation}, token=token, ok=False)
    answered = await gql.mutate(RESPOND, {"conversationId": not_a_conversation, "accept": True}, token=token, ok=False)
    typed = await gql.mutate(TYPING, {"conversationId": not_a_conversation}, token=token, ok=False)

    # then
    for payload in (sent, read, answered):
        assert codes(payload) == [("NOT_FOUND", ["input", "conversationId"])]
    assert typed == {"conversation": None, "userErrors": [{"code": "NOT_FOUND"}]}
    assert await Message.all().count() == messages_before


async def test_anonymous_candidate_is_hidden_until_accepted(gql: GraphQLClient) -> None:
    employer = await make_employer(gql)
    candidate = await make_reachable_candidate(gql, anonymous=True)
    chat = await start_chat(gql, employer, candidate)
    before = (await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=employer.token))["conversation"]
    assert before["candidate"] is None
    await send(gql, candidate, chat.conversation_id, "ok, accepted by replying")
    after = (await gql.execute(CONVERSATION, {"id": chat.conversation_id, "last": 1}, token=employer.token))["conversation"]
    assert after["candidate"]["id"] == candidate.id
    assert after["messages"]["edges"][0]["node"]["sender"]["id"] == candidate.id


async def test_company_blocked_after_contact_cannot_write(gql: GraphQLClient) -> None:
    chat = await start_chat(gql, accept=True)
    await block_company(chat.candidate, chat.employer.company_id)
    refused = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "hello?"}, token=chat.employer.token, ok=False)
    assert codes(refused) == [("NOT_FOUND", ["input", "conversationId"])]
    # a block closes the conversation for the company (issue 12, item 8): it reads nothing of it
    view = (await gql.execute(CONVERSATION, {"id": chat.conversation_id}, token=chat.employer.token))["conversation"]
    assert view is None


async def test_company_blocked_by_domain_after_contact_cannot_write_and_nothing_changes(gql: GraphQLClient) -> None:
    from models.profiles import Block, Profile

    # given
    chat = await start_chat(gql, employer=await make_employer(gql, email="hr@domainblock.io"), accept=True)
    await Block.create(profile=await Profile.get(user_id=pk(chat.candidate.id)), domain="domainblock.io")
    before = await Conversation.get(id=pk(chat.conversation_id))
    # when
    refused = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "hello?"}, token=chat.employer.token, ok=False)
    # then
    assert codes(refused) == [("NOT_FOUND", ["input", "conversationId"])]
    after = await Conversation.get(id=pk(chat.conversation_id))
    assert (after.last_seq, after.company_read_seq, after.last_activity_at) == (
        before.last_seq, before.company_read_seq, before.last_activity_at
    )
    assert await Message.filter(conversation_id=after.pk).count() == before.last_seq


async def test_candidate_without_profile_cannot_be_written_to(gql: GraphQLClient) -> None:
    # given: the candidate's profile is gone (erased account data)
    chat = await start_chat(gql, accept=True)
    await Profile.filter(user_id=pk(chat.candidate.id)).delete()
    # when
    refused = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "still there?"}, token=chat.employer.token, ok=False)
    # then
    assert codes(refused) == [("NOT_FOUND", ["input", "conversationId"])]
    assert (await Conversation.get(id=pk(chat.conversation_id))).last_seq == 2


TYPING = """
mutation Typing($input: SendTypingIndicatorInput!) { sendTypingIndicator(input: $input) { conversation { id } userErrors { code } } }
"""


async def test_typing_follows_the_write_rule(gql: GraphQLClient) -> None:
    """Typing is announced only where the typist may write (resolvers.chat.access.write_refusal)."""
    # given: a request, a declined request, and an accepted conversation whose candidate left
    requested, declined, left = await start_chat(gql), await start_chat(gql), await start_chat(gql, accept=True)
    await gql.mutate(RESPOND, {"conversationId": declined.conversation_id, "accept": False}, token=declined.candidate.token)
    await Profile.filter(user_id=pk(left.candidate.id)).delete()

    async def typing(chat: Chat, actor: Actor) -> list[str]:
        payload = await gql.mutate(TYPING, {"conversationId": chat.conversation_id}, token=actor.token, ok=False)
        return [e["code"] for e in payload["userErrors"]]

    # then: the company only where it may write; the candidate everywhere
    assert await typing(requested, requested.employer) == ["CONVERSATION_NOT_ACCEPTED"]
    assert await typing(declined, declined.employer) == ["CONVERSATION_DECLINED"]
    assert await typing(left, left.employer) == ["NOT_FOUND"]
    assert await typing(requested, requested.candidate) == []
    assert await typing(declined, declined.candidate) == []


async def test_rate_limit_allows_exactly_the_limit_and_ignores_older_messages(gql: GraphQLClient, settings) -> None:
    # given: limit - 2 messages this minute (the contact request is one more), many older ones
    chat = await start_chat(gql, accept=True)
    employer_pk, conversation_pk = pk(chat.employer.id), pk(chat.conversation_id)
    old = datetime.now(timezone.utc) - timedelta(minutes=2)
    await Message.bulk_create(
        [Message(conversation_id=conversation_pk, seq=1000 + i, sender_id=employer_pk, body="old", created_at=old) for i in range(settings.messages_per_minute)]
        + [Message(conversation_id=conversation_pk, seq=100 + i, sender_id=employer_pk, body="x") for i in range(settings.messages_per_minute - 2)]
    )
    # when
    last_allowed = await send(gql, chat.employer, chat.conversation_id, "the last one")
    refused = await gql.post(SEND, {"input": {"conversationId": chat.conversation_id, "body": "one too many"}}, token=chat.employer.token)
    # then
    assert last_allowed["seq"] == 3
    assert refused.codes == ["RATE_LIMITED"]
    assert (await Conversation.get(id=conversation_pk)).last_seq == 3
    # the other side has its own budget
    assert (await send(gql, chat.candidate, chat.conversation_id, "hi"))["seq"] == 4


async def test_client_message_id_used_in_another_conversation_is_refused(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    first = await start_chat(gql, employer=employer, accept=True)
    second = await start_chat(gql, employer=employer, accept=True)
    await send(gql, employer, first.conversation_id, "hello", clientMessageId="k-1")
    # when
    refused = await gql.mutate(
        SEND, {"conversationId": second.conversation_id, "body": "hello", "clientMessageId": "k-1"}, token=employer.token, ok=False
    )
    # then
    assert codes(refused) == [("DUPLICATE", ["input", "clientMessageId"])]
    assert (await Conversation.get(id=pk(second.conversation_id))).last_seq == 2


# --- Responsiveness --------------------------------------------------------------------------

async def test_company_responsiveness_is_computed_from_replies(gql: GraphQLClient) -> None:
    # given
    chat = await start_chat(gql, accept=True)
    candidate_pk, employer_pk, conversation_pk = pk(chat.candidate.id), pk(chat.employer.id), pk(chat.conversation_id)
    now = datetime.now(timezone.utc)
    assert (await gql.execute(RESPONSIVENESS, {"id": chat.employer.company_id}, token=chat.employer.token))["node"]["responsiveness"] == {
        "answeredWithinWeekShare": None, "medianReplySeconds": None, "candidateMessages": 0,
    }
    rows = [
        # answered after 1 hour
        (candidate_pk, now - timedelta(days=20)), (employer_pk, now - timedelta(days=20) + timedelta(hours=1)),
        # answered after 3 hours
        (candidate_pk, now - timedelta(days=15)), (employer_pk, now - timedelta(days=15) + timedelta(hours=3)),
        # answered after 10 days: late
        (candidate_pk, now - timedelta(days=12)), (employer_pk, now - timedelta(days=2)),
        # not answered, due
        (candidate_pk, now - timedelta(days=1, hours=1)),
        # older than 90 days: ignored
    ]
    await Message.bulk_create(
        [Message(conversation_id=conversation_pk, seq=10 + i, sender_id=s, body="x", created_at=t) for i, (s, t) in enumerate(rows)]
        + [Message(conversation_id=conversation_pk, seq=5, sender_id=candidate_pk, body="old", created_at=now - timedelta(days=100))]
    )
    # when
    data = (await gql.execute(RESPONSIVENESS, {"id": chat.employer.company_id}, token=chat.candidate.token))["node"]["responsiveness"]
    # then: 4 candidate messages in 90 days; the newest (1 day old, unanswered) is not due yet
    assert data["candidateMessages"] == 4
    assert data["answeredWithinWeekShare"] == pytest.approx(2 / 3)
    assert data["medianReplySeconds"] == pytest.approx(3 * 3600, rel=1e-3)
