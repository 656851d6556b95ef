// scripts/ensure-test-tools.sh: npm test's pretest only checks and names what is missing;
// npm run setup:test (--install) says what it installs, then installs. Run against a PATH of
// stand-ins that record their calls, so nothing is ever installed here.
import { afterEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = join(import.meta.dir, "..", "..", "scripts", "ensure-test-tools.sh");
const MISSING = "prometheus chromium shellcheck curl ca-certificates nginx redis-server";

let bin = "";
afterEach(() => rmSync(bin, { recursive: true, force: true }));

/** A PATH holding only stand-ins: `id` answering `uid`, and apt-get/sudo that log their calls. */
function standIns(uid: number, withSudo: boolean): string {
  bin = mkdtempSync(join(tmpdir(), "headroom-tools-"));
  const log = join(bin, "calls.log");
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool("id", `echo ${uid}`);
  tool("apt-get", `echo "apt-get $*" >> ${log}`);
  if (withSudo) tool("sudo", `[ "$1" = -n ] && exit 0\necho "sudo $*" >> ${log}\n"$@"`);
  symlinkSync("/usr/bin/env", join(bin, "env"));
  return bin;
}

function run(args: string[], path: string) {
  const result = Bun.spawnSync(["/bin/sh", SCRIPT, ...args], { env: { PATH: path } });
  const calls = existsSync(join(path, "calls.log"))
    ? readFileSync(join(path, "calls.log"), "utf8").trim().split("\n")
    : [];
  return { code: result.exitCode, stderr: result.stderr.toString(), calls };
}

describe("ensure-test-tools.sh", () => {
  test("without --install it installs nothing, even as root: one line names the tools and the command", () => {
    const { code, stderr, calls } = run([], standIns(0, true));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `headroom tests need these Debian packages: ${MISSING}; install them with: npm run setup:test\n`,
    );
    expect(calls).toEqual([]);
  });

  test("--install as root says what and why, then installs exactly the missing packages", () => {
    const { code, stderr, calls } = run(["--install"], standIns(0, false));
    expect(code).toBe(0);
    expect(stderr).toStartWith(`npm run setup:test installs these Debian packages: ${MISSING}\n`);
    expect(stderr).toContain("Chromium renders the dashboard");
    expect(calls).toEqual([
      "apt-get update -qq",
      `apt-get install -y -qq --no-install-recommends ${MISSING}`,
    ]);
  });

  test("--install through passwordless sudo, or a clear refusal without it", () => {
    const viaSudo = run(["--install"], standIns(1000, true));
    expect(viaSudo.code).toBe(0);
    expect(viaSudo.calls).toContain(`apt-get install -y -qq --no-install-recommends ${MISSING}`);
    rmSync(bin, { recursive: true, force: true });
    const refused = run(["--install"], standIns(1000, false));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `cannot install as this user; run: sudo apt-get install ${MISSING}`,
    );
    expect(refused.calls).toEqual([]);
  });
});
