/** Contact with a salary range, the candidate's live inbox over graphql-transport-ws, and
 * resuming it after a disconnect with `after` (operations/chat.graphql). */
import { randomUUID } from "node:crypto";

import {
  MessageAddedDocument,
  RespondToContactDocument,
  SendMessageDocument,
  StartConversationDocument,
  type MessageFieldsFragment,
} from "../generated/graphql.js";
import { check, need, nextEvent, noUserErrors, type Account, type Step, type World } from "../world.js";

const ACCEPTED_NOTICE = "The candidate accepted the contact request.";
export const LIVE_BODY = "Great! Could you do a call on Tuesday?";
export const MISSED_BODIES = ["The call is at 10:00 Berlin time.", "Here is the link to the call."];
export const AFTER_RESUME_BODY = "See you then.";

async function send(world: World, account: Account, body: string): Promise<MessageFieldsFragment> {
  const conversationId = need(world.conversationId, "conversationId");
  const { sendMessage } = await world.api.request(
    SendMessageDocument,
    { input: { conversationId, body, clientMessageId: randomUUID() } },
    account.token,
  );
  noUserErrors(sendMessage.userErrors);
  return need(sendMessage.message, "sendMessage.message");
}

/** The candidate's subscription to this conversation, resuming after `after`. */
function listen(world: World, after: string) {
  const candidate = need(world.candidate, "candidate");
  const connection = world.api.connect(candidate.token);
  const events = world.api.subscribe(connection, MessageAddedDocument, {
    conversationId: need(world.conversationId, "conversationId"),
    after,
  });
  return {
    next: async (what: string) => (await nextEvent(events, what)).messageAdded,
    close: async () => {
      await events.return(undefined);
      await connection.dispose();
    },
  };
}

let live: ReturnType<typeof listen> | undefined;

export const chatSteps: Step[] = [
  {
    name: "startConversation with a salary range",
    async run(world) {
      const employer = need(world.employer, "employer");
      const { startConversation } = await world.api.request(
        StartConversationDocument,
        {
          input: {
            // The Profile ID from the search result names the candidate.
            candidateId: need(world.foundProfileId, "foundProfileId"),
            roleTitle: "Senior Backend Engineer",
            salaryRange: { min: 90000, max: 105000, currency: "EUR", period: "YEAR" },
            message: "Hi, we would love to talk about our backend role.",
          },
        },
        employer.token,
      );
      noUserErrors(startConversation.userErrors);
      const conversation = need(startConversation.conversation, "conversation");
      const message = need(startConversation.message, "message");
      check(conversation.status === "REQUESTED" && message.seq === 1, `started ${JSON.stringify(startConversation)}`);
      world.conversationId = conversation.id;
      world.firstMessageId = message.id;
      const pay = conversation.salaryRange;
      return `${conversation.status}, ${pay.min}-${pay.max} ${pay.currency} a ${pay.period.toLowerCase()}`;
    },
  },
  {
    name: "candidate subscribes to messageAdded and accepts (graphql-transport-ws)",
    async run(world) {
      // `after` = the message she already has: whatever is stored after it arrives even if
      // it is written before the server has registered the subscription (no race).
      live = listen(world, need(world.firstMessageId, "firstMessageId"));
      const candidate = need(world.candidate, "candidate");
      const { respondToContact } = await world.api.request(
        RespondToContactDocument,
        { input: { conversationId: need(world.conversationId, "conversationId"), accept: true } },
        candidate.token,
      );
      noUserErrors(respondToContact.userErrors);
      check(respondToContact.conversation?.status === "ACCEPTED", "not accepted");
      const notice = await live.next("the acceptance notice");
      check(notice.kind === "SYSTEM" && notice.seq === 2 && notice.body === ACCEPTED_NOTICE, `notice ${JSON.stringify(notice)}`);
      return `ACCEPTED; heard seq ${notice.seq} ${notice.kind}`;
    },
  },
  {
    name: "employer's message arrives live",
    async run(world) {
      const sent = await send(world, need(world.employer, "employer"), LIVE_BODY);
      const heard = await need(live, "subscription").next("the employer's message");
      check(heard.id === sent.id && heard.body === LIVE_BODY && heard.senderSide === "COMPANY", `heard ${JSON.stringify(heard)}`);
      world.lastHeardMessageId = heard.id;
      return `seq ${heard.seq}: ${heard.body}`;
    },
  },
  {
    name: "candidate goes offline; employer sends 2 messages",
    async run(world) {
      await need(live, "subscription").close();
      live = undefined;
      const employer = need(world.employer, "employer");
      const seqs = [];
      for (const body of MISSED_BODIES) seqs.push((await send(world, employer, body)).seq);
      return `seq ${seqs.join(", ")}`;
    },
  },
  {
    name: "resume with after: exactly the missed messages, then live",
    async run(world) {
      const resumed = listen(world, need(world.lastHeardMessageId, "lastHeardMessageId"));
      try {
        const replayed = [await resumed.next("missed message 1"), await resumed.next("missed message 2")];
        check(
          JSON.stringify(replayed.map((m) => m.body)) === JSON.stringify(MISSED_BODIES),
          `replayed ${JSON.stringify(replayed)}`,
        );
        // The next event is the next new message: nothing duplicated at the seam.
        const sent = await send(world, need(world.employer, "employer"), AFTER_RESUME_BODY);
        const next = await resumed.next("the message after resuming");
        check(next.id === sent.id && next.body === AFTER_RESUME_BODY, `after resuming ${JSON.stringify(next)}`);
        return `replayed seq ${replayed.map((m) => m.seq).join(", ")}; live seq ${next.seq}`;
      } finally {
        await resumed.close();
      }
    },
  },
];
