/**
 * The original Headroom's `feedback_loop` section of /stats from what headroom counts: fresh
 * compressions per tool (this process) and originals retrieved per tool (the original store's
 * counter, the model's retrieve calls and people's /v1/retrieve alike). A tool whose outputs are
 * retrieved often is listed; headroom does not change how it compresses that tool because of it.
 * @module
 */

import { round } from "./views.ts";

/** A tool counts as often retrieved from this many retrievals per compression. */
const HIGH_RETRIEVAL_RATE = 0.5;

/** The `feedback_loop` section. */
export function feedbackLoop(
  compressions: ReadonlyMap<string, number>,
  retrievals: Readonly<Record<string, number>>,
) {
  const tools = new Set([...compressions.keys(), ...Object.keys(retrievals)]);
  const perTool: Record<string, { compressions: number; retrievals: number; rate: number }> = {};
  let totalCompressions = 0;
  let totalRetrievals = 0;
  for (const tool of [...tools].sort()) {
    const c = compressions.get(tool) ?? 0;
    const r = retrievals[tool] ?? 0;
    totalCompressions += c;
    totalRetrievals += r;
    perTool[tool] = { compressions: c, retrievals: r, rate: c ? round(r / c, 4) : 0 };
  }
  return {
    tools_tracked: tools.size,
    total_compressions: totalCompressions,
    total_retrievals: totalRetrievals,
    global_retrieval_rate: totalCompressions ? round(totalRetrievals / totalCompressions, 4) : 0,
    tools_with_high_retrieval: Object.entries(perTool)
      .filter(([, t]) => t.compressions > 0 && t.rate >= HIGH_RETRIEVAL_RATE)
      .map(([tool]) => tool),
    per_tool: perTool,
    adapts_compression: false,
  };
}
