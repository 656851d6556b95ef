/** Every fuzz target, in the order the long-running fuzzer visits them. @module */

import type { Target } from "./harness.ts";
import { compressorTargets } from "./targets-compress.ts";
import { requestTargets } from "./targets-request.ts";
import { sseTarget } from "./targets-sse.ts";
import { usageTarget } from "./targets-usage.ts";

export const ALL_TARGETS: readonly Target<unknown>[] = [
  sseTarget as Target<unknown>,
  usageTarget as Target<unknown>,
  ...(compressorTargets as Target<unknown>[]),
  ...(requestTargets as unknown as Target<unknown>[]),
];
