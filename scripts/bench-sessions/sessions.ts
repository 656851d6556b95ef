/**
 * Agent sessions in the shapes the clients send: each starts from the client's captured first
 * request and grows by one tool call per step, the next request carrying the call and its result
 * exactly as that client appends them (from the captured second request), the result's text as
 * scripts/corpus/agent-shapes.ts frames it. A session is a list of samples; every request of it
 * is built here, so the same bytes go direct and through the proxy.
 */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CLAUDE_READ_PAGE_LINES,
  claudeBashResult,
  claudeDelivery,
  claudePersistedResult,
  claudeSpills,
  codexExecResult,
} from "../corpus/agent-shapes.ts";
import type { Sample } from "../corpus/corpus.ts";
import { FIXED_SANDBOX } from "./capture.ts";

// biome-ignore lint/suspicious/noExplicitAny: provider request JSON
type Json = any;

export type Client = "claude-code" | "codex";

/** One request of a session, and which samples' results it carries. */
export interface Step {
  readonly body: string;
  /** The sample whose output this request adds (none for the first request). */
  readonly sample?: Sample;
  /** The developer stepped away before this request, past the provider's cache lifetime. */
  readonly idleBefore?: boolean;
}

/** A tool call and the ids its results are found by. */
export interface SessionPlan {
  readonly client: Client;
  readonly steps: readonly Step[];
  /** Each sample's tool-call ids (two for a Claude Code output saved to a file and then Read). */
  readonly callIds: ReadonlyMap<Sample, readonly string[]>;
  /** The calls whose results carry Claude Code's Read line numbers. */
  readonly numbered: ReadonlySet<string>;
}

const FIXTURES = join(import.meta.dir, "fixtures");
const fixture = (name: string): Json => JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));

/** Replayed requests ask for a whole JSON answer: the prompt is the same either way. */
const whole = (body: Json) => JSON.stringify({ ...body, stream: false });

function claudeSession(id: number, samples: readonly Sample[]): SessionPlan {
  const first = fixture("claude-code-first-request.json");
  const second = fixture("claude-code-second-request.json");
  // Everything before the captured tool call, as Claude Code resends it on later turns.
  const opening: Json[] = second.messages.slice(0, -2);
  const history: Json[] = [];
  const steps: Step[] = [{ body: whole(first) }];
  const callIds = new Map<Sample, string[]>();
  const numbered = new Set<string>();
  let call = 0;
  const callTool = (name: string, input: Json, content: string, failed = false): string => {
    const toolId = `toolu_01Bench${String(id).padStart(2, "0")}Call${String(call++).padStart(3, "0")}`;
    history.push({ role: "assistant", content: [{ type: "tool_use", id: toolId, name, input }] });
    history.push({
      role: "user",
      content: [{ tool_use_id: toolId, type: "tool_result", content, is_error: failed }],
    });
    return toolId;
  };
  /** The request after the newest call: the moving breakpoint sits on the newest tool_result only. */
  const request = (): string => {
    const messages = structuredClone(history);
    messages.at(-1).content[0].cache_control = { type: "ephemeral" };
    return whole({ ...second, messages: [...opening, ...messages] });
  };
  for (const sample of samples) {
    const input = { command: sample.command, description: `Run ${sample.name}` };
    const failed = sample.exit !== 0;
    if (!claudeSpills(sample.text, sample.exit)) {
      const result = claudeBashResult(sample.text, sample.exit);
      callIds.set(sample, [callTool("Bash", input, result, failed)]);
      steps.push({ body: request(), sample });
      continue;
    }
    // Spilled: the preview, then the saved file Read whole, or in pages when it is too big.
    const saved = `${FIXED_SANDBOX}/home/.claude/projects/-tmp-headroom-bench-sessions-work/tool-results/${sample.name}.txt`;
    const ids = [callTool("Bash", input, claudePersistedResult(sample.text, sample.exit, saved))];
    steps.push({ body: request(), sample });
    const pages = claudeDelivery(sample.text, sample.exit);
    for (const page of pages) {
      const offset = Number(page.slice(0, page.indexOf("\t")));
      const read =
        pages.length === 1
          ? { file_path: saved }
          : { file_path: saved, offset, limit: CLAUDE_READ_PAGE_LINES };
      const readId = callTool("Read", read, page);
      ids.push(readId);
      numbered.add(readId);
      steps.push({ body: request(), sample });
    }
    callIds.set(sample, ids);
  }
  return { client: "claude-code", steps, callIds, numbered };
}

function codexSession(id: number, samples: readonly Sample[]): SessionPlan {
  const first = fixture("codex-first-request.json");
  const second = fixture("codex-second-request.json");
  const opening: Json[] = first.input;
  const history: Json[] = [];
  const steps: Step[] = [{ body: whole(first) }];
  const callIds = new Map<Sample, string[]>();
  samples.forEach((sample, index) => {
    const callId = `call_Bench${String(id).padStart(2, "0")}Call${String(index).padStart(3, "0")}`;
    history.push({
      type: "function_call",
      status: "completed",
      id: `fc_${callId}`,
      name: "exec_command",
      arguments: JSON.stringify({ cmd: sample.command }),
      call_id: callId,
    });
    history.push({
      type: "function_call_output",
      id: `fco_${callId}`,
      call_id: callId,
      output: codexExecResult(sample.text, sample.exit, {
        chunkId: createHash("sha256").update(sample.text).digest("hex").slice(0, 6),
        wallSeconds: 0,
      }),
    });
    callIds.set(sample, [callId]);
    steps.push({ body: whole({ ...second, input: [...opening, ...history] }), sample });
  });
  return { client: "codex", steps, callIds, numbered: new Set() };
}

/** `plan` with `gaps` idle gaps spread evenly over its requests (never before the first two). */
export function withIdleGaps(plan: SessionPlan, gaps: number): SessionPlan {
  const every = Math.floor(plan.steps.length / (gaps + 1));
  const steps = plan.steps.map((step, i) => {
    const gap = every > 1 && i % every === 0 && i / every >= 1 && i / every <= gaps;
    return gap ? { ...step, idleBefore: true } : step;
  });
  return { ...plan, steps };
}

/** A seeded shuffle, so every run builds the same sessions. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed * 2654435761;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `count` sessions of `length` samples each for `client`, drawn from `samples` by a fixed rule. */
export function planSessions(
  client: Client,
  samples: readonly Sample[],
  count: number,
  length: number,
): SessionPlan[] {
  return Array.from({ length: count }, (_, id) => {
    const chosen = shuffled(samples, id + 1).slice(0, length);
    return client === "claude-code" ? claudeSession(id, chosen) : codexSession(id, chosen);
  });
}
