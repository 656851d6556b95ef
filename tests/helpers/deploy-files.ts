/**
 * The deployment files (Dockerfile, deploy/) as data: YAML documents parsed with Bun's own
 * parser, the Dockerfile's final stage as instructions, and the settings' variable names they
 * may set.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SETTING_ROWS } from "../../src/core/settings.ts";
import { REPO_ROOT } from "./binary.ts";

export const DEPLOY_DIR = join(REPO_ROOT, "deploy");

// biome-ignore lint/suspicious/noExplicitAny: manifests are read field by field
export type Doc = any;

/** Every YAML document of one file (a file may hold several, separated by ---). */
export function yamlDocs(path: string): Doc[] {
  const parsed: unknown = Bun.YAML.parse(readFileSync(path, "utf8"));
  return (Array.isArray(parsed) ? parsed : [parsed]).filter((doc) => doc != null);
}

/** Every .yaml/.yml file under deploy/, relative to it. */
export function deployYamlFiles(): string[] {
  return readdirSync(DEPLOY_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

/** The Kubernetes objects in deploy/kubernetes (every file but the kustomization). */
export function kubernetesObjects(): Doc[] {
  const dir = join(DEPLOY_DIR, "kubernetes");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml")
    .flatMap((file) => yamlDocs(join(dir, file)));
}

/** The one object of `kind` (and `name`, when several share the kind). */
export function kubernetesObject(kind: string, name = "headroom"): Doc {
  const found = kubernetesObjects().filter(
    (doc) => doc.kind === kind && doc.metadata?.name === name,
  );
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

/** The environment variables the settings table reads. */
export const SETTING_ENV_NAMES: ReadonlySet<string> = new Set(
  SETTING_ROWS.map(([, setting]) => setting.env),
);

/** One instruction of a Dockerfile: its keyword and the rest of its (joined) line. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The instructions of the Dockerfile's last stage, continuation lines joined, comments gone. */
export function finalStage(dockerfile = join(REPO_ROOT, "Dockerfile")): Instruction[] {
  const logical = readFileSync(dockerfile, "utf8")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const instructions = logical.map((line) => {
    const space = line.search(/\s/);
    return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
  });
  const lastFrom = instructions.findLastIndex((i) => i.keyword === "FROM");
  return instructions.slice(lastFrom);
}

/** The KEY=value pairs of the ENV instructions of a stage. */
export function stageEnv(stage: readonly Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage) {
    if (keyword !== "ENV") continue;
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}
