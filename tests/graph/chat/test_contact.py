"""Chat over HTTP, the contact flow: a first contact names role and pay, reaches only
candidates the company may reach, respects the weekly quota, and the candidate's answer
(accept, decline, or a reply) decides who may write."""

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
    codes,
    make_reachable_candidate,
    pk,
    send,
    start_chat,
    start_input,
)
from tests.graphql import GraphQLClient


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
