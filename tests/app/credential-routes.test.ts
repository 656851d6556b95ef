/**
 * The route table end to end: every kind of credential sent to every route family, through the
 * app, with a real fake (Bun.serve on 127.0.0.1) for each upstream headroom knows. Each cell says
 * where the request must arrive, if anywhere; the test checks that it arrived there, at the
 * right path, with its credential, and that no other upstream saw anything, nor the logs.
 * Gemini (/v1beta, and its model calls under /v1/models) takes a Google API key only.
 */

import { afterAll, describe, expect, test } from "bun:test";
import { chatgptToken } from "../helpers/chatgpt-token.ts";
import { FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream.ts";
import { buildApp } from "../helpers/proxy.ts";

const openai = new FakeUpstream();
const anthropic = new FakeUpstream();
const chatgpt = new FakeUpstream();
const gemini = new FakeUpstream();
afterAll(() => {
  for (const fake of [openai, anthropic, chatgpt, gemini]) fake.stop();
});
const FAKES = { openai, anthropic, chatgpt, gemini } as const;
type Where = keyof typeof FAKES | null;

const ACCOUNT = "acct-headroom-routes";
const CHATGPT_TOKEN = chatgptToken(ACCOUNT, "ROUTES0chatgpt");
const CLAIMS_TOKEN = chatgptToken(ACCOUNT, "ROUTES0claims");

/** Each credential kind: its headers, a query string, and the secret that must not stray. */
const CREDENTIALS = {
  "openai-key": {
    secret: "sk-proj-ROUTES0openai",
    headers: { authorization: "Bearer sk-proj-ROUTES0openai" },
  },
  "anthropic-key": {
    secret: "sk-ant-api03-ROUTES0anthropic",
    headers: { "x-api-key": "sk-ant-api03-ROUTES0anthropic", "anthropic-version": "2023-06-01" },
  },
  "anthropic-oauth": {
    secret: "sk-ant-oat01-ROUTES0oauth",
    headers: {
      authorization: "Bearer sk-ant-oat01-ROUTES0oauth",
      "anthropic-beta": "oauth-2025-04-20",
      "anthropic-version": "2023-06-01",
    },
  },
  chatgpt: {
    secret: CHATGPT_TOKEN,
    headers: {
      authorization: `Bearer ${CHATGPT_TOKEN}`,
      "chatgpt-account-id": ACCOUNT,
    },
  },
  // The token alone: headroom reads the account id from its claims and sends it.
  "chatgpt-claims": {
    secret: CLAIMS_TOKEN,
    headers: { authorization: `Bearer ${CLAIMS_TOKEN}` },
  },
  "google-key": { secret: "AIzaROUTES0goog", headers: { "x-goog-api-key": "AIzaROUTES0goog" } },
  "google-key-query": { secret: "AIzaROUTES0query", headers: {}, query: "key=AIzaROUTES0query" },
  "google-bearer": {
    secret: "ya29.ROUTES0google",
    headers: { authorization: "Bearer ya29.ROUTES0google" },
  },
  none: { secret: undefined, headers: {} },
} as const satisfies Record<
  string,
  { secret: string | undefined; headers: Record<string, string>; query?: string }
>;
type Credential = keyof typeof CREDENTIALS;

const GEMINI_BODY = '{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}';
const RESPONSES_BODY = '{"model":"gpt-5.5","input":"hi"}';

/** Each route family: how it is called, and where it arrives on each upstream that takes it. */
const ROUTES = {
  messages: {
    method: "POST",
    path: "/v1/messages",
    body: '{"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}',
  },
  chat: {
    method: "POST",
    path: "/v1/chat/completions",
    body: '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}',
  },
  responses: { method: "POST", path: "/v1/responses", body: RESPONSES_BODY },
  "codex alias": { method: "POST", path: "/v1/codex/responses", body: RESPONSES_BODY },
  "backend-api alias": { method: "POST", path: "/backend-api/responses", body: RESPONSES_BODY },
  "backend-api codex alias": {
    method: "POST",
    path: "/backend-api/codex/responses",
    body: RESPONSES_BODY,
  },
  // A sub-resource (Codex's remote compaction lives at /responses/compact), on an alias.
  "responses sub-resource": {
    method: "POST",
    path: "/backend-api/codex/responses/compact",
    body: RESPONSES_BODY,
  },
  models: { method: "GET", path: "/v1/models", body: undefined },
  "other /v1": { method: "POST", path: "/v1/embeddings", body: '{"model":"m","input":"hi"}' },
  vertex: {
    method: "POST",
    path: "/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent",
    body: GEMINI_BODY,
  },
  v1internal: { method: "POST", path: "/v1/v1internal:streamGenerateContent", body: GEMINI_BODY },
  v1beta: {
    method: "POST",
    path: "/v1beta/models/gemini-2.5-pro:generateContent",
    body: GEMINI_BODY,
  },
  // The genai SDK 3 calls the Gemini API's v1.
  "gemini v1": {
    method: "POST",
    path: "/v1/models/gemini-2.5-pro:generateContent",
    body: GEMINI_BODY,
  },
} as const;
type RouteName = keyof typeof ROUTES;

// biome-ignore format: the table reads best as a grid
const COLUMNS: Credential[] = ["openai-key", "anthropic-key", "anthropic-oauth", "chatgpt", "chatgpt-claims", "google-key", "google-key-query", "google-bearer", "none"];
const O = "openai",
  A = "anthropic",
  C = "chatgpt",
  G = "gemini",
  _ = null;
const RESPONSES_ROW: Where[] = [O, _, _, C, C, _, _, _, O];
/** Where each request must arrive, in COLUMNS order: the rule under test, written out. */
// biome-ignore format: the table reads best as a grid
const EXPECTED: Record<RouteName, Where[]> = {
  messages:                  [_, A, A, _, _, _, _, _, A],
  chat:                      [O, _, _, _, _, _, _, _, O],
  responses:                 RESPONSES_ROW,
  "codex alias":             RESPONSES_ROW,
  "backend-api alias":       RESPONSES_ROW,
  "backend-api codex alias": RESPONSES_ROW,
  "responses sub-resource":  RESPONSES_ROW,
  models:                    [O, A, A, C, C, G, G, _, O],
  "other /v1":               [O, A, A, _, _, _, _, _, O],
  vertex:                    [_, _, _, _, _, _, _, _, _],
  v1internal:                [_, _, _, _, _, _, _, _, _],
  v1beta:                    [_, _, _, _, _, G, G, _, _],
  "gemini v1":               [_, _, _, _, _, G, G, _, _],
};

/** The path a forwarded request must arrive at on `where`. */
function arrivalPath(route: RouteName, where: Exclude<Where, null>): string {
  const { path } = ROUTES[route];
  // Whatever follows the Responses path (or its alias) follows it upstream too.
  const at = path.indexOf("/responses");
  const rest = at < 0 ? undefined : path.slice(at + "/responses".length);
  if (where === "chatgpt") {
    return rest !== undefined ? `/backend-api/codex/responses${rest}` : "/backend-api/codex/models";
  }
  return rest !== undefined ? `/v1/responses${rest}` : path;
}

function everything(request: RecordedRequest): string {
  return `${request.path}?${request.query} ${[...request.headers].join(" ")} ${new TextDecoder().decode(request.body)}`;
}

const built = buildApp({
  env: {
    OPENAI_TARGET_API_URL: openai.url,
    ANTHROPIC_TARGET_API_URL: anthropic.url,
    CHATGPT_TARGET_API_URL: `${chatgpt.url}/backend-api/codex`,
    GEMINI_TARGET_API_URL: gemini.url,
  },
});

describe("credentials reach only their provider", () => {
  for (const route of Object.keys(ROUTES) as RouteName[]) {
    COLUMNS.forEach((credential, column) => {
      const where = EXPECTED[route][column]!;
      test(`${route} × ${credential} → ${where ?? "refused (404), sent nowhere"}`, async () => {
        for (const fake of Object.values(FAKES)) fake.reset();
        const logsBefore = built.logs.length;
        const { method, path, body } = ROUTES[route];
        const given = CREDENTIALS[credential];
        const query = "query" in given ? `?${given.query}` : "";
        const response = await built.app.request(`${path}${query}`, {
          method,
          body,
          headers: { ...given.headers, ...(body ? { "content-type": "application/json" } : {}) },
        });
        const text = await response.text();
        const arrived = Object.entries(FAKES).flatMap(([name, fake]) =>
          fake.requests.map((request) => ({ name, request })),
        );
        if (where === null) {
          expect(response.status).toBe(404);
          expect(arrived).toEqual([]);
          const answer = JSON.parse(text);
          expect(answer.error).toBeDefined();
          if (route === "vertex" || route === "v1internal" || route === "v1beta") {
            // Google's clients get Google's error shape.
            expect(answer.error).toMatchObject({ code: 404, status: "NOT_FOUND" });
            expect(answer.error.message).toContain("Nothing was sent upstream");
          }
        } else {
          expect(response.status).toBe(200);
          expect(
            arrived.map(({ name, request }) => `${name} ${request.method} ${request.path}`),
          ).toEqual([`${where} ${method} ${arrivalPath(route, where)}`]);
          const request = arrived[0]!.request;
          if (given.secret) expect(everything(request)).toContain(given.secret);
          if (where === "chatgpt") expect(request.headers.get("chatgpt-account-id")).toBe(ACCOUNT);
        }
        if (given.secret) {
          expect(text).not.toContain(given.secret);
          expect(JSON.stringify(built.logs.slice(logsBefore))).not.toContain(given.secret);
        }
      });
    });
  }
});

describe("a request carrying credentials of two providers", () => {
  test("is refused wherever it goes, so neither credential reaches the other's provider", async () => {
    for (const fake of Object.values(FAKES)) fake.reset();
    for (const path of ["/v1/models", "/v1/embeddings", "/v1/responses"]) {
      const response = await built.app.request(path, {
        method: path === "/v1/models" ? "GET" : "POST",
        body: path === "/v1/models" ? undefined : RESPONSES_BODY,
        headers: {
          authorization: "Bearer sk-proj-ROUTES0openai",
          "x-api-key": "sk-ant-api03-ROUTES0anthropic",
          "content-type": "application/json",
        },
      });
      expect(response.status).toBe(404);
      const { message } = ((await response.json()) as { error: { message: string } }).error;
      // The Responses API takes no Anthropic key at all; the shared paths see the conflict.
      expect(message).toContain(
        path === "/v1/responses"
          ? "no upstream for an Anthropic API key"
          : "belong to different providers",
      );
    }
    expect([openai, anthropic, chatgpt, gemini].flatMap((fake) => fake.requests)).toEqual([]);
  });
});

describe("the ledger tells sign-ins apart", () => {
  test("each forwarded request is labelled with its kind of sign-in, never with the credential", async () => {
    const labels: Partial<Record<Credential, string | null>> = {
      "openai-key": "api-key",
      "anthropic-key": "api-key",
      "anthropic-oauth": "claude-oauth",
      chatgpt: "chatgpt:plus",
      "chatgpt-claims": "chatgpt:plus",
      none: null,
    };
    for (const [credential, label] of Object.entries(labels)) {
      const given = CREDENTIALS[credential as Credential];
      built.exchanges.length = 0;
      const response = await built.app.request("/v1/models", { headers: given.headers });
      expect(response.status).toBe(200);
      expect(built.exchanges.map((exchange) => exchange.client?.auth)).toEqual([label]);
    }
    const stats = (await (await built.app.request("/stats")).json()) as {
      requests: { by_auth: Record<string, number> };
    };
    expect(stats.requests.by_auth).toMatchObject({
      "api-key": expect.any(Number),
      "claude-oauth": expect.any(Number),
      "chatgpt:plus": expect.any(Number),
    });
  });
});

describe("headers a route adds or drops", () => {
  test("Codex's responses-lite hint never goes upstream; a sent account id is kept as sent", async () => {
    for (const [authorization, fake] of [
      ["Bearer sk-proj-ROUTES0openai", openai],
      [`Bearer ${CHATGPT_TOKEN}`, chatgpt],
    ] as const) {
      fake.reset();
      const response = await built.app.request("/v1/codex/responses", {
        method: "POST",
        body: RESPONSES_BODY,
        headers: {
          authorization,
          "content-type": "application/json",
          "x-openai-internal-codex-responses-lite": "1",
          ...(fake === chatgpt ? { "chatgpt-account-id": "acct-sent-by-client" } : {}),
        },
      });
      expect(response.status).toBe(200);
      const [request] = fake.requests as [RecordedRequest];
      expect(request.headers.has("x-openai-internal-codex-responses-lite")).toBe(false);
      if (fake === chatgpt) {
        expect(request.headers.get("chatgpt-account-id")).toBe("acct-sent-by-client");
      }
    }
  });
});
