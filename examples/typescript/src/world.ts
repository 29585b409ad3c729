/** What the steps of one run share: the API and the accounts created so far. */
import type { Api } from "./api.js";
import type { SearchCandidatesQueryVariables, UserErrorFieldsFragment } from "./generated/graphql.js";

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
  /** A second candidate, so that search has two results to page through. */
  otherCandidate?: Account;
  /** The candidate's Profile ID (updateMyProfile), and the other candidate's. */
  profileId?: string;
  otherProfileId?: string;
  /** The search that finds both candidates (a word unique to this run plus filters). */
  search?: SearchCandidatesQueryVariables;
  /** The Profile ID the employer picked from the search results. */
  foundProfileId?: string;
  conversationId?: string;
  /** The employer's first message (startConversation) and the last one the candidate heard live. */
  firstMessageId?: string;
  lastHeardMessageId?: string;
  offerId?: string;
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

export function noUserErrors(errors: ReadonlyArray<UserErrorFieldsFragment>): void {
  check(errors.length === 0, `userErrors: ${JSON.stringify(errors)}`);
}

/** The next result of a subscription, or an error after `seconds` (a step never hangs). */
export async function nextEvent<T>(events: AsyncIterator<T>, what: string, seconds = 10): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${seconds} s`)), seconds * 1000);
  });
  try {
    const result = await Promise.race([events.next(), timeout]);
    if (result.done) throw new Error(`the subscription ended before ${what}`);
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}
