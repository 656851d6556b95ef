import { describe, expect, test } from "bun:test";
import { compressText } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { settledLine, settleLines } from "../../src/compress/install-lines.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { outputFixture } from "../helpers/output-fixture.ts";

const RAW = outputFixture("aptlog/apt-get-install-imagemagick-pty.txt");
const SMALL = outputFixture("aptlog/apt-get-install-pty.txt");
const NPM = outputFixture("aptlog/npm-install-pty.txt");

function route(text: string, lossy: boolean, query = "") {
  return compressText(text, { query, lossy, hash: () => originalHash(text) });
}

/** `name (version)` of every package dpkg set up, from the raw capture. */
function setUpPackages(text: string): [string, string][] {
  return [...text.matchAll(/Setting up (\S+) \(([^)]*)\) \.\.\./g)].map((m) => [m[1]!, m[2]!]);
}

describe("settling terminal redraws", () => {
  test("a line keeps what was drawn last, ignoring blank frames", () => {
    expect(settledLine("\r45% [Working]\r             \rGet:1 http://x y\r")).toBe(
      "Get:1 http://x y",
    );
    expect(settledLine("\r\r\r")).toBe("");
    expect(settledLine("\rabc\r   \r")).toBe("abc");
  });

  test("the raw capture settles to apt's own lines with no progress frame left", () => {
    const settled = settleLines(RAW);
    expect(settled.some((line) => line.includes("\r"))).toBe(false);
    expect(settled).toContain("Reading package lists... Done");
    expect(settled.some((line) => /^\d+% \[/.test(line))).toBe(false);
    expect(settled.some((line) => /Reading database \.\.\. \d+%/.test(line))).toBe(false);
  });
});

describe("apt-get install through a terminal", () => {
  test("raw and settled captures are both install logs", () => {
    expect(detectContent(RAW)).toBe("install");
    expect(detectContent(SMALL)).toBe("install");
    expect(detectContent(settleLines(RAW).join("\n"))).toBe("install");
  });

  test("lossless keeps every line a terminal ends up showing", () => {
    const out = route(RAW, false)!;
    expect(out.lossy).toBe(false);
    expect(out.text.split("\n")).toEqual([...settleLines(RAW), ""]);
    for (const [name, version] of setUpPackages(RAW)) {
      expect(out.text).toContain(`Setting up ${name} (${version}) ...`);
    }
  });

  test("lossy keeps the summary, every package's version and apt's notices", () => {
    const out = route(RAW, true)!;
    expect(out.lossy).toBe(true);
    const text = out.text;
    expect(text).toContain("0 upgraded, 36 newly installed, 0 to remove and 142 not upgraded.");
    const packages = setUpPackages(RAW);
    expect(packages.length).toBe(36);
    for (const [name, version] of packages) {
      expect(text).toContain(`Setting up ${name} (${version}) ...`);
    }
    expect(text).toContain("Creating config file /etc/papersize with new version");
    expect(text).toContain("N: Ignoring file 'nodesource.sources.disabled-by-farm'");
    expect(text).not.toContain("Preparing to unpack");
    expect(text).toContain(`hash=${originalHash(RAW)}`);
    expect(text.length).toBeLessThan(RAW.length / 2);
  });

  test("a line the question names survives the folding", () => {
    const out = route(RAW, true, "where did the convert alternative point?")!;
    expect(out.text).toContain(
      "update-alternatives: using /usr/bin/convert-im6.q16 to provide /usr/bin/convert (convert) in auto mode",
    );
  });
});

describe("npm install through a terminal", () => {
  test("the spinner (ESC[1G, ESC[0K) settles away and the summary stays, losslessly", () => {
    expect(NPM).toContain("\x1b[1G\x1b[0K");
    expect(detectContent(NPM)).toBe("install");
    const out = route(NPM, true)!;
    expect(out.lossy).toBe(false);
    expect(out.text).toBe("added 71 packages in 2s");
  });
});
