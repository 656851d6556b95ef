import { expect, test } from "bun:test";
import { createLogger } from "../../src/core/logger.ts";

// The logger remembers strings it found clean; what holds a credential must be scrubbed however
// often it comes, and whatever passed through before it.
function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    () => "info",
    (line) => lines.push(JSON.parse(line)),
  );
  return { log, lines };
}

test("a credential is scrubbed every time, among clean strings remembered or not", () => {
  const { log, lines } = capture();
  const secret = "upstream said: x-api-key: sk-ant-api03-abcdefghijklmnop";
  for (let i = 0; i < 3000; i++) {
    log.info("request", {
      id: `hr_${i.toString(36)}`,
      path: "/v1/messages",
      model: "claude-sonnet-4-5",
      error: i % 500 === 0 ? secret : undefined,
    });
  }
  expect(lines).toHaveLength(3000);
  for (const [i, line] of lines.entries()) {
    expect(line.id).toBe(`hr_${i.toString(36)}`);
    expect(line.path).toBe("/v1/messages");
    expect(line.model).toBe("claude-sonnet-4-5");
    if (i % 500 === 0) {
      expect(line.error).toBe("upstream said: x-api-key: [redacted]");
    } else {
      expect(line.error).toBeUndefined();
    }
  }
  expect(JSON.stringify(lines)).not.toContain("sk-ant-api03");
});

test("a string that differs from a clean one by its credential is not taken for it", () => {
  const { log, lines } = capture();
  log.info("request", { error: "GET /x?token=" });
  log.info("request", { error: "GET /x?token=abcdef123456" });
  log.info("request", { error: "plain words" });
  log.info("request", { error: "plain words" });
  expect(lines.map((line) => line.error)).toEqual([
    "GET /x?token=",
    "GET /x?token=[redacted]",
    "plain words",
    "plain words",
  ]);
});
