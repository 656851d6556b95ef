/**
 * Replays planned sessions side by side: every request goes straight to one pricing upstream
 * (direct) and through headroom to another (proxied), and what each upstream received and
 * billed is gathered per client.
 */

import type { Bill } from "./billing.ts";
import { type FactState, factStates, type Retrieve, toolResults } from "./facts.ts";
import type { PricingUpstream, Received } from "./pricing-upstream.ts";
import { extendsPrompt, type Rendered, sharedSegments } from "./render.ts";
import type { Client, SessionPlan } from "./sessions.ts";

/** One request's figures in both lanes. */
export interface RequestFigures {
  session: number;
  request: number;
  sample: string | null;
  direct: Bill;
  proxied: Bill;
  /** Whether the request repeats its session's previous request byte for byte and adds to it. */
  directExtends: boolean;
  proxiedExtends: boolean;
}

/** What one client's sessions cost and kept. */
export interface ClientFigures {
  client: Client;
  sessions: number;
  requests: number;
  /** Input-token units summed over every request. */
  unitsDirect: number;
  unitsProxied: number;
  cacheReadDirect: number;
  cacheReadProxied: number;
  cacheWriteDirect: number;
  cacheWriteProxied: number;
  /** Rendered prompt tokens summed over every request. */
  tokensDirect: number;
  tokensProxied: number;
  /** Prompt tokens of each session's last request, summed: the context the model ends with. */
  finalTokensDirect: number;
  finalTokensProxied: number;
  /**
   * Proxied requests that broke the cached prefix where the direct request extended it, while
   * the cache was warm (a request after an idle gap is not counted: its cache had expired).
   */
  rewrites: number;
  rewriteAt: string[];
  /** Proxied requests after an idle gap that changed the expired prefix (compactions). */
  rewritesAfterIdle: number;
  /** Facts whose sample text the client delivered whole (visible in the direct request). */
  factsDelivered: number;
  /** Facts the client itself did not deliver (cut by its own truncation), left out of the rest. */
  factsNotDelivered: number;
  factsVisible: number;
  factsRetrievable: number;
  factsLost: string[];
  perRequest: RequestFigures[];
  /** Prompt tokens each sample's call(s) added to its session, summed over sessions. */
  bySample: Map<string, { direct: number; proxied: number }>;
}

const HEADERS: Record<Client, Record<string, string>> = {
  "claude-code": {
    "content-type": "application/json",
    "x-api-key": "sk-ant-bench-sessions",
    "anthropic-version": "2023-06-01",
  },
  codex: { "content-type": "application/json", authorization: "Bearer sk-bench-sessions" },
};
const PATHS: Record<Client, string> = { "claude-code": "/v1/messages", codex: "/v1/responses" };

