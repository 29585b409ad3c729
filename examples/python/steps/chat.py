"""Contact with a salary range, the candidate's live inbox over graphql-transport-ws, and
resuming it after a disconnect with ``after`` (../operations/chat.graphql)."""

from __future__ import annotations

import uuid

from openforwork_client import (
    Client,
    ConversationSide,
    ConversationStatus,
    MessageFields,
    MessageKind,
    RespondToContactInput,
    SalaryPeriod,
    SalaryRangeInput,
    SendMessageInput,
    StartConversationInput,
)
from world import Account, Steps, World, check, need, next_event, no_user_errors

ACCEPTED_NOTICE = "The candidate accepted the contact request."
LIVE_BODY = "Great! Could you do a call on Tuesday?"
MISSED_BODIES = ["The call is at 10:00 Berlin time.", "Here is the link to the call."]
AFTER_RESUME_BODY = "See you then."

steps = Steps()


async def send(world: World, account: Account, body: str) -> MessageFields:
    conversation_id = need(world.conversation_id, "conversationId")
    async with world.client(account.token) as client:
        result = (
            await client.send_message(
                SendMessageInput(conversation_id=conversation_id, body=body, client_message_id=str(uuid.uuid4()))
            )
        ).send_message
    no_user_errors(result.user_errors)
    return need(result.message, "sendMessage.message")


class Listener:
    """The candidate's subscription to this conversation, resuming after ``after``."""

    def __init__(self, world: World, after: str) -> None:
        self.client: Client = world.client(need(world.candidate, "candidate").token)
        self.events = self.client.message_added(conversation_id=need(world.conversation_id, "conversationId"), after=after)

    async def next(self, what: str) -> MessageFields:
        return (await next_event(self.events, what)).message_added

    async def close(self) -> None:
        await self.events.aclose()  # closes the WebSocket
        await self.client.http_client.aclose()


live: Listener | None = None


@steps("startConversation with a salary range")
async def start_conversation(world: World) -> str:
    async with world.client(need(world.employer, "employer").token) as client:
        result = (
            await client.start_conversation(
                StartConversationInput(
                    # The Profile ID from the search result names the candidate.
                    candidate_id=need(world.found_profile_id, "foundProfileId"),
                    role_title="Senior Backend Engineer",
                    salary_range=SalaryRangeInput(min=90000, max=105000, currency="EUR", period=SalaryPeriod.YEAR),
                    message="Hi, we would love to talk about our backend role.",
                )
            )
        ).start_conversation
    no_user_errors(result.user_errors)
    conversation = need(result.conversation, "conversation")
    message = need(result.message, "message")
    check(conversation.status == ConversationStatus.REQUESTED and message.seq == 1, f"started {result}")
    world.conversation_id = conversation.id
    world.first_message_id = message.id
    pay = conversation.salary_range
    return f"{conversation.status.value}, {pay.min}-{pay.max} {pay.currency} a {pay.period.value.lower()}"


@steps("candidate subscribes to messageAdded and accepts (graphql-transport-ws)")
async def subscribe_and_accept(world: World) -> str:
    global live
    # `after` = the message she already has: whatever is stored after it arrives even if it
    # is written before the server has registered the subscription (no race).
    live = Listener(world, need(world.first_message_id, "firstMessageId"))
    async with world.client(need(world.candidate, "candidate").token) as client:
        result = (
            await client.respond_to_contact(
                RespondToContactInput(conversation_id=need(world.conversation_id, "conversationId"), accept=True)
            )
        ).respond_to_contact
    no_user_errors(result.user_errors)
    check(result.conversation and result.conversation.status == ConversationStatus.ACCEPTED, "not accepted")
    notice = await live.next("the acceptance notice")
    check(notice.kind == MessageKind.SYSTEM and notice.seq == 2 and notice.body == ACCEPTED_NOTICE, f"notice {notice}")
    return f"ACCEPTED; heard seq {notice.seq} {notice.kind.value}"


@steps("employer's message arrives live")
async def message_arrives_live(world: World) -> str:
    sent = await send(world, need(world.employer, "employer"), LIVE_BODY)
    heard = await need(live, "subscription").next("the employer's message")
    check(heard.id == sent.id and heard.body == LIVE_BODY and heard.sender_side == ConversationSide.COMPANY, f"heard {heard}")
    world.last_heard_message_id = heard.id
    return f"seq {heard.seq}: {heard.body}"


@steps("candidate goes offline; employer sends 2 messages")
async def offline(world: World) -> str:
    global live
    await need(live, "subscription").close()
    live = None
    employer = need(world.employer, "employer")
    seqs = [(await send(world, employer, body)).seq for body in MISSED_BODIES]
    return "seq " + ", ".join(map(str, seqs))


@steps("resume with after: exactly the missed messages, then live")
async def resume(world: World) -> str:
    resumed = Listener(world, need(world.last_heard_message_id, "lastHeardMessageId"))
    try:
        replayed = [await resumed.next("missed message 1"), await resumed.next("missed message 2")]
        check([m.body for m in replayed] == MISSED_BODIES, f"replayed {replayed}")
        # The next event is the next new message: nothing duplicated at the seam.
        sent = await send(world, need(world.employer, "employer"), AFTER_RESUME_BODY)
        after = await resumed.next("the message after resuming")
        check(after.id == sent.id and after.body == AFTER_RESUME_BODY, f"after resuming {after}")
        return f"replayed seq {', '.join(str(m.seq) for m in replayed)}; live seq {after.seq}"
    finally:
        await resumed.close()
