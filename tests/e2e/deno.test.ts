import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startServerProcess } from "../helpers/binary.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { NPM_QUERY, npmQueryRequest } from "../helpers/tool-output-request.ts";
import { chatStream } from "../helpers/wire.ts";

const root = join(import.meta.dir, "..", "..");
const upstream = new FakeUpstream();
afterAll(() => upstream.stop());

describe("the Deno entry", () => {
  test("serves /health and relays a streaming request under Deno.serve", async () => {
    const deno = join(root, "node_modules", ".bin", "deno");
    const proxy = await startServerProcess(
      [
        deno,
        "run",
        "--allow-net",
        "--allow-env",
        "--allow-read",
        "--config",
        "deno.json",
        "src/runtime/deno-main.ts",
        "--port",
        "0",
        "--openai-api-url",
        upstream.url,
      ],
      { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      root,
    );
    try {
      expect(proxy.lines.join("\n")).toContain('"runtime":"deno"');
      const health = await fetch(`${proxy.url}/health`);
      expect(health.status).toBe(200);
      expect((await json(health)).status).toBe("healthy");
      const dashboard = await fetch(`${proxy.url}/dashboard`);
      expect(await dashboard.text()).toContain('data-testid="lifetime-tokens-saved"');
      const res = await fetch(`${proxy.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-deno" },
        body: JSON.stringify({
          model: "gpt-4o",
          stream: true,
          stream_options: { include_usage: true },
          messages: [],
        }),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      expect(await res.text()).toBe(
        chatStream({ kind: "text", text: "Hello from the fake upstream." }, "gpt-4o").join(""),
      );
      expect(upstream.requests.at(-1)!.headers.get("authorization")).toBe("Bearer sk-deno");

      // A tool output compressed in the pool's Web Worker, exact tokens counted there too.
      const compressed = await fetch(
        `${proxy.url}/v1/chat/completions`,
        npmQueryRequest("sk-deno"),
      );
      expect(compressed.status).toBe(200);
      expect(compressed.headers.get("x-headroom-transforms")).toStartWith("json:");
      expect(Number(compressed.headers.get("x-headroom-tokens-saved"))).toBeGreaterThan(1000);
      expect(upstream.requests.at(-1)!.body.length).toBeLessThan(NPM_QUERY.length);
      // The workers loaded: the pool reports every worker that fails to start or dies.
      expect(proxy.lines.join("\n")).not.toContain("compression worker");
    } finally {
      await proxy.stop();
    }
  });
});
