import { describe, expect, test } from "bun:test";
import { compressText } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { markerHashes, originalHash } from "../../src/compress/marker.ts";
import { outputFixture } from "../helpers/output-fixture.ts";

const APT_POLICY = outputFixture("table/apt-cache-policy.txt");
const APT_POLICY_120 = outputFixture("table/apt-cache-policy-120.txt");
const MOUNT = outputFixture("table/mount.txt");
const MOUNT_CGROUP = outputFixture("table/mount-cgroup.txt");
const ENV = outputFixture("table/env.txt");
const ENV_NPM = outputFixture("table/env-npm-run.txt");
const ENV_LS_COLORS = outputFixture("table/env-ls-colors.txt");

function route(text: string, lossy: boolean, query = "") {
  return compressText(text, { query, lossy, hash: () => originalHash(text) });
}

function lines(text: string): string[] {
  return text.trimEnd().split("\n");
}

describe("every capture", () => {
  const all = { APT_POLICY, APT_POLICY_120, MOUNT, MOUNT_CGROUP, ENV, ENV_NPM, ENV_LS_COLORS };
  for (const [name, text] of Object.entries(all)) {
    test(`${name} is a table that shrinks the same way every time`, () => {
      expect(detectContent(text)).toBe("table");
      const once = route(text, true)!;
      const twice = route(text, true)!;
      expect(once.text).toBe(twice.text);
      expect(once.text.length).toBeLessThan(text.length);
      expect(route(text, false)!.text.length).toBeLessThan(text.length);
    });
  }
});

describe("apt-cache policy", () => {
  const out = route(APT_POLICY, false)!;
  const blocks = APT_POLICY.split(/\n(?=\S)/).filter((block) => block.trim() !== "");

  test("is one lossless line per package", () => {
    expect(out.strategy).toBe("table:apt-policy");
    expect(out.lossy).toBe(false);
    expect(markerHashes(out.text)).toEqual([]);
    const names = blocks.map((block) => block.slice(0, block.indexOf(":\n")));
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      expect(
        lines(out.text).filter((line) => line.startsWith(`${name}: Installed: `)),
      ).toHaveLength(1);
    }
  });

  test("keeps each package's installed and candidate versions", () => {
    for (const block of blocks) {
      const name = block.slice(0, block.indexOf(":\n"));
      const installed = /Installed: (.+)/.exec(block)![1]!;
      const candidate = /Candidate: (.+)/.exec(block)![1]!;
      const line = lines(out.text).find((l) => l.startsWith(`${name}: `))!;
      expect(line).toContain(`Installed: ${installed},`);
      expect(line).toContain(
        candidate === installed ? "Candidate: same" : `Candidate: ${candidate}`,
      );
    }
  });

  test("keeps every version with its priority and archives", () => {
    const legend = new Map<string, string>();
    for (const line of lines(out.text)) {
      const m = /^(@\d+) = (.+)$/.exec(line);
      if (m) legend.set(m[1]!, m[2]!);
    }
    expect(legend.size).toBeGreaterThanOrEqual(3);
    for (const block of blocks) {
      const name = block.slice(0, block.indexOf(":\n"));
      const installed = /Installed: (.+)/.exec(block)![1]!;
      const line = lines(out.text).find((l) => l.startsWith(`${name}: `))!;
      const entries = line.slice(line.indexOf("; versions: ") + 12).split(" | ");
      const versions = [...block.matchAll(/^ (\*\*\*| {3}) (\S+) (\d+)\n((?: {8}.+\n?)*)/gm)];
      expect(entries).toHaveLength(versions.length);
      versions.forEach((v, k) => {
        const version = v[1] === "***" && v[2] === installed ? "***" : v[2]!;
        const [shown, priority, refs] = entries[k]!.split(" ");
        expect([shown, priority]).toEqual([version, v[3]!]);
        const archives = v[4]!
          .trimEnd()
          .split("\n")
          .map((s) => s.trim());
        expect(
          refs!
            .slice(1)
            .split(",")
            .map((ref) => legend.get(`@${ref}`)),
        ).toEqual(archives);
      });
    }
  });

  test("keeps the corpus facts: curl's installed and candidate versions", () => {
    expect(out.text).toContain("Installed: 7.88.1-10+deb12u14");
    expect(out.text).toContain("Candidate: 7.88.1-10+deb12u15");
  });
});

describe("apt-cache policy of 120 packages", () => {
  const blocks = APT_POLICY_120.split(/\n(?=\S)/).filter((block) => block.trim() !== "");
  const upgradable = blocks.filter(
    (block) => /Installed: (.+)/.exec(block)![1] !== /Candidate: (.+)/.exec(block)![1],
  );

  test("drops only settled packages' version tables, behind the marker", () => {
    expect(blocks).toHaveLength(120);
    expect(upgradable.length).toBeGreaterThan(0);
    const out = route(APT_POLICY_120, true)!;
    expect(out.strategy).toBe("table:apt-policy-settled");
    expect(out.lossy).toBe(true);
    expect(markerHashes(out.text)).toEqual([originalHash(APT_POLICY_120)]);
    expect(out.text).toContain(`version tables of ${120 - upgradable.length} of 120 packages`);
    for (const block of blocks) {
      const name = block.slice(0, block.indexOf(":\n"));
      const installed = /Installed: (.+)/.exec(block)![1]!;
      const line = lines(out.text).find((l) => l.startsWith(`${name}: `))!;
      expect(line).toContain(`Installed: ${installed},`);
      expect(line.includes("; versions: ")).toBe(upgradable.includes(block));
    }
  });

  test("keeps the version table of a package the question names", () => {
    const out = route(APT_POLICY_120, true, "which adduser versions exist?")!;
    expect(out.lossy).toBe(true);
    expect(out.text).toContain("adduser: Installed: 3.134, Candidate: same; versions: ***");
  });

  test("stays whole when content may not be dropped", () => {
    const out = route(APT_POLICY_120, false)!;
    expect(out.strategy).toBe("table:apt-policy");
    expect(lines(out.text).filter((l) => l.includes("; versions: "))).toHaveLength(120);
  });
});

