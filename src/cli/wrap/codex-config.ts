/**
 * The headroom provider in Codex's config.toml: one marked block appended at the end of the file
 * (the user's own lines are never touched), removed exactly, byte for byte, by unwrap.
 * @module
 */

import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const BEGIN = "# >>> headroom: added by `headroom wrap codex`; `headroom unwrap codex` removes it";
const END = "# <<< headroom";

/** The environment variable Codex reads the API key from for the headroom provider. */
export const CODEX_KEY_ENV = "OPENAI_API_KEY";

/** Codex's own directory: $CODEX_HOME, else ~/.codex. */
function codexHome(env: Record<string, string | undefined>, home: string): string {
  return env.CODEX_HOME || join(home, ".codex");
}

/** Codex's config file: $CODEX_HOME/config.toml, else ~/.codex/config.toml. */
export function codexConfigPath(env: Record<string, string | undefined>, home: string): string {
  return join(codexHome(env, home), "config.toml");
}

/** How Codex authenticates through headroom: its ChatGPT sign-in, or an API key. */
export type CodexAuth = "chatgpt" | "api-key";

/**
 * True when Codex is signed in with ChatGPT: its auth.json (written by `codex login`) holds
 * ChatGPT tokens. Only the file's shape is read; no token leaves this function.
 */
export function signedInWithChatgpt(
  env: Record<string, string | undefined>,
  home: string,
): boolean {
  try {
    const auth = JSON.parse(readFileSync(join(codexHome(env, home), "auth.json"), "utf8"));
    if (auth?.auth_mode === "chatgpt") return true;
    return auth?.auth_mode === undefined && typeof auth?.tokens?.access_token === "string";
  } catch {
    return false;
  }
}

/**
 * The provider block for a proxy at `base`: the Responses API over Codex's WebSocket transport
 * (headroom relays it, and answers 426 where it cannot, so Codex falls back to HTTP). With a
 * ChatGPT sign-in Codex keeps its own auth (`requires_openai_auth`) and headroom sends that
 * traffic to the ChatGPT backend; otherwise the key comes from OPENAI_API_KEY.
 */
export function providerBlock(base: string, auth: CodexAuth): string {
  return [
    BEGIN,
    "[model_providers.headroom]",
    'name = "OpenAI through headroom"',
    `base_url = "${base}/v1"`,
    auth === "chatgpt" ? "requires_openai_auth = true" : `env_key = "${CODEX_KEY_ENV}"`,
    'wire_api = "responses"',
    "supports_websockets = true",
    END,
    "",
  ].join("\n");
}

/** What adding the block did, so unwrap can undo exactly that. */
export interface CodexChange {
  readonly file: string;
  readonly block: string;
  /** Text put before the block (a newline when the file did not end with one). */
  readonly separator: string;
  readonly createdFile: boolean;
  readonly createdDir: boolean;
}

/** The headroom block currently in `text`, if any. */
function blockIn(text: string): string | undefined {
  const start = text.indexOf(BEGIN);
  if (start < 0) return undefined;
  const end = text.indexOf(END, start);
  return end < 0 ? text.slice(start) : text.slice(start, end + END.length + 1);
}

/** Why the block cannot be added, or undefined when it is there already. */
export type CodexRefusal = { readonly reason: string };

/**
 * Adds the provider block for `base` and `auth`. Returns the change made, "present" when the same block is
 * there already, or a refusal (a block for another address, or a provider the user wrote).
 */
export function addProviderBlock(
  file: string,
  base: string,
  auth: CodexAuth,
): CodexChange | "present" | CodexRefusal {
  const exists = existsSync(file);
  const text = exists ? readFileSync(file, "utf8") : "";
  const block = providerBlock(base, auth);
  const current = blockIn(text);
  if (current === block) return "present";
  if (current !== undefined) {
    return { reason: `${file} holds a headroom provider for another address or sign-in` };
  }
  if (/^\s*\[model_providers\.headroom\]/m.test(text)) {
    return { reason: `${file} defines its own [model_providers.headroom]; headroom uses it as is` };
  }
  const dir = dirname(file);
  const createdDir = !existsSync(dir);
  if (createdDir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const separator = text === "" || text.endsWith("\n") ? "" : "\n";
  writeFileSync(file, `${text}${separator}${block}`);
  return { file, block, separator, createdFile: !exists, createdDir };
}

/** What removing the block did, for the user. */
export interface Removal {
  /** False when the block was edited by hand and is left for the user to remove. */
  readonly done: boolean;
  readonly message: string;
}

/** Removes exactly what {@link addProviderBlock} added. */
export function removeProviderBlock(change: CodexChange): Removal {
  if (!existsSync(change.file)) {
    return { done: true, message: `${change.file} no longer exists; nothing to remove` };
  }
  const text = readFileSync(change.file, "utf8");
  const added = `${change.separator}${change.block}`;
  const at = text.lastIndexOf(added);
  if (at < 0) {
    return {
      done: false,
      message: `the headroom block in ${change.file} was edited by hand; remove it yourself`,
    };
  }
  const restored = text.slice(0, at) + text.slice(at + added.length);
  if (restored === "" && change.createdFile) {
    rmSync(change.file);
    if (change.createdDir) {
      try {
        rmdirSync(dirname(change.file));
      } catch {
        // Codex has put its own files there since: the directory stays.
      }
    }
    return { done: true, message: `removed ${change.file}, which headroom had created` };
  }
  writeFileSync(change.file, restored);
  return { done: true, message: `removed the headroom provider from ${change.file}` };
}
