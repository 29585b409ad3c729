/** Sign up, log in, viewer over HTTP and WebSocket, log out (operations/accounts.graphql). */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { GraphQLRequestError } from "../api.js";
import {
  ConfirmEmailDocument,
  LogInDocument,
  LogOutDocument,
  SignUpDocument,
  ViewerDocument,
  type Role,
} from "../generated/graphql.js";
import { check, need, noUserErrors, type Account, type Step, type World } from "../world.js";

const PASSWORD = "correct horse battery staple";

/** The confirmation code mailed to `email`, read as a newcomer reads it: from the mail
 * (the test server writes its mail as `.eml` files into `$MAIL_DIR`). */
async function mailedCode(email: string, timeoutMs = 20_000): Promise<string> {
  const folder = need(process.env.MAIL_DIR, "MAIL_DIR");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = readdirSync(folder).filter((name) => name.endsWith(".eml")).map((name) => join(folder, name));
    files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const to = /^To: (.+)$/im.exec(text)?.[1]?.trim().toLowerCase();
      const code = /confirmation code is (\d{6})/.exec(text)?.[1];
      if (to === email.toLowerCase() && code) return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no confirmation code mailed to ${email} in ${folder}`);
}

/** Signs up `ts-<label>-<runId>@example.com` (label: the role in lower case by default);
 * an employer at `acme-<runId>.test`, the company's own domain, which confirming verifies. */
export async function signUp(world: World, role: Role, companyName?: string, label?: string): Promise<Account> {
  const domain = role === "EMPLOYER" ? `acme-${world.runId}.test` : "example.com";
  const email = `ts-${label ?? role.toLowerCase()}-${world.runId}@${domain}`;
  const { signUp } = await world.api.request(SignUpDocument, {
    input: { email, password: PASSWORD, displayName: `TS ${role.toLowerCase()}`, role, companyName },
  });
  noUserErrors(signUp.userErrors);
  const viewer = need(signUp.viewer, "signUp.viewer");
  check(viewer.role === role, `role ${viewer.role}`);
  const token = need(signUp.token, "signUp.token");
  // An employer searches and contacts only once the email is confirmed: read the code.
  const { confirmEmail } = await world.api.request(ConfirmEmailDocument, { input: { code: await mailedCode(email) } }, token);
  noUserErrors(confirmEmail.userErrors);
  return { id: viewer.id, email, password: PASSWORD, token };
}

/** Signs in again (the email is case-insensitive) and keeps the new token on the account. */
export async function logIn(world: World, account: Account): Promise<void> {
  const { logIn } = await world.api.request(LogInDocument, {
    input: { email: account.email.toUpperCase(), password: account.password },
  });
  noUserErrors(logIn.userErrors);
  check(logIn.viewer?.id === account.id, "logIn returned another user");
  account.token = need(logIn.token, "logIn.token");
}

export const accountSteps: Step[] = [
  {
    name: "signUp candidate",
    async run(world) {
      world.candidate = await signUp(world, "CANDIDATE");
      return world.candidate.email;
    },
  },
  {
    name: "signUp employer",
    async run(world) {
      world.employer = await signUp(world, "EMPLOYER", `Acme ${world.runId}`);
      const { viewer } = await world.api.request(ViewerDocument, {}, world.employer.token);
      return `company ${need(need(viewer, "viewer").company, "viewer.company").name}`;
    },
  },
  {
    name: "logIn",
    async run(world) {
      await logIn(world, need(world.candidate, "candidate"));
      return "new token";
    },
  },
  {
    name: "logIn with a wrong password",
    async run(world) {
      const candidate = need(world.candidate, "candidate");
      const { logIn } = await world.api.request(LogInDocument, {
        input: { email: candidate.email, password: "not the password" },
      });
      check(logIn.token === null, "a token for a wrong password");
      const codes = logIn.userErrors.map((e) => e.code);
      check(codes.includes("INVALID_CREDENTIALS"), `userErrors ${codes}`);
      return codes.join(",");
    },
  },
  {
    name: "viewer over HTTP",
    async run(world) {
      const candidate = need(world.candidate, "candidate");
      const { viewer } = await world.api.request(ViewerDocument, {}, candidate.token);
      check(viewer?.id === candidate.id && viewer.email === candidate.email, `viewer ${JSON.stringify(viewer)}`);
      const anonymous = await world.api.request(ViewerDocument, {});
      check(anonymous.viewer === null, "viewer without a token is not null");
      return viewer.id;
    },
  },
  {
    name: "viewer over WebSocket (graphql-transport-ws)",
    async run(world) {
      const candidate = need(world.candidate, "candidate");
      const client = world.api.connect(candidate.token);
      try {
        for await (const { viewer } of world.api.subscribe(client, ViewerDocument, {})) {
          check(viewer?.id === candidate.id, `viewer over ws ${JSON.stringify(viewer)}`);
          return viewer.id;
        }
        throw new Error("the socket completed without a result");
      } finally {
        await client.dispose();
      }
    },
  },
  {
    name: "logOut revokes the token",
    async run(world) {
      const candidate = need(world.candidate, "candidate");
      const { logOut } = await world.api.request(LogOutDocument, {}, candidate.token);
      noUserErrors(logOut.userErrors);
      check(logOut.revokedTokens === 1, `revokedTokens ${logOut.revokedTokens}`);
      try {
        await world.api.request(ViewerDocument, {}, candidate.token);
      } catch (error) {
        if (error instanceof GraphQLRequestError && error.codes.includes("UNAUTHENTICATED")) {
          return "UNAUTHENTICATED afterwards";
        }
        throw error;
      }
      throw new Error("a revoked token still works");
    },
  },
];
