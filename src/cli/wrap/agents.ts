/**
 * How each agent is pointed at the proxy: the program to launch, the environment to give it, and
 * for tools without a launcher the settings to paste.
 * @module
 */

import { copilotEnv } from "./byok-agents.ts";

/** One agent's wiring. */
export interface AgentSpec {
  /** The program to launch; undefined for tools configured by hand (Cursor). */
  readonly command: string | undefined;
  /** Arguments placed before the user's own (Codex selects the headroom provider this way). */
  readonly args?: readonly string[];
  /** Environment variables that point it at the proxy at `base`. */
  env(
    base: string,
    project: string,
    current: Record<string, string | undefined>,
  ): Record<string, string>;
  /** For tools without a launcher: what to paste where. */
  instructions?(base: string): string;
}

/** Both base URLs: OpenAI-style clients want /v1 in theirs, Anthropic-style clients do not. */
const bothBaseUrls = (base: string): Record<string, string> => ({
  OPENAI_BASE_URL: `${base}/v1`,
  OPENAI_API_BASE: `${base}/v1`,
  ANTHROPIC_BASE_URL: base,
});

const generic = (command: string): AgentSpec => ({ command, env: bothBaseUrls });

/** The agents headroom knows by name; any other name is launched as a command with both URLs. */
const AGENTS: Readonly<Record<string, AgentSpec>> = {
  claude: {
    command: "claude",
    env: (base, project, current) => {
      // Claude Code adds these headers to every request: savings are attributed to the project.
      const ours = `x-headroom-project: ${project}\nx-headroom-stack: wrap_claude`;
      const theirs = current.ANTHROPIC_CUSTOM_HEADERS;
      return {
        ANTHROPIC_BASE_URL: base,
        ANTHROPIC_CUSTOM_HEADERS: theirs ? `${theirs}\n${ours}` : ours,
      };
    },
  },
  codex: {
    command: "codex",
    args: ["-c", 'model_provider="headroom"'],
    env: () => ({}),
  },
  // Gemini CLI with a Gemini API key; Google sign-ins are refused in gemini-auth.ts.
  gemini: { command: "gemini", env: (base) => ({ GOOGLE_GEMINI_BASE_URL: base }) },
  aider: generic("aider"),
  opencode: generic("opencode"),
  goose: {
    command: "goose",
    env: (base) => ({ ...bothBaseUrls(base), OPENAI_HOST: base, ANTHROPIC_HOST: base }),
  },
  // BYOK only (byok-agents.ts): GitHub's and Qwen's own sign-ins cannot go through a proxy.
  copilot: { command: "copilot", env: copilotEnv },
  qwen: { command: "qwen", env: bothBaseUrls },
  cursor: {
    command: undefined,
    env: () => ({}),
    instructions: (base) =>
      [
        "Cursor has no launcher to wrap. Point it at headroom by hand:",
        "  Cursor Settings → Models → API Keys → OpenAI API Key: your key",
        `  "Override OpenAI Base URL": ${base}/v1, then Verify.`,
        `Savings show at ${base}/dashboard. Undo by switching the override off.`,
      ].join("\n"),
  },
};

/** The wiring for `name`: a known agent, or any other command. */
export function agentSpec(name: string): AgentSpec {
  return Object.hasOwn(AGENTS, name) ? AGENTS[name]! : generic(name);
}