async function send(
  base: string,
  client: Client,
  body: string,
  extra: Record<string, string> = {},
): Promise<void> {
  const response = await fetch(`${base}${PATHS[client]}`, {
    method: "POST",
    headers: { ...HEADERS[client], ...extra },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${base}: ${response.status} ${text.slice(0, 500)}`);
}

/** Sends `body` and returns what the upstream received for it. */
async function exchange(
  base: string,
  upstream: PricingUpstream,
  client: Client,
  body: string,
  extra: Record<string, string> = {},
): Promise<Received> {
  const before = upstream.received.length;
  await send(base, client, body, extra);
  if (upstream.received.length !== before + 1)
    throw new Error(`expected one upstream request, got ${upstream.received.length - before}`);
  return upstream.received.at(-1)!;
}

/** Where a prompt stopped repeating the previous one, for the report. */
function divergence(previous: Rendered, next: Rendered): string {
  const at = sharedSegments(previous, next);
  const show = (prompt: Rendered) =>
    JSON.stringify(prompt.segments[at]?.text.slice(0, 80) ?? "(end)");
  return `segment ${at} of ${previous.segments.length} was ${show(previous)}, now ${show(next)}`;
}

const add = (figures: ClientFigures, direct: Bill, proxied: Bill) => {
  figures.unitsDirect += direct.units;
  figures.unitsProxied += proxied.units;
  figures.cacheReadDirect += direct.cacheRead;
  figures.cacheReadProxied += proxied.cacheRead;
  figures.cacheWriteDirect += direct.cacheWrite;
  figures.cacheWriteProxied += proxied.cacheWrite;
  figures.tokensDirect += direct.total;
  figures.tokensProxied += proxied.total;
};

/** How the sessions are paced and when headroom joins them. */
export interface Pacing {
  /** How long an idle gap lasts (past the upstream's cache lifetime). */
  readonly idleMs: number;
  /** The requests before this one pass headroom bypassed, as if it had not joined yet. */
  readonly joinAt: number;
}

/** Runs `plans` (one client's) through both lanes and measures them. */
export async function runClient(
  client: Client,
  plans: readonly SessionPlan[],
  lanes: { direct: PricingUpstream; proxied: PricingUpstream; proxyUrl: string },
  retrieve: Retrieve,
  progress: (text: string) => void,
  pacing: Pacing = { idleMs: 0, joinAt: 0 },
): Promise<ClientFigures> {
  const figures: ClientFigures = {
    client,
    sessions: plans.length,
    requests: 0,
    unitsDirect: 0,
    unitsProxied: 0,
    cacheReadDirect: 0,
    cacheReadProxied: 0,
    cacheWriteDirect: 0,
    cacheWriteProxied: 0,
    tokensDirect: 0,
    tokensProxied: 0,
    finalTokensDirect: 0,
    finalTokensProxied: 0,
    rewrites: 0,
    rewriteAt: [],
    rewritesAfterIdle: 0,
    factsDelivered: 0,
    factsNotDelivered: 0,
    factsVisible: 0,
    factsRetrievable: 0,
    factsLost: [],
    perRequest: [],
    bySample: new Map(),
  };
  for (const [index, plan] of plans.entries()) {
    let previous: { direct: Received; proxied: Received } | undefined;
    for (const [turn, step] of plan.steps.entries()) {
      if (step.idleBefore) await Bun.sleep(pacing.idleMs);
      const bypass: Record<string, string> =
        turn < pacing.joinAt ? { "x-headroom-bypass": "true" } : {};
      const direct = await exchange(lanes.direct.url, lanes.direct, client, step.body);
      const proxied = await exchange(lanes.proxyUrl, lanes.proxied, client, step.body, bypass);
      figures.requests++;
      add(figures, direct.bill, proxied.bill);
      const directExtends = previous ? extendsPrompt(previous.direct.prompt, direct.prompt) : true;
      const proxiedExtends = previous
        ? extendsPrompt(previous.proxied.prompt, proxied.prompt)
        : true;
      if (directExtends && !proxiedExtends && step.idleBefore) figures.rewritesAfterIdle++;
      else if (directExtends && !proxiedExtends) {
        figures.rewrites++;
        figures.rewriteAt.push(
          `session ${index} request ${turn} (${step.sample?.name ?? "first"}): ${divergence(previous!.proxied.prompt, proxied.prompt)}`,
        );
      }
      figures.perRequest.push({
        session: index,
        request: turn,
        sample: step.sample?.name ?? null,
        direct: direct.bill,
        proxied: proxied.bill,
        directExtends,
        proxiedExtends,
      });
      if (previous && step.sample) {
        const added = figures.bySample.get(step.sample.name) ?? { direct: 0, proxied: 0 };
        added.direct += direct.prompt.tokens - previous.direct.prompt.tokens;
        added.proxied += proxied.prompt.tokens - previous.proxied.prompt.tokens;
        figures.bySample.set(step.sample.name, added);
      }
      previous = { direct, proxied };
    }
    if (!previous) continue;
    figures.finalTokensDirect += previous.direct.prompt.tokens;
    figures.finalTokensProxied += previous.proxied.prompt.tokens;
    const directResults = toolResults(previous.direct.json);
    const proxiedResults = toolResults(previous.proxied.json);
    for (const [sample, ids] of plan.callIds) {
      const texts = (results: Map<string, string>) =>
        ids.map((id) => ({ text: results.get(id) ?? "", numbered: plan.numbered.has(id) }));
      const delivered = await factStates(sample, texts(directResults));
      const kept: FactState[] = await factStates(sample, texts(proxiedResults), retrieve);
      sample.facts.forEach((fact, i) => {
        if (delivered[i] !== "visible") {
          figures.factsNotDelivered++;
          return;
        }
        figures.factsDelivered++;
        if (kept[i] === "visible") figures.factsVisible++;
        else if (kept[i] === "retrievable") figures.factsRetrievable++;
        else figures.factsLost.push(`${sample.name}: ${JSON.stringify(fact)}`);
      });
    }
    progress(`${client} session ${index + 1}/${plans.length} done (${plan.steps.length} requests)`);
  }
  return figures;
}
