/**
 * The model a wrapped Claude Code or Codex is told to use, checked before the session starts: a
 * mistyped name would otherwise surface only as the provider's error on the first request.
 * @module
 */

import { EMBEDDED_PRICES } from "../../stats/prices.ts";

// Claude Code's own short names for its models.
const CLAUDE_ALIASES = [
  "default",
  "best",
  "sonnet",
  "opus",
  "haiku",
  "opusplan",
  "sonnet[1m]",
  "opus[1m]",
];

/** Model-name families headroom knows (its price table, "gpt-4o-mini" folded into "gpt-4o"). */
const FAMILIES = Object.keys(EMBEDDED_PRICES).filter(
  (name, _, all) => !all.some((other) => other !== name && name.startsWith(other)),
);
const CLAUDE_FAMILIES = FAMILIES.filter((name) => name.startsWith("claude-"));
const OPENAI_FAMILIES = FAMILIES.filter((name) => !name.startsWith("claude-"));

/** The agents whose model option wrap checks, with the flags that set it. */
const MODEL_FLAGS: Readonly<Record<string, readonly string[]>> = {
  claude: ["--model"],
  codex: ["--model", "-m"],
};

/** The model named in the agent's arguments (`--model X`, `--model=X`, `-m X` for Codex). */
export function requestedModel(agent: string, args: readonly string[]): string | undefined {
  const flags = MODEL_FLAGS[agent];
  if (!flags) return undefined;
  let model: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (flags.includes(arg) && i + 1 < args.length) model = args[++i];
    else if (arg.startsWith("--model=")) model = arg.slice("--model=".length);
  }
  return model;
}

/** Whether `name` is `family` or one of its versions ("gpt-5.5", "o3-mini", "…-4@20250514"). */
function inFamily(name: string, family: string): boolean {
  return name.startsWith(family) && /^(?:$|[-.@:[])/.test(name.slice(family.length));
}

/** Whether `model` is a name the agent's provider is known to serve. */
function isKnown(agent: string, model: string): boolean {
  const name = model.toLowerCase();
  if (agent === "claude") {
    return CLAUDE_ALIASES.includes(name) || CLAUDE_FAMILIES.some((f) => inFamily(name, f));
  }
  return OPENAI_FAMILIES.some((family) => inFamily(name, family));
}

/** The known names for `agent`, as a user would type them. */
export function knownModels(agent: string): string[] {
  return agent === "claude"
    ? [...CLAUDE_ALIASES, ...CLAUDE_FAMILIES.map((f) => `${f}…`)]
    : OPENAI_FAMILIES.map((family) => `${family}…`);
}

/** Why the model in `args` is refused, or undefined when it is known or none is named. */
export function unknownModelProblem(agent: string, args: readonly string[]): string | undefined {
  const model = requestedModel(agent, args);
  if (model === undefined || isKnown(agent, model)) return undefined;
  return `${agent} --model ${model}: not a model headroom knows for ${agent} (known: ${knownModels(agent).join(", ")}); pass --any-model to wrap to use it anyway`;
}
