/**
 * The Relay check: real answers from a live server normalised into a relay-runtime store.
 * `API_URL=http://127.0.0.1:8000/graphql node build/relay/check.js` (after `npm run codegen
 * && npm run build`). Prints `ok relay <step>: <detail>` per step and `relay store clean`;
 * exits 1 on any failure and on ANY warning relay-runtime logs (it warns through
 * console.error, e.g. "Expected __typename to be consistent … The GraphQL server likely
 * violated the globally unique id requirement"), or any error event of the environment log.
 *
 * The world comes from the hiring story's own steps (accounts, profiles, search, chat).
 */
import { randomBytes } from "node:crypto";

import {
  Environment,
  Network,
  RecordSource,
  Store,
  fetchQuery,
  type GraphQLResponse,
  type LogEvent,
  type OperationType,
  type GraphQLTaggedNode,
  type RequestParameters,
  type Variables,
} from "relay-runtime";

import { Api } from "../api.js";
import { accountSteps } from "../steps/accounts.js";
import { chatSteps } from "../steps/chat.js";
import { profileSteps } from "../steps/profiles.js";
import { searchSteps } from "../steps/search.js";
import { check, need, type Step, type World } from "../world.js";
import RelayConversationQuery from "./__generated__/RelayConversationQuery.graphql.js";
import RelayProfileRefetchQuery from "./__generated__/RelayProfileRefetchQuery.graphql.js";
import RelaySearchQuery from "./__generated__/RelaySearchQuery.graphql.js";

/** Everything relay-runtime (or anything else) reported while the store was filled. */
const warnings: string[] = [];
for (const level of ["error", "warn"] as const) {
  console[level] = (...args: unknown[]) => {
    warnings.push(`console.${level}: ${args.map(String).join(" ")}`);
  };
}

function environment(url: string, token: string): Environment {
  async function fetchFn(params: RequestParameters, variables: Variables): Promise<GraphQLResponse> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: params.text, operationName: params.name, variables }),
    });
    const body = (await response.json()) as GraphQLResponse & { errors?: unknown[] };
    if (body.errors?.length) throw new Error(`${params.name}: ${JSON.stringify(body.errors)}`);
    return body;
  }
  return new Environment({
    network: Network.create(fetchFn),
    store: new Store(new RecordSource()),
    log: (event: LogEvent) => {
      if (event.name.includes("error")) warnings.push(`environment log: ${JSON.stringify(event)}`);
    },
  });
}

async function query<T extends OperationType>(
  env: Environment,
  document: GraphQLTaggedNode,
  variables: T["variables"],
): Promise<T["response"]> {
  const response = need(await fetchQuery<T>(env, document, variables).toPromise(), "a response");
  check(warnings.length === 0, `relay-runtime warned while normalising:\n${warnings.join("\n")}`);
  return response;
}

/** The store's record for `id` (the typename relay-runtime assigned to it). */
function typenameOf(env: Environment, id: string): string | undefined {
  return env.getStore().getSource().get(id)?.__typename as string | undefined;
}

type Relay = { env?: Environment };

function relaySteps(relay: Relay): Step[] {
  return [
    {
      name: "relay search (@connection) with each result's profile",
      async run(world) {
        relay.env = environment(world.api.httpUrl, need(world.employer, "employer").token);
        const data = await query<RelaySearchQueryType>(relay.env, RelaySearchQuery, { ...need(world.search, "search"), first: 10 });
        const edges = data.searchCandidates.edges;
        check(edges.length === 2, `${edges.length} results`);
        for (const { node } of edges) {
          check(node.id !== node.profile.id, `result and profile share the id ${node.id}`);
          check(node.profileId === node.profile.id, "profileId is the profile's id");
          check(typenameOf(relay.env, node.id) === "SearchCandidate", `${node.id} is ${typenameOf(relay.env, node.id)}`);
          check(typenameOf(relay.env, node.profileId) === "Profile", `${node.profileId} is ${typenameOf(relay.env, node.profileId)}`);
        }
        return `${edges.length} SearchCandidate and ${edges.length} Profile records`;
      },
    },
    {
      name: "relay @refetchable Profile fragment (node(id:))",
      async run(world) {
        const env = need(relay.env, "environment");
        const id = need(world.foundProfileId, "foundProfileId");
        const data = await query<RelayProfileRefetchQueryType>(env, RelayProfileRefetchQuery, { id });
        check(data.node != null, `node(id:) answered ${JSON.stringify(data.node)}`);
        check(typenameOf(env, id) === "Profile", `${id} is ${typenameOf(env, id)}`);
        return `refetched ${id} into the same record`;
      },
    },
    {
      name: "relay conversation messages (@connection)",
      async run(world) {
        const env = need(relay.env, "environment");
        const id = need(world.conversationId, "conversationId");
        const data = await query<RelayConversationQueryType>(env, RelayConversationQuery, { id, first: 20 });
        const messages = need(data.conversation, "conversation").messages.edges.map((e) => e.node);
        check(messages.length >= 3, `${messages.length} messages`);
        check(messages.every((m) => typenameOf(env, m.id) === "Message"), "every message is a Message record");
        return `${messages.length} Message records`;
      },
    },
  ];
}

type RelaySearchQueryType = import("./__generated__/RelaySearchQuery.graphql.js").RelaySearchQuery;
type RelayProfileRefetchQueryType = import("./__generated__/RelayProfileRefetchQuery.graphql.js").RelayProfileRefetchQuery;
type RelayConversationQueryType = import("./__generated__/RelayConversationQuery.graphql.js").RelayConversationQuery;

async function main(): Promise<number> {
  const url = process.env.API_URL;
  if (!url) {
    process.stderr.write("Set API_URL, e.g. API_URL=http://127.0.0.1:8000/graphql\n");
    return 2;
  }
  const world: World = { api: new Api(url), runId: randomBytes(6).toString("hex") };
  const steps = [...accountSteps, ...profileSteps, ...searchSteps, ...chatSteps, ...relaySteps({})];
  for (const step of steps) {
    try {
      const detail = await step.run(world);
      console.log(`ok ${step.name}: ${detail}`);
    } catch (error) {
      process.stderr.write(`FAILED ${step.name}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  if (warnings.length) {
    process.stderr.write(`FAILED relay store: ${warnings.length} warning(s)\n${warnings.join("\n")}\n`);
    return 1;
  }
  console.log("relay store clean: no warnings");
  return 0;
}

process.exitCode = await main();
