/**
 * The model a wrapped Claude Code or Codex is told to use, checked before the session starts: a
 * mistyped name would otherwise surface only as the provider's error on the first request.
 * Names are checked by shape, not against a list, so a model released after this build passes
 * while "sonet", "gtp-5" or "claude-sonet-4" do not.
 * @module
 */

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

/** claude-opus-4-7, claude-sonnet-4-5-20250929, claude-3-5-haiku-latest, claude-sonnet-4@20250514. */
const CLAUDE_NAME =
  /^claude-(?:(?:opus|sonnet|haiku)-\d+|\d+(?:-\d+)?-(?:opus|sonnet|haiku))(?:$|[-.@:[])/;

/** gpt-5, gpt-5.5, gpt-5.1-codex-max, gpt-4o-mini, gpt-4.1-nano, o3, o4-mini, codex-mini-latest. */
const OPENAI_NAME = /^(?:gpt-\d+(?:\.\d+)?o?|o\d+|codex-mini)(?:$|[-:@])/;

/** The agents whose model option wrap checks, with the flags that set it. */
const MODEL_FLAGS: Readonly<Record<string, readonly string[]>> = {
  claude: ["--model"],
  codex: ["--model", "-m"],
};

/** How the known names look, for the message. */
const KNOWN: Readonly<Record<string, string>> = {
  claude: `${CLAUDE_ALIASES.join(", ")}, claude-{opus,sonnet,haiku}-N…, claude-N-N-{opus,sonnet,haiku}…`,
  codex: "gpt-N…, gpt-N.N…, gpt-4o…, oN…, codex-mini…",
};

/** The model named in the agent's arguments (`--model X`, `--model=X`, `-m X` for Codex). */
function requestedModel(agent: string, args: readonly string[]): string | undefined {
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

/** Whether `model` has the shape of a model the agent's provider serves. */
function isKnown(agent: string, model: string): boolean {
  const name = model.toLowerCase();
  if (agent === "claude") return CLAUDE_ALIASES.includes(name) || CLAUDE_NAME.test(name);
  return OPENAI_NAME.test(name);
}

/** Why the model in `args` is refused, or undefined when it is known or none is named. */
export function unknownModelProblem(agent: string, args: readonly string[]): string | undefined {
  const model = requestedModel(agent, args);
  if (model === undefined || isKnown(agent, model)) return undefined;
  return `${agent} --model ${model}: not a model name headroom knows for ${agent} (known: ${KNOWN[agent]}); pass --any-model to wrap to use it anyway`;
}
