import { describe, expect, test } from "bun:test";
import { PROXY_HELP } from "../../src/cli/help.ts";
import { BINARY } from "../helpers/binary.ts";

function run(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawnSync([BINARY, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
  });
  return { code: proc.exitCode, stdout: proc.stdout.toString(), stderr: proc.stderr.toString() };
}

const BAD_PORT = 'must be an integer from 0 to 65535 (got "abc")';

describe("settings on the command line of the executable", () => {
  test("proxy --help is the help generated from the settings table", () => {
    expect(run(["proxy", "--help"])).toMatchObject({ code: 0, stdout: PROXY_HELP });
  });

  test("an unusable value exits 2 with one line naming the flag or variable typed", () => {
    expect(run(["proxy", "--port", "abc"])).toMatchObject({
      code: 2,
      stderr: `headroom: --port ${BAD_PORT}\n`,
    });
    expect(run(["proxy"], { HEADROOM_PORT: "abc" })).toMatchObject({
      code: 2,
      stderr: `headroom: HEADROOM_PORT ${BAD_PORT}\n`,
    });
    expect(run(["proxy"], { HEADROOM_STATELESS: "maybe" })).toMatchObject({
      code: 2,
      stderr:
        'headroom: HEADROOM_STATELESS must be true or false (1/0, yes/no, on/off) (got "maybe")\n',
    });
    // The other commands read the same settings and say the same.
    for (const command of ["stats", "doctor", "retrieve 0123456789abcdef01234567"]) {
      const result = run([...command.split(" "), "--port", "abc"]);
      expect(result).toMatchObject({ code: 2, stderr: `headroom: --port ${BAD_PORT}\n` });
    }
    expect(run(["wrap", "claude", "--print-env"], { HEADROOM_PORT: "abc" })).toMatchObject({
      code: 2,
      stderr: `headroom: HEADROOM_PORT ${BAD_PORT}\n`,
    });
  });
});
