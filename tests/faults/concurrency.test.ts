/**
 * Faults under load through the compiled executable: 300 concurrent streams (past Bun's default
 * cap of 256 outbound requests) where half the clients walk away mid-stream. The other half
 * finish intact, every abandoned upstream stream is cancelled, the ledger counts exactly the
 * aborted ones, and the log stays one JSON object per line throughout.
 * (tests/e2e/binary.test.ts checks 300 streams that all complete; this one mixes in the faults.)
 */

import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startBinary } from "../helpers/binary.ts";
import { FakeUpstream } from "../helpers/fake-upstream.ts";
import { json } from "../helpers/http.ts";
import { waitFor } from "../helpers/proxy.ts";
import { rawUpstream } from "../helpers/raw-upstream.ts";
import { anthropicStream } from "../helpers/wire.ts";

const upstream = new FakeUpstream();
const LOAD_CLIENT = join(import.meta.dir, "..", "helpers", "load-client.ts");
afterAll(() => upstream.stop());

/** Runs `count` concurrent clients in their own process (bun test's fetch caps at 256). */
function loadClients(url: string, count: number, body: unknown, mode: "complete" | "abort") {
  const proc = Bun.spawn(
    [
      process.execPath,
      LOAD_CLIENT,
      url,
      String(count),
      JSON.stringify(body),
      mode === "abort" ? "message_start" : "message_stop",
      ...(mode === "abort" ? ["abort"] : []),
    ],
    { env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" }, stdout: "pipe" },
  );
  return new Response(proc.stdout).text().then((text) => JSON.parse(text));
}

describe("the compiled executable under faults", () => {
  test("300 concurrent streams, half abandoned mid-stream: the rest finish, the abandoned are cancelled upstream", async () => {
    const half = 150;
    const events = anthropicStream({ kind: "text", text: "streamed under load" }, "m");
    let open = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    upstream.always(async (request) => {
      open++;
      peak = Math.max(peak, open);
      await gate;
      open--;
      // The abandoned ones stall after their first events, as a model thinking would.
      return request.json.metadata?.user_id === "leaves"
        ? upstream.stream(events, { stopAfter: 2, ending: "stall" })
        : upstream.stream(events);
    });
    const proxy = await startBinary(["--anthropic-api-url", upstream.url, "--stateless"]);
    try {
      const url = `${proxy.url}/v1/messages`;
      const staying = loadClients(url, half, { model: "m", stream: true }, "complete");
      const leaving = loadClients(
        url,
        half,
        { model: "m", stream: true, metadata: { user_id: "leaves" } },
        "abort",
      );
      await waitFor(() => peak === 2 * half, 20_000);
      release();
      expect(await staying).toEqual({ ok: half, failed: 0, errors: [] });
      expect(await leaving).toEqual({ ok: half, failed: 0, errors: [] });
      await waitFor(() => upstream.cancelledStreams === half, 20_000);
      await waitFor(() => proxy.lines.filter((l) => l.includes('"msg":"request"')).length === 300);
      const stats = await json(fetch(`${proxy.url}/stats`));
      expect(stats.requests.total).toBe(2 * half);
      expect(stats.requests.aborted).toBe(half);
      expect(stats.requests.failed).toBe(0);
      expect((await json(fetch(`${proxy.url}/health`))).status).toBe("healthy");
    } finally {
      release();
      await proxy.stop();
      upstream.reset();
    }
  });

  test("an upstream that cuts a JSON answer short leaves the log one JSON object per line", async () => {
    const raw = rawUpstream(
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{"id":"msg_cut",',
    );
    const proxy = await startBinary(["--anthropic-api-url", raw.url, "--stateless"]);
    try {
      const res = await fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        body: '{"model":"m"}',
      });
      expect(res.status).toBe(200);
      // The status had gone out before the cut: the client's read must fail, not end cleanly.
      expect(
        await res.text().then(
          () => "complete",
          () => "cut",
        ),
      ).toBe("cut");
      await waitFor(() => proxy.lines.some((l) => l.includes('"outcome":"failed"')));
    } finally {
      await proxy.stop();
      raw.stop();
    }
    for (const line of proxy.lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
