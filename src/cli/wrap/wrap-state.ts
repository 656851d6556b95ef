/**
 * The persistent changes `headroom wrap` made, kept in the workspace so `headroom unwrap` can undo
 * exactly those and nothing else.
 * @module
 */

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CodexChange } from "./codex-config.ts";

/** Persistent changes by agent. Only Codex needs one today; the others are pointed by env. */
export interface WrapState {
  codex?: CodexChange;
}

const STATE_FILE = "wrap-state.json";

/** The state file's path in `workspaceDir`. */
function wrapStatePath(workspaceDir: string): string {
  return join(workspaceDir, STATE_FILE);
}

/** Reads the state; a missing or unreadable file means no changes recorded. */
export function readWrapState(workspaceDir: string): WrapState {
  const path = wrapStatePath(workspaceDir);
  if (!existsSync(path)) return {};
  try {
    const value = JSON.parse(readFileSync(path, "utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** Writes the state (owner-only), or deletes the file once nothing is recorded. */
export function writeWrapState(workspaceDir: string, state: WrapState): void {
  const path = wrapStatePath(workspaceDir);
  if (Object.keys(state).length === 0) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(workspaceDir, { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
