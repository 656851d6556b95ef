/**
 * install.sh against a release built by scripts/release.ts and served from a loopback HTTP
 * server: a fresh install, an upgrade, refusal of a tampered archive, platform detection (a fake
 * `uname` and `ldd` on PATH pose as other machines) and a clear message where no release exists.
 */

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { homebrewFormula } from "../../scripts/release/homebrew-formula.ts";

const ROOT = join(import.meta.dir, "..", "..");
const INSTALL_SH = join(ROOT, "install.sh");
const HOST = `linux-${process.arch === "arm64" ? "arm64" : "x64"}`;
const work = mkdtempSync(join(tmpdir(), "headroom-install-"));
/** The served tree: <work>/site/<mirror>/{latest,vX.Y.Z}/... */
const site = join(work, "site");
const requested: string[] = [];
let server: ReturnType<typeof Bun.serve>;
let base: string;

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** A release directory holding `archives` (name → file) and their SHA256SUMS. */
function publish(dir: string, archives: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  for (const [name, file] of Object.entries(archives)) {
    copyFileSync(file, join(dir, name));
    lines.push(`${sha256(file)}  ${name}`);
  }
  writeFileSync(join(dir, "SHA256SUMS"), `${lines.join("\n")}\n`);
}

/** An archive whose "headroom" is a script printing `headroom <version>` (an old or foreign build). */
function scriptArchive(version: string): string {
  const dir = mkdtempSync(join(work, "fake-"));
  writeFileSync(join(dir, "headroom"), `#!/bin/sh\necho "headroom ${version}"\n`);
  chmodSync(join(dir, "headroom"), 0o755);
  const archive = join(work, `fake-${version}.tar.gz`);
  const tar = Bun.spawnSync(["tar", "-czf", archive, "-C", dir, "headroom"]);
  if (tar.exitCode !== 0) throw new Error(tar.stderr.toString());
  return archive;
}

