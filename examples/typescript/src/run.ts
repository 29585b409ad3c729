/**
 * Runs every step against a live server: `API_URL=http://127.0.0.1:8000/graphql npm start`.
 * Prints `ok <step>: <detail>` per step and `all <n> steps passed`; exits 1 on the first
 * failure.
 *
 * Adding a feature: write `../operations/<feature>.graphql`, run `npm run codegen`, add
 * `src/steps/<feature>.ts` exporting a `Step[]` that uses the generated documents, and
 * append it to `steps` below. Subscriptions use `world.api.subscribe(client, Doc, vars)`
 * on a `world.api.connect(token)` client, e.g. a `MessageAdded` subscription:
 *
 *   const client = world.api.connect(candidate.token);
 *   const live = world.api.subscribe(client, MessageAddedDocument, { conversationId, after });
 *   // send a message over HTTP, then: const { value } = await live.next();
 */
import { randomBytes } from "node:crypto";

import { Api } from "./api.js";
import { accountSteps } from "./steps/accounts.js";
import { chatSteps } from "./steps/chat.js";
import { offerSteps } from "./steps/offers.js";
import { profileSteps } from "./steps/profiles.js";
import { searchSteps } from "./steps/search.js";
import type { Step, World } from "./world.js";

// The hiring story, in order: later steps use what earlier ones put in the World.
const steps: Step[] = [...accountSteps, ...profileSteps, ...searchSteps, ...chatSteps, ...offerSteps];

async function main(): Promise<number> {
  const url = process.env.API_URL;
  if (!url) {
    console.error("Set API_URL, e.g. API_URL=http://127.0.0.1:8000/graphql");
    return 2;
  }
  const world: World = { api: new Api(url), runId: randomBytes(6).toString("hex") };
  for (const step of steps) {
    try {
      const detail = await step.run(world);
      console.log(`ok ${step.name}: ${detail}`);
    } catch (error) {
      console.error(`FAILED ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  }
  console.log(`all ${steps.length} steps passed`);
  return 0;
}

process.exitCode = await main();
