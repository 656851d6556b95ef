/**
 * The conversation the no-secrets-at-rest tests send: a long, repetitive build log a Bash tool
 * printed, with an API key in it once (content, not a credential header), asked about in an
 * Anthropic Messages request.
 */

/** A 400-line build log with `key` printed on line 138. */
export function buildLogWithKey(key: string): string {
  return Array.from({ length: 400 }, (_, i) =>
    i === 137
      ? `INFO loaded environment ANTHROPIC_API_KEY=${key}`
      : i === 321
        ? "ERROR disk /dev/sda1 is full"
        : `INFO worker ${i % 5} handled job ${i} in ${i % 17}ms`,
  ).join("\n");
}

/** A Messages request whose newest turn is `log` as the result of tool call `id`. */
export function askAboutLog(log: string, id: string, stream = false): string {
  return JSON.stringify({
    model: "claude-sonnet-4-5",
    max_tokens: 64,
    stream,
    messages: [
      { role: "user", content: "why did the build fail?" },
      {
        role: "assistant",
        content: [{ type: "tool_use", id, name: "Bash", input: { command: "cat build.log" } }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: log }] },
    ],
  });
}
