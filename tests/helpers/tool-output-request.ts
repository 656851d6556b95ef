/**
 * A chat request whose newest turn is one large real tool output: `npm query '*'` in this
 * repository (about 172 KB of JSON), for the end-to-end checks that the executable and the Deno
 * entry compress in their worker pools.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";

export const NPM_QUERY = readFileSync(
  join(import.meta.dir, "..", "fixtures", "pool", "npm-query.json"),
  "utf8",
);

/** The POST of that request, with `key` as the caller's OpenAI key. */
export function npmQueryRequest(key: string): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: "gpt-4o",
      messages: [
        { role: "user", content: "Which packages are dev dependencies?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "sh", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c1", content: NPM_QUERY },
      ],
    }),
  };
}