/** A directory of stand-in programs to put first on PATH. */
function fakeTools(tools: Record<string, string>): string {
  const dir = mkdtempSync(join(work, "tools-"));
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

function fakeUname(os: string, arch: string): string {
  return fakeTools({
    uname: `case "$1" in -s) echo ${os} ;; -m) echo ${arch} ;; *) echo ${os} ;; esac`,
  });
}

interface Installed {
  code: number;
  stderr: string;
  dir: string;
}

/** Runs install.sh with /bin/sh, asynchronously so the server in this process can answer. */
async function install(
  mirror: string,
  options: { dir?: string; env?: Record<string, string>; pathFirst?: string[] } = {},
): Promise<Installed> {
  const dir = options.dir ?? mkdtempSync(join(work, "bin-"));
  const home = mkdtempSync(join(work, "home-"));
  const path = [...(options.pathFirst ?? []), process.env.PATH ?? "/usr/bin:/bin"].join(":");
  const proc = Bun.spawn(["/bin/sh", INSTALL_SH], {
    env: {
      HOME: home,
      PATH: path,
      HEADROOM_INSTALL_BASE_URL: `${base}/${mirror}`,
      HEADROOM_INSTALL_DIR: dir,
      ...options.env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const stderr = await new Response(proc.stderr).text();
  return { code: await proc.exited, stderr, dir };
}

function versionOf(binary: string): string {
  return Bun.spawnSync([binary, "--version"]).stdout.toString().trim();
}

beforeAll(async () => {
  // The real release, built by the release script for this machine's platform.
  const out = join(work, "release");
  const release = Bun.spawn(
    [process.execPath, "run", "scripts/release.ts", "--out", out, "--targets", HOST],
    { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
  );
  if ((await release.exited) !== 0) {
    throw new Error(`release failed: ${await new Response(release.stderr).text()}`);
  }
  const built = join(out, `v${pkg.version}`);
  const real = join(built, `headroom-${HOST}.tar.gz`);
  // The release's own SHA256SUMS must describe its archive.
  expect(readFileSync(join(built, "SHA256SUMS"), "utf8")).toBe(
    `${sha256(real)}  headroom-${HOST}.tar.gz\n`,
  );
  for (const installer of ["install.sh", "install.ps1"]) {
    expect(readFileSync(join(built, installer), "utf8")).toBe(
      readFileSync(join(ROOT, installer), "utf8"),
    );
  }

  // The main mirror. The same build also answers for the baseline name, which install.sh picks
  // on an x64 CPU without AVX2, so the test does not depend on the CPU it runs on.
  const current = { [`headroom-${HOST}.tar.gz`]: real, [`headroom-${HOST}-baseline.tar.gz`]: real };
  publish(join(site, "main", "latest"), current);
  publish(join(site, "main", `v${pkg.version}`), current);
  publish(join(site, "main", "v0.0.9"), {
    [`headroom-${HOST}.tar.gz`]: scriptArchive("0.0.9"),
    [`headroom-${HOST}-baseline.tar.gz`]: scriptArchive("0.0.9"),
  });
  // Other platforms, as fake builds the fake uname/ldd machines can "run".
  publish(join(site, "main", "v0.2.0"), {
    "headroom-darwin-arm64.tar.gz": scriptArchive("0.2.0-darwin-arm64"),
    "headroom-linux-x64-musl.tar.gz": scriptArchive("0.2.0-linux-x64-musl"),
    "headroom-linux-arm64.tar.gz": scriptArchive("0.2.0-linux-arm64"),
  });
  // A mirror whose archive was altered after SHA256SUMS was written.
  const tamperedDir = join(site, "tampered", "latest");
  publish(tamperedDir, current);
  for (const name of Object.keys(current)) {
    const bytes = readFileSync(join(tamperedDir, name));
    bytes[bytes.length - 100]! ^= 0xff;
    writeFileSync(join(tamperedDir, name), bytes);
  }

  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = decodeURIComponent(new URL(request.url).pathname);
      requested.push(path);
      const file = join(site, path);
      if (path.includes("..") || !existsSync(file))
        return new Response("not found", { status: 404 });
      return new Response(Bun.file(file));
    },
  });
  base = `http://127.0.0.1:${server.port}`;
}, 120_000);

afterAll(() => server?.stop(true));

describe("install.sh", () => {
  test("is POSIX sh and shellcheck-clean", () => {
    const lint = Bun.spawnSync(["shellcheck", "--shell=sh", INSTALL_SH]);
    expect(lint.stdout.toString() + lint.stderr.toString()).toBe("");
    expect(lint.exitCode).toBe(0);
    expect(readFileSync(INSTALL_SH, "utf8")).toStartWith("#!/bin/sh\n");
  });

  test("installs the latest release after checking its checksum, and says what to do next", async () => {
    const result = await install("main");
    expect(result.code).toBe(0);
    const binary = join(result.dir, "headroom");
    expect(versionOf(binary)).toBe(`headroom ${pkg.version}`);
    expect(result.stderr).toContain(`installed headroom ${pkg.version} at ${binary}`);
    expect(result.stderr).toContain(`${result.dir} is not on your PATH`);
    expect(result.stderr).toContain("next: headroom wrap claude");
    expect(requested).toContain("/main/latest/SHA256SUMS");
    expect(requested.some((p) => p.startsWith(`/main/latest/headroom-${HOST}`))).toBe(true);
    // Nothing but the executable is left in the install directory.
    expect(readdirSync(result.dir)).toEqual(["headroom"]);
  });

  test("the installed executable passes headroom selftest, in text and in JSON", async () => {
    const result = await install("main");
    expect(result.code).toBe(0);
    const binary = join(result.dir, "headroom");
    const run = async (args: string[]) => {
      const proc = Bun.spawn([binary, "selftest", ...args], {
        env: { PATH: process.env.PATH ?? "", HOME: mkdtempSync(join(work, "home-")) },
        stdout: "pipe",
        stderr: "pipe",
      });
      const stdout = await new Response(proc.stdout).text();
      return { code: await proc.exited, stdout };
    };
    const text = await run([]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`headroom ${pkg.version} selftest passed: 8 checks`);
    const json = await run(["--json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: true, version: pkg.version });
    expect(report.checks.filter((c: { status: string }) => c.status !== "ok")).toEqual([]);
  });

  test("upgrades a pinned older version in place", async () => {
    const old = await install("main", { env: { HEADROOM_VERSION: "0.0.9" } });
    expect(old.code).toBe(0);
    expect(versionOf(join(old.dir, "headroom"))).toBe("headroom 0.0.9");
    const upgraded = await install("main", { dir: old.dir, pathFirst: [old.dir] });
    expect(upgraded.code).toBe(0);
    expect(upgraded.stderr).toContain(`upgraded headroom 0.0.9 to headroom ${pkg.version}`);
    expect(upgraded.stderr).not.toContain("is not on your PATH");
    expect(versionOf(join(old.dir, "headroom"))).toBe(`headroom ${pkg.version}`);
  });

  test("refuses a tampered archive and leaves the installed version alone", async () => {
    const old = await install("main", { env: { HEADROOM_VERSION: "0.0.9" } });
    const before = readFileSync(join(old.dir, "headroom"));
    const result = await install("tampered", { dir: old.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`checksum mismatch for headroom-${HOST}`);
    expect(result.stderr).toContain("nothing was installed");
    expect(readFileSync(join(old.dir, "headroom"))).toEqual(before);
    expect(readdirSync(old.dir)).toEqual(["headroom"]);
  });

  test("picks the archive for the machine: macOS on Apple silicon, Linux with musl, Linux on arm64", async () => {
    const cases = [
      { tools: [fakeUname("Darwin", "arm64")], target: "darwin-arm64" },
      {
        tools: [
          fakeUname("Linux", "x86_64"),
          fakeTools({ ldd: 'echo "musl libc (x86_64)" >&2; exit 1' }),
        ],
        target: "linux-x64-musl",
      },
      { tools: [fakeUname("Linux", "aarch64")], target: "linux-arm64" },
    ];
    for (const { tools, target } of cases) {
      const result = await install("main", {
        env: { HEADROOM_VERSION: "v0.2.0" },
        pathFirst: tools,
      });
      expect(result.stderr).toContain(`downloading headroom-${target}.tar.gz`);
      expect(result.code).toBe(0);
      expect(versionOf(join(result.dir, "headroom"))).toBe(`headroom 0.2.0-${target}`);
    }
  });

  test("says plainly when there is no release for the platform, and downloads nothing", async () => {
    const before = requested.length;
    const bsd = await install("main", { pathFirst: [fakeUname("FreeBSD", "amd64")] });
    expect(bsd.code).toBe(1);
    expect(bsd.stderr).toContain("there is no headroom release for FreeBSD");
    const riscv = await install("main", { pathFirst: [fakeUname("Linux", "riscv64")] });
    expect(riscv.code).toBe(1);
    expect(riscv.stderr).toContain("there is no headroom release for linux on riscv64");
    const windows = await install("main", { pathFirst: [fakeUname("MINGW64_NT-10.0", "x86_64")] });
    expect(windows.code).toBe(1);
    expect(windows.stderr).toContain("/releases/latest/download/install.ps1 | iex");
    expect(requested.length).toBe(before);
    expect(readdirSync(bsd.dir)).toEqual([]);
  });

  test("a missing release is a clear download error", async () => {
    const result = await install("main", { env: { HEADROOM_VERSION: "9.9.9" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not download ${base}/main/v9.9.9/headroom-`);
  });
});

describe("the Homebrew formula", () => {
  test("pins each macOS and Linux archive by its checksum", () => {
    const sums = new Map(
      ["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64"].map((t, i) => [
        `headroom-${t}.tar.gz`,
        String(i).repeat(64),
      ]),
    );
    const formula = homebrewFormula("1.2.3", "https://example.test/download/v1.2.3", sums);
    expect(formula).toContain('version "1.2.3"');
    for (const [archive, sha] of sums) {
      expect(formula).toContain(
        `url "https://example.test/download/v1.2.3/${archive}"\n      sha256 "${sha}"`,
      );
    }
    expect(formula).toContain('bin.install "headroom"');
    expect(() => homebrewFormula("1.2.3", "x", new Map())).toThrow("headroom-darwin-arm64.tar.gz");
  });
});
