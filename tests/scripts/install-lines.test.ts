/**
 * The README's install section: its three lines are the ones the installers and the release
 * workflow serve, and its CI snippet runs only headroom commands that exist, in the right
 * order, in scripts shellcheck passes.
 */

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  headroomCommands,
  knownCommands,
  ROOT,
  readWorkflow,
  type Step,
  shellcheck,
} from "../helpers/workflows.ts";

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("## Install and release\n"),
  readme.indexOf("\n## ", readme.indexOf("## Install and release\n") + 1),
);
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
  lang: m[1]!,
  body: m[2]!,
}));

/** The command line an installer's header says it is run with. */
function runWith(file: string): string {
  const header = readFileSync(join(ROOT, file), "utf8").split("\n").slice(0, 6);
  return header.find((line) => line.startsWith("#   "))!.slice(4);
}

test("shows the curl, brew and PowerShell lines the release serves", () => {
  const lines = blocks[0]!.body.split("\n").filter((line) => line && !line.startsWith("#"));
  expect(blocks[0]!.lang).toBe("sh");
  expect(lines).toEqual([
    runWith("install.sh"),
    "brew install headroom-dev/tap/headroom",
    runWith("install.ps1"),
  ]);
  // brew reads OWNER/tap from the repository OWNER/homebrew-tap, where release.yml commits
  // Formula/headroom.rb.
  const homebrew = readWorkflow(".github/workflows/release.yml").jobs.homebrew!;
  const tap = homebrew.steps!.find((s: Step) => s.with?.repository)!;
  expect(tap.with?.repository).toBe("headroom-dev/homebrew-tap");
  expect(homebrew.steps!.map((s) => s.run ?? "").join("\n")).toContain(
    "cp release/headroom.rb tap/Formula/headroom.rb",
  );
});

test("the CI snippet installs, runs headroom selftest, then the user's tests through the proxy", () => {
  const snippet = blocks.find((b) => b.lang === "yaml")!;
  const steps = Bun.YAML.parse(snippet.body) as Step[];
  const runs = steps.map((s) => s.run ?? "");
  expect(runs[0]).toContain(runWith("install.sh"));
  // install.sh's default directory, put on PATH for the later steps.
  expect(readFileSync(join(ROOT, "install.sh"), "utf8")).toContain(
    "{HOME:?HOME is not set}/.local/bin",
  );
  expect(runs[0]).toContain('echo "$HOME/.local/bin" >> "$GITHUB_PATH"');
  expect(runs.map((run) => headroomCommands(run))).toEqual([[], ["selftest"], ["proxy"]]);
  const known = knownCommands();
  for (const command of runs.flatMap((run) => headroomCommands(run)))
    expect(known).toContain(command);
  // The proxy answers readiness on its default port before the tests start.
  expect(runs[2]).toContain("http://127.0.0.1:8787/readyz");
  expect(runs[2]).toContain("ANTHROPIC_BASE_URL=http://127.0.0.1:8787");
  const problems = runs.map((text, i) =>
    shellcheck({ where: `step ${i + 1}`, shell: "bash", text }),
  );
  expect(problems.filter(Boolean)).toEqual([]);
});
