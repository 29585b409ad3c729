/** What the steps of one run share: the API and the accounts created so far. */
import type { Api } from "./api.js";

export type Account = {
  id: string;
  email: string;
  password: string;
  token: string;
};

export type World = {
  api: Api;
  /** Unique per run, so runs against a long-lived server never collide on emails. */
  runId: string;
  candidate?: Account;
  employer?: Account;
  // Later features add what their steps hand on, e.g. `conversationId?: string`.
};

/** One check against the live server; returns a short detail printed after "ok". */
export type Step = {
  name: string;
  run(world: World): Promise<string>;
};

export function need<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`missing ${what}`);
  return value;
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
