/**
 * Tool outputs left whole because their compression did not fit the budget are counted where
 * users look: /stats (session and lifetime), /metrics and the ledger behind the dashboard.
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp, waitFor } from "../helpers/proxy.ts";

// `npm query '*'` in this repository: 171,784 characters of JSON.
const packages = readFileSync(
  join(import.meta.dir, "..", "fixtures", "pool", "npm-query.json"),
  "utf8",
);

const turn = (id: string) => ({
  model: "gpt-4o",
  messages: [
    { role: "user", content: "Which packages are dev dependencies?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id, type: "function", function: { name: "sh", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: id, content: packages },
  ],
});

describe("outputs over the compression budget", () => {
  test("are sent whole and counted in /stats and /metrics", async () => {
    const bodies: string[] = [];
    const app = buildApp({
      // A budget no output fits in: each new one goes as sent, remembered as over budget.
      env: { HEADROOM_COMPRESSION_BUDGET_MS: "0" },
      fetch: async (_url, init) => {
        bodies.push(new TextDecoder().decode(init.body as Uint8Array));
        return Response.json({
          id: "chatcmpl-1",
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: "ok" } }],
          usage: { prompt_tokens: 10, completion_tokens: 2 },
        });
      },
    });
    for (const id of ["call_1", "call_2"]) {
      const res = await app.request("/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(turn(id)),
      });
      expect(res.status).toBe(200);
      await res.text();
    }
    await waitFor(() => app.exchanges.length === 2);
    // Sent exactly as the client wrote them.
    expect(bodies).toEqual([JSON.stringify(turn("call_1")), JSON.stringify(turn("call_2"))]);

    const stats = (await (await app.request("/stats")).json()) as {
      compressions: { over_budget: number };
      persistent_savings: { lifetime: { compressions: { over_budget: number } } };
    };
    expect(stats.compressions.over_budget).toBe(2);
    expect(stats.persistent_savings.lifetime.compressions.over_budget).toBe(2);
    const metrics = await (await app.request("/metrics")).text();
    expect(metrics).toContain("\nheadroom_outputs_over_budget_total 2\n");
  });
});
