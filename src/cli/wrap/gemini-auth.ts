/**
 * How Gemini CLI signs in, and what `wrap gemini` can do about it. Only the Gemini API key
 * sign-in talks to the Gemini API (generativelanguage.googleapis.com, moved with
 * GOOGLE_GEMINI_BASE_URL), which headroom serves. "Login with Google" talks to Google's Code
 * Assist service (cloudcode-pa.googleapis.com/v1internal) with the account's OAuth token, and
 * Vertex AI to aiplatform.googleapis.com: neither is proxied yet, so wrap says so instead of
 * launching a session that would bypass headroom.
 *
 * Gemini CLI 0.61 takes a set GOOGLE_GEMINI_BASE_URL for a "gateway" sign-in that its own
 * checks then refuse ("Invalid auth method selected"), unless settings choose a sign-in. wrap
 * cannot supply that choice from outside: the only settings file below the user's (system
 * defaults) must be owned by root. So with none chosen, wrap says how to choose it once.
 * @module
 */

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** The sign-in Gemini CLI will use, and where that was decided. */
interface SignIn {
  readonly type: string | undefined;
  readonly from: string | undefined;
}

const API_KEY = "gemini-api-key";
const GOOGLE_LOGIN = new Set(["oauth-personal", "compute-default-credentials"]);

/** A settings file's JSON, tolerating the `//` comment lines Gemini CLI accepts; {} when unreadable. */
function readSettings(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return {};
  }
  for (const candidate of [text, text.replace(/^\s*\/\/.*$/gm, "")]) {
    try {
      const value = JSON.parse(candidate) as unknown;
      if (value !== null && typeof value === "object") return value as Record<string, unknown>;
    } catch {
      // Try without comments, then give up.
    }
  }
  return {};
}

function selectedTypeIn(settings: Record<string, unknown>): string | undefined {
  const security = settings.security as { auth?: { selectedType?: unknown } } | undefined;
  const type = security?.auth?.selectedType;
  return typeof type === "string" && type !== "" ? type : undefined;
}

/** Gemini CLI's settings files, highest precedence first (system, workspace, user). */
function settingsFiles(env: Env, home: string, cwd: string): string[] {
  const cliHome = env.GEMINI_CLI_HOME || home;
  return [
    env.GEMINI_CLI_SYSTEM_SETTINGS_PATH || "/etc/gemini-cli/settings.json",
    join(cwd, ".gemini", "settings.json"),
    join(cliHome, ".gemini", "settings.json"),
  ];
}

/** Where the system defaults file is, as Gemini CLI finds it. */
function systemDefaultsPath(env: Env): string {
  if (env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH) return env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH;
  const system = env.GEMINI_CLI_SYSTEM_SETTINGS_PATH || "/etc/gemini-cli/settings.json";
  return join(dirname(system), "system-defaults.json");
}

/** The sign-in the settings choose (or the environment, when no settings do). */
function signIn(env: Env, home: string, cwd: string): SignIn {
  for (const file of [...settingsFiles(env, home, cwd), systemDefaultsPath(env)]) {
    const type = selectedTypeIn(readSettings(file));
    if (type) return { type, from: file };
  }
  if (env.GOOGLE_GENAI_USE_GCA === "true")
    return { type: "oauth-personal", from: "GOOGLE_GENAI_USE_GCA" };
  if (env.GOOGLE_GENAI_USE_VERTEXAI === "true")
    return { type: "vertex-ai", from: "GOOGLE_GENAI_USE_VERTEXAI" };
  return { type: undefined, from: undefined };
}

const SWITCH =
  'To run Gemini CLI through headroom, use a Gemini API key: set GEMINI_API_KEY and choose "Use Gemini API Key" in its /auth.';

/** Why `wrap gemini` cannot send this user's Gemini CLI through headroom, or undefined. */
export function geminiWrapProblem(env: Env, home: string, cwd: string): string | undefined {
  const { type, from } = signIn(env, home, cwd);
  if (type && GOOGLE_LOGIN.has(type)) {
    return `Gemini CLI signs in with Google here (${type}, from ${from}). That traffic goes to Google's Code Assist service (cloudcode-pa.googleapis.com) with your Google account's token, not to the Gemini API, and headroom does not proxy Code Assist yet: the session would bypass headroom. ${SWITCH}`;
  }
  if (type === "vertex-ai") {
    return `Gemini CLI uses Vertex AI here (from ${from}). Its requests go to aiplatform.googleapis.com, which headroom does not proxy yet. ${SWITCH}`;
  }
  if (type && type !== API_KEY) {
    return `Gemini CLI signs in with "${type}" here (from ${from}), which headroom cannot serve. ${SWITCH}`;
  }
  if (!type) {
    const key = env.GEMINI_API_KEY ? "" : " and set GEMINI_API_KEY";
    return `Gemini CLI has no sign-in chosen, and with a base URL set it refuses to start. Choose the Gemini API key sign-in once: run gemini and pick "Use Gemini API Key" in /auth, or put "security": {"auth": {"selectedType": "gemini-api-key"}} in ~/.gemini/settings.json${key}. Then run headroom wrap gemini again.`;
  }
  // A chosen API-key sign-in may keep its key in Gemini CLI's keychain: nothing more to check.
  return undefined;
}
