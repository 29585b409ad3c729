/**
 * Transport for the generated, typed operations: one function per protocol.
 *
 * - `request(document, variables, token)` sends a query or mutation over HTTP
 *   (`Authorization: Bearer <token>`) and returns the typed `data`.
 * - `subscribe(document, variables)` runs an operation over WebSocket with the
 *   graphql-transport-ws protocol (graphql-ws package; the token goes in the
 *   `connection_init` payload) and yields each typed result. A query answers once;
 *   a subscription (such as `messageAdded`) yields until the server completes it or
 *   the caller stops iterating.
 *
 * GraphQL errors throw a `GraphQLRequestError` carrying every `extensions.code`.
 */
import { print, type DocumentNode } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export type GraphQLErrorJson = {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
};

export class GraphQLRequestError extends Error {
  readonly codes: string[];

  constructor(readonly errors: ReadonlyArray<GraphQLErrorJson>) {
    super(errors.map((e) => `${e.extensions?.code ?? "?"}: ${e.message}`).join("; "));
    this.codes = errors.map((e) => e.extensions?.code ?? "UNKNOWN");
  }
}

function operationName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === "OperationDefinition") return definition.name?.value;
  }
  return undefined;
}

export class Api {
  constructor(readonly httpUrl: string) {}

  get wsUrl(): string {
    const url = new URL(this.httpUrl);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  }

  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    token?: string | null,
  ): Promise<TResult> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(this.httpUrl, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: print(document), operationName: operationName(document), variables }),
    });
    const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorJson[] };
    if (body.errors?.length) throw new GraphQLRequestError(body.errors);
    if (!response.ok || body.data == null) {
      throw new Error(`HTTP ${response.status} without data from ${this.httpUrl}`);
    }
    return body.data;
  }

  /** A graphql-transport-ws connection authenticated with `token` (closed with `dispose()`). */
  connect(token?: string | null): Client {
    return createClient({
      url: this.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      lazy: true,
      retryAttempts: 0,
    });
  }

  async *subscribe<TResult, TVariables extends Record<string, unknown>>(
    client: Client,
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): AsyncGenerator<TResult> {
    const results = client.iterate<TResult>({
      query: print(document),
      operationName: operationName(document),
      variables,
    });
    for await (const result of results) {
      if (result.errors?.length) throw new GraphQLRequestError(result.errors as GraphQLErrorJson[]);
      if (result.data == null) throw new Error("WebSocket result without data");
      yield result.data as TResult;
    }
  }
}