/** Writes grouped mount runs back as `mount` lines. */
function expandMounts(text: string): string[] {
  const out: string[] = [];
  let template: RegExpExecArray | null = null;
  for (const line of lines(text)) {
    const heading = /^\d+ mounts: (\S+) on (\S*)<point> type (\S+) \(([^<]*)<options>\), as/.exec(
      line,
    );
    if (heading) template = heading;
    else if (line.startsWith("  ") && template) {
      const [point, options] = line.slice(2).split(": ");
      out.push(
        `${template[1]} on ${template[2]}${point} type ${template[3]} (${template[4]}${options})`,
      );
    } else if (line.endsWith(" again, same type and options")) {
      const [device, point] = line.split(" on ");
      const mount = point!.slice(0, point!.indexOf(" again"));
      out.push(out.find((earlier) => earlier.startsWith(`${device} on ${mount} type `))!);
    } else out.push(line);
  }
  return out;
}

describe("mount", () => {
  test("groups the cgroup controllers and loses no mount", () => {
    for (const text of [MOUNT, MOUNT_CGROUP]) {
      const out = route(text, true)!;
      expect(out.strategy).toBe("table:mount-runs");
      expect(out.lossy).toBe(false);
      expect(out.text).toContain("mounts: cgroup on /sys/fs/cgroup/<point> type cgroup");
      expect(expandMounts(out.text)).toEqual(lines(text));
    }
  });

  test("names a repeated mount by its device and mount point only", () => {
    const out = route(MOUNT, false)!.text;
    expect(out).toContain("\ndevpts on /dev/pts again, same type and options\n");
    expect(out.split("devpts on /dev/pts type devpts")).toHaveLength(2);
  });

  test("keeps the lone mounts verbatim (the corpus fact)", () => {
    expect(route(MOUNT, false)!.text).toContain("proc on /proc type proc (rw,relatime)");
  });
});

/** Resolves `$NAME` values written by the env rewrite. */
function expandEnv(text: string): string[] {
  const rows = lines(text).slice(1);
  const values = new Map(rows.map((row) => [row.slice(0, row.indexOf("=")), row]));
  return rows.map((row) => {
    const eq = row.indexOf("=");
    const value = row.slice(eq + 1);
    if (!value.startsWith("$")) return row;
    const held = values.get(value.slice(1))!;
    return row.slice(0, eq + 1) + held.slice(held.indexOf("=") + 1);
  });
}

describe("env", () => {
  test("writes a repeated long value as a reference and loses nothing", () => {
    for (const text of [ENV, ENV_NPM]) {
      const out = route(text, false)!;
      expect(out.strategy).toBe("table:env-shared");
      expect(out.lossy).toBe(false);
      expect(out.text).toContain("=$PIP_CERT\n");
      expect(expandEnv(out.text)).toEqual(lines(text));
    }
  });

  test("references only where they are shorter than the value", () => {
    const out = route(ENV_NPM, false)!;
    for (const row of lines(out.text).slice(1)) {
      const eq = row.indexOf("=");
      const value = row.slice(eq + 1);
      if (!value.startsWith("$")) continue;
      const original = lines(ENV_NPM).find((l) => l.startsWith(row.slice(0, eq + 1)))!;
      expect(value.length).toBeLessThan(original.length - eq - 1);
    }
  });

  test("cuts a huge value behind the marker and keeps every name", () => {
    const out = route(ENV_LS_COLORS, true)!;
    expect(out.strategy).toBe("table:env-cut");
    expect(out.lossy).toBe(true);
    expect(markerHashes(out.text)).toEqual([originalHash(ENV_LS_COLORS)]);
    const original = lines(ENV_LS_COLORS).find((l) => l.startsWith("LS_COLORS="))!;
    expect(out.text).not.toContain(original);
    expect(out.text).toContain(`${original.slice(0, 110)}…`);
    for (const row of lines(ENV_LS_COLORS)) {
      expect(out.text).toContain(`\n${row.slice(0, row.indexOf("=") + 1)}`);
    }
  });

  test("keeps a huge value the question names", () => {
    const out = route(ENV_LS_COLORS, true, "what is in LS_COLORS?")!;
    expect(out.lossy).toBe(false);
    expect(expandEnv(out.text)).toEqual(lines(ENV_LS_COLORS));
  });

  test("keeps the corpus fact: PYENV_ROOT", () => {
    expect(route(ENV, true)!.text).toContain("PYENV_ROOT=/root/.pyenv");
  });
});
