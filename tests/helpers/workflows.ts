/**
 * Reading GitHub workflow files as data for the tests that check them: their jobs, the shell
 * scripts their steps run, and the commands those scripts name.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");

/** A GitHub expression, `${{ inner }}`, spelled so it never reads as a template placeholder. */
export function expression(inner: string): string {
  return `$\{{ ${inner} }}`;
}

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
}

export interface Job {
  "runs-on"?: string;
  uses?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { matrix?: { include?: Record<string, string>[] } & Record<string, unknown> };
  defaults?: { run?: { shell?: string } };
  container?: string | { image: string; options?: string };
  "timeout-minutes"?: number;
  if?: string;
  steps?: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function readWorkflow(file: string): Workflow {
  return Bun.YAML.parse(readFileSync(join(ROOT, file), "utf8")) as Workflow;
}

export function needsOf(job: Job): string[] {
  if (job.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** The runner labels a job may run on: its runs-on, or each value of the matrix key it names. */
export function runnersOf(job: Job): string[] {
  const runsOn = job["runs-on"];
  if (runsOn === undefined) return [];
  const fromMatrix = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(runsOn);
  if (!fromMatrix) return [runsOn];
  const key = fromMatrix[1]!;
  const matrix = job.strategy?.matrix ?? {};
  const listed = Array.isArray(matrix[key]) ? (matrix[key] as string[]) : [];
  return [...listed, ...(matrix.include ?? []).map((row) => row[key]!)];
}

export interface Script {
  where: string;
  shell: string;
  text: string;
}

/** Every `run:` script of a workflow, with the shell that runs it. */
export function scriptsOf(workflow: Workflow, label: string): Script[] {
  const scripts: Script[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const [i, step] of (job.steps ?? []).entries()) {
      if (step.run === undefined) continue;
      // GitHub runs bash wherever a step or job names no shell (pwsh on Windows, which every
      // job here on a Windows runner overrides or names per step).
      const shell = step.shell ?? job.defaults?.run?.shell ?? "bash";
      scripts.push({ where: `${label} ${id} step ${i + 1}`, shell, text: step.run });
    }
  }
  return scripts;
}

/** Subcommands a script runs headroom with: `headroom X`, `dist/headroom.exe X`, `"$HEADROOM" X`. */
export function headroomCommands(script: string): string[] {
  return [...script.matchAll(/headroom(?:\.exe)?"?[ \t]+([a-z][a-z-]*)/gi)].map((m) => m[1]!);
}

/** Scripts of package.json that a script runs with `npm run X`. */
export function npmScripts(script: string): string[] {
  return [...script.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]!);
}

/** Repository files a script names: scripts/…, .ci/…, tests/…, install.sh, install.ps1. */
export function repositoryPaths(script: string): string[] {
  return [
    ...script.matchAll(/(?<![\w/$.-])((?:scripts|\.ci|tests)\/[\w./-]*\w|install\.(?:sh|ps1))\b/g),
  ].map((m) => m[1]!);
}

/** The subcommands `src/cli/main.ts` dispatches. */
export function knownCommands(): Set<string> {
  const main = readFileSync(join(ROOT, "src", "cli", "main.ts"), "utf8");
  return new Set([...main.matchAll(/^\s*case "([a-z-]+)":/gm)].map((m) => m[1]!));
}

/** shellcheck's complaints about one bash script, with `${{ … }}` expressions as plain words. */
export function shellcheck({ where, text }: Script): string {
  const script = `#!/bin/bash\nset -eo pipefail\n${text.replace(/\$\{\{[^}]*\}\}/g, "EXPRESSION")}`;
  const check = Bun.spawnSync(["shellcheck", "--shell=bash", "-"], { stdin: Buffer.from(script) });
  const output = check.stdout.toString() + check.stderr.toString();
  return check.exitCode === 0 ? "" : `${where}:\n${output}`;
}
