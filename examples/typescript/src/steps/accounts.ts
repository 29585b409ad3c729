/** Sign up, log in, viewer over HTTP and WebSocket, log out (operations/accounts.graphql). */
import { GraphQLRequestError } from "../api.js";
import {
  LogInDocument,
  LogOutDocument,
  SignUpDocument,
  ViewerDocument,
  type Role,
  type UserErrorFieldsFragment,
} from "../generated/graphql.js";
import { check, need, type Account, type Step, type World } from "../world.js";

const PASSWORD = "correct horse battery staple";

function noUserErrors(errors: ReadonlyArray<UserErrorFieldsFragment>): void {
  check(errors.length === 0, `userErrors: ${JSON.stringify(errors)}`);
}

async function signUp(world: World, role: Role, companyName?: string): Promise<Account> {
  const email = `ts-${role.toLowerCase()}-${world.runId}@example.com`;
  const { signUp } = await world.api.request(SignUpDocument, {
    input: { email, password: PASSWORD, displayName: `TS ${role.toLowerCase()}`, role, companyName },
  });
  noUserErrors(signUp.userErrors);
  const viewer = need(signUp.viewer, "signUp.viewer");
  check(viewer.role === role, `role ${viewer.role}`);
  return { id: viewer.id, email, password: PASSWORD, token: need(signUp.token, "signUp.token") };
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
      const candidate = need(world.candidate, "candidate");
      const { logIn } = await world.api.request(LogInDocument, {
        input: { email: candidate.email.toUpperCase(), password: candidate.password },
      });
      noUserErrors(logIn.userErrors);
      check(logIn.viewer?.id === candidate.id, "logIn returned another user");
      candidate.token = need(logIn.token, "logIn.token");
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
