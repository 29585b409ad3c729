"""Chat over HTTP: the contact flow, sending, reading, pagination, who sees what."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from models.chat import Conversation, ConversationStatus, Message, MessageKind
from models.profiles import SalaryPeriod
from resolvers.ids import to_global_id
from tests.factories.accounts import make_candidate, make_employer
from tests.factories.chat import (
    RESPOND,
    SEND,
    START,
    block_company,
    make_reachable_candidate,
    pk,
    send,
    start_chat,
    start_input,
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


def codes(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


# --- Contact flow ------------------------------------------------------------------------

async def test_employer_starts_a_conversation_with_role_pay_and_message(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    candidate = await make_reachable_candidate(gql)
    # when
    payload = await gql.mutate(START, start_input(candidate), token=employer.token)
    # then
    assert payload["conversation"]["status"] == "REQUESTED"
    assert payload["conversation"]["salaryRange"] == {"min": 60000, "max": 80000, "currency": "EUR", "period": "YEAR"}
    assert payload["message"]["seq"] == 1 and payload["message"]["kind"] == "USER"
    conversation = await Conversation.get(id=pk(payload["conversation"]["id"]))
    assert conversation.last_seq == 1 and conversation.company_read_seq == 1 and conversation.candidate_read_seq == 0
    assert await Message.filter(conversation_id=conversation.pk).count() == 1


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"roleTitle": "  "}, "REQUIRED", ["input", "roleTitle"]),
        ({"roleTitle": "r" * 121}, "TOO_LONG", ["input", "roleTitle"]),
        ({"message": ""}, "REQUIRED", ["input", "message"]),
        ({"message": "m" * 4001}, "TOO_LONG", ["input", "message"]),
        ({"salaryRange": {"min": 90000, "max": 80000, "currency": "EUR", "period": "YEAR"}}, "OUT_OF_RANGE", ["input", "salaryRange", "max"]),
        ({"salaryRange": {"min": -1, "max": 80000, "currency": "EUR", "period": "YEAR"}}, "OUT_OF_RANGE", ["input", "salaryRange", "min"]),
        ({"salaryRange": {"min": 1, "max": 2, "currency": "EURO", "period": "YEAR"}}, "INVALID_CURRENCY", ["input", "salaryRange", "currency"]),
        ({"salaryRange": {"min": 1, "max": 2, "currency": "ZZZ", "period": "YEAR"}}, "INVALID_CURRENCY", ["input", "salaryRange", "currency"]),
    ],
)
async def test_start_conversation_validates_and_changes_nothing(
    gql: GraphQLClient, overrides: dict, code: str, field: list[str]
) -> None:
    employer = await make_employer(gql)
    candidate = await make_reachable_candidate(gql)
    payload = await gql.mutate(START, start_input(candidate, **overrides), token=employer.token, ok=False)
    assert (code, field) in codes(payload)
    assert payload["conversation"] is None
    assert await Conversation.all().count() == 0 and await Message.all().count() == 0


async def test_hidden_blocked_and_unknown_candidates_all_look_not_found(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    hidden = await make_reachable_candidate(gql, visibility="HIDDEN")
    blocker = await make_reachable_candidate(gql)
    await block_company(blocker, employer.company_id)
    other_employer = await make_employer(gql)
    unknown = "VXNlcjo5OTk5OTk"
    # when
    answers = [
        await gql.mutate(START, start_input(target), token=employer.token, ok=False)
        for target in (hidden, blocker)
    ]
    answers.append(await gql.mutate(START, {**start_input(hidden), "candidateId": unknown}, token=employer.token, ok=False))
    answers.append(await gql.mutate(START, {**start_input(hidden), "candidateId": other_employer.id}, token=employer.token, ok=False))
    # then: identical answers, nothing stored
    assert all(a["userErrors"] == answers[0]["userErrors"] for a in answers)
    assert codes(answers[0]) == [("NOT_FOUND", ["input", "candidateId"])]
    assert await Conversation.all().count() == 0


async def test_the_profile_id_of_a_search_result_names_the_candidate_too(gql: GraphQLClient) -> None:
    # given: the employer knows the candidate only from a search result (SearchCandidate.id)
    from models.profiles import Profile

    employer = await make_employer(gql)
    candidate = await make_reachable_candidate(gql)
    hidden = await make_reachable_candidate(gql, visibility="HIDDEN")
    profile_id = to_global_id("Profile", (await Profile.get(user_id=pk(candidate.id))).pk)
    hidden_profile_id = to_global_id("Profile", (await Profile.get(user_id=pk(hidden.id))).pk)
    # when
    payload = await gql.mutate(START, {**start_input(candidate), "candidateId": profile_id}, token=employer.token)
    refused = await gql.mutate(START, {**start_input(hidden), "candidateId": hidden_profile_id}, token=employer.token, ok=False)
    # then: the same conversation a User ID opens; a hidden profile is NOT_FOUND like any other
    assert payload["conversation"]["status"] == "REQUESTED"
    conversation = await Conversation.get(id=pk(payload["conversation"]["id"]))
    assert conversation.candidate_id == pk(candidate.id)
    assert codes(refused) == [("NOT_FOUND", ["input", "candidateId"])]
    assert await Conversation.all().count() == 1


async def test_blocked_by_domain_cannot_contact(gql: GraphQLClient) -> None:
    from models.profiles import Block, Profile

    employer = await make_employer(gql, email="hr@bigcorp.io")
    candidate = await make_reachable_candidate(gql)
    await Block.create(profile=await Profile.get(user_id=pk(candidate.id)), domain="bigcorp.io")
    payload = await gql.mutate(START, start_input(candidate), token=employer.token, ok=False)
    assert codes(payload) == [("NOT_FOUND", ["input", "candidateId"])]


async def test_range_below_candidate_floor_is_refused(gql: GraphQLClient) -> None:
    employer = await make_employer(gql)
    candidate = await make_reachable_candidate(gql, salary_min=90000, salary_currency="EUR", salary_period=SalaryPeriod.YEAR)
    low = await gql.mutate(START, start_input(candidate), token=employer.token, ok=False)
    assert codes(low) == [("BELOW_CANDIDATE_FLOOR", ["input", "salaryRange", "max"])]
    # another currency is not compared; a monthly range is converted
    other = await gql.mutate(
        START, start_input(candidate, salaryRange={"min": 8000, "max": 8000, "currency": "EUR", "period": "MONTH"}),
        token=employer.token,
    )
    assert other["conversation"]["status"] == "REQUESTED"


async def test_candidates_cannot_start_conversations(gql: GraphQLClient) -> None:
    candidate = await make_candidate(gql)
    target = await make_reachable_candidate(gql)
    result = await gql.post(START, {"input": start_input(target)}, token=candidate.token)
    assert result.codes == ["FORBIDDEN"]
    assert (await gql.post(START, {"input": start_input(target)})).codes == ["UNAUTHENTICATED"]


async def test_one_conversation_per_company_and_candidate_even_concurrently(gql: GraphQLClient) -> None:
    # given
    employer = await make_employer(gql)
    colleague = await make_employer(gql, invitation_code=employer.invitation_code)
    candidate = await make_reachable_candidate(gql)
    # when: two members of the company race
    results = await asyncio.gather(
        gql.mutate(START, start_input(candidate), token=employer.token, ok=False),
        gql.mutate(START, start_input(candidate), token=colleague.token, ok=False),
    )
    # then
    assert sorted(bool(r["userErrors"]) for r in results) == [False, True]
    loser = next(r for r in results if r["userErrors"])
    assert codes(loser) == [("ALREADY_IN_CONVERSATION", ["input", "candidateId"])]
    assert await Conversation.all().count() == 1 and await Message.all().count() == 1


async def test_weekly_quota_of_unanswered_requests_and_answers_give_slots_back(gql: GraphQLClient, settings) -> None:
    # given: quota reached
    employer = await make_employer(gql)
    chats = [await start_chat(gql, employer) for _ in range(settings.contact_requests_per_week)]
    extra = await make_reachable_candidate(gql)
    # when / then
    refused = await gql.mutate(START, start_input(extra), token=employer.token, ok=False)
    assert codes(refused) == [("CONTACT_QUOTA_EXCEEDED", None)]
    # a reply from a candidate gives the slot back
    await send(gql, chats[0].candidate, chats[0].conversation_id, "Hi, sure")
    assert (await gql.mutate(START, start_input(extra), token=employer.token))["conversation"]
    # a request older than 7 days does not count
    another = await make_reachable_candidate(gql)
    assert codes(await gql.mutate(START, start_input(another), token=employer.token, ok=False))[0][0] == "CONTACT_QUOTA_EXCEEDED"
    await Conversation.filter(id=pk(chats[1].conversation_id)).update(created_at=datetime.now(timezone.utc) - timedelta(days=8))
    assert (await gql.mutate(START, start_input(another), token=employer.token))["conversation"]


async def test_requested_company_cannot_write_until_candidate_answers(gql: GraphQLClient) -> None:
    # given
    chat = await start_chat(gql)
    # when
    blocked = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "ping?"}, token=chat.employer.token, ok=False)
    # then
    assert codes(blocked) == [("CONVERSATION_NOT_ACCEPTED", ["input", "conversationId"])]
    assert await Message.all().count() == 1


async def test_accepting_posts_a_system_message_then_both_write(gql: GraphQLClient) -> None:
    chat = await start_chat(gql)
    payload = await gql.mutate(RESPOND, {"conversationId": chat.conversation_id, "accept": True}, token=chat.candidate.token)
    assert payload["conversation"]["status"] == "ACCEPTED" and payload["conversation"]["respondedAt"]
    system = await Message.get(conversation_id=pk(chat.conversation_id), seq=2)
    assert system.kind == MessageKind.SYSTEM and system.sender_id is None
    message = await send(gql, chat.employer, chat.conversation_id, "Great, let's talk")
    assert message["seq"] == 3 and message["senderSide"] == "COMPANY"
    again = await gql.mutate(RESPOND, {"conversationId": chat.conversation_id, "accept": False}, token=chat.candidate.token, ok=False)
    assert codes(again) == [("ALREADY_RESPONDED", ["input", "conversationId"])]


async def test_declined_company_cannot_write_again(gql: GraphQLClient) -> None:
    chat = await start_chat(gql)
    await gql.mutate(RESPOND, {"conversationId": chat.conversation_id, "accept": False}, token=chat.candidate.token)
    refused = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "please?"}, token=chat.employer.token, ok=False)
    assert codes(refused) == [("CONVERSATION_DECLINED", ["input", "conversationId"])]
    assert (await Conversation.get(id=pk(chat.conversation_id))).status == ConversationStatus.DECLINED


async def test_candidate_reply_accepts(gql: GraphQLClient) -> None:
    chat = await start_chat(gql)
    message = await send(gql, chat.candidate, chat.conversation_id, "Yes, tell me more")
    assert message["seq"] == 3  # after the system notice (seq 2)
    conversation = await Conversation.get(id=pk(chat.conversation_id))
    assert conversation.status == ConversationStatus.ACCEPTED
    assert [m.kind for m in await Message.filter(conversation_id=conversation.pk).order_by("seq")] == [
        MessageKind.USER, MessageKind.SYSTEM, MessageKind.USER,
    ]


async def test_only_the_candidate_responds(gql: GraphQLClient) -> None:
    chat = await start_chat(gql)
    result = await gql.post(RESPOND, {"input": {"conversationId": chat.conversation_id, "accept": True}}, token=chat.employer.token)
    assert result.codes == ["FORBIDDEN"]


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
    from models.profiles import Profile

    # given: the candidate's profile is gone (erased account data)
    chat = await start_chat(gql, accept=True)
    await Profile.filter(user_id=pk(chat.candidate.id)).delete()
    # when
    refused = await gql.mutate(SEND, {"conversationId": chat.conversation_id, "body": "still there?"}, token=chat.employer.token, ok=False)
    # then
    assert codes(refused) == [("NOT_FOUND", ["input", "conversationId"])]
    assert (await Conversation.get(id=pk(chat.conversation_id))).last_seq == 2


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
