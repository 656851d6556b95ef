import { describe, expect, test } from "bun:test";
import { compressText } from "../../src/compress/compress-text.ts";
import { detectContent } from "../../src/compress/detect.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { parseTable } from "../../src/compress/table.ts";
import { outputFixture } from "../helpers/output-fixture.ts";

const PS = outputFixture("table/ps-aux.txt");
const DPKG = outputFixture("table/dpkg-l.txt");
const APT = outputFixture("table/apt-list-installed.txt");

function route(text: string, lossy: boolean, query = "") {
  return compressText(text, { query, lossy, hash: () => originalHash(text) });
}

/** The whitespace-separated fields of each row after the first `skip` lines. */
function rowFields(text: string, skip: number): string[][] {
  return text
    .trimEnd()
    .split("\n")
    .slice(skip)
    .map((line) => line.trim().split(/\s+/));
}

describe("ps aux with rows wider than their columns", () => {
  test("the header keeps RSS and TTY apart although some rows shift right", () => {
    const shifted = PS.split("\n").filter((line) => line.length > 38 && line[37] !== " ");
    expect(shifted.length).toBeGreaterThan(0);
    const grid = parseTable(PS)!;
    expect(grid.header).toEqual([
      "USER",
      "PID",
      "%CPU",
      "%MEM",
      "VSZ",
      "RSS",
      "TTY",
      "STAT",
      "START",
      "TIME",
      "COMMAND",
    ]);
  });

  test("lossless keeps every row's PID, RSS and command", () => {
    const out = route(PS, false)!;
    expect(out.lossy).toBe(false);
    for (const fields of rowFields(PS, 1)) {
      expect(out.text).toContain(
        `${fields[1]} ${fields[2]} ${fields[3]} ${fields[4]} ${fields[5]}`,
      );
      expect(out.text).toContain(fields.slice(10).join(" "));
    }
  });
});

describe("dpkg -l", () => {
  test("is a table whose lossless form keeps every name, version and description", () => {
    expect(detectContent(DPKG)).toBe("table");
    const out = route(DPKG, false)!;
    expect(out.lossy).toBe(false);
    expect(out.text).toContain("# every row: ||/=ii");
    expect(out.text).not.toContain("+++-===");
    for (const line of DPKG.trimEnd().split("\n").slice(5)) {
      const [, name, version, arch, ...description] = line.trim().split(/\s+/);
      expect(out.text).toContain(`\n${name} ${version} ${arch} ${description.join(" ")}`);
    }
  });

  test("lossy keeps the package the question names, with its version", () => {
    const out = route(DPKG, true, "which curl version is installed?")!;
    expect(out.lossy).toBe(true);
    expect(out.text).toContain("curl 7.88.1-10+deb12u14 amd64 command line tool");
    expect(out.text).toContain(`hash=${originalHash(DPKG)}`);
    expect(out.text.length).toBeLessThan(DPKG.length / 5);
  });
});

describe("apt list --installed", () => {
  test("is a table; lossy keeps the asked-for package although every row says installed", () => {
    expect(detectContent(APT)).toBe("table");
    const out = route(APT, true, "is curl installed?")!;
    expect(out.lossy).toBe(true);
    expect(out.text).toContain(
      "curl/now 7.88.1-10+deb12u14 amd64 [installed,upgradable to: 7.88.1-10+deb12u15]",
    );
    expect(out.text).toContain("\nlibcurl4/now 7.88.1-10+deb12u14 amd64");
  });

  test("with apt's stderr warning in front, as an agent's shell captures it", () => {
    // `apt list --installed 2>&1`: a blank line and the CLI warning come before "Listing...".
    const captured = outputFixture("table/apt-list-installed-with-warning.txt");
    expect(captured).toStartWith("\nWARNING: apt does not have a stable CLI interface.");
    expect(detectContent(captured)).toBe("table");
    const lossy = route(captured, true, "is curl installed?")!;
    expect(lossy.lossy).toBe(true);
    // The warning and "Listing..." stay ahead of the rows, as apt printed them.
    expect(lossy.text).toStartWith(captured.slice(0, captured.indexOf("Listing...") + 10));
    expect(lossy.text).toContain("curl/now 7.88.1-10+deb12u14 amd64");
    expect(lossy.text.length).toBeLessThan(captured.length / 10);
  });
});

describe("ss socket tables", () => {
  const TANP = outputFixture("table/ss-tanp.txt");
  const ALL = outputFixture("table/ss-a.txt");

  test("ss -tanp: two-word column names stay one column each, every row's addresses kept", () => {
    expect(detectContent(TANP)).toBe("table");
    const grid = parseTable(TANP)!;
    expect(grid.header).toEqual([
      "State",
      "Recv-Q",
      "Send-Q",
      "Local Address:Port",
      "Peer Address:Port",
      "Process",
    ]);
    const out = route(TANP, false)!;
    for (const fields of rowFields(TANP, 1)) {
      expect(out.text).toContain(`${fields[3]} ${fields[4]}`);
    }
    expect(out.text).toContain('127.0.0.1:5432 0.0.0.0:* users:(("python3",pid=7699,fd=5))');
  });

  test("ss -a: the complaint before the header stays, unix addresses keep their inode", () => {
    expect(detectContent(ALL)).toBe("table");
    const grid = parseTable(ALL)!;
    expect(grid.preamble).toEqual(["RTNETLINK answers: Invalid argument"]);
    const unix = grid.rows.filter((row) => row[0]!.startsWith("u_"));
    expect(unix.length).toBeGreaterThan(0);
    for (const row of unix) expect(row[4]).toMatch(/^\S+ \d+$/);
    const out = route(ALL, true, "is anything listening on 2024?")!;
    expect(out.text).toContain("RTNETLINK answers: Invalid argument");
    expect(out.text).toContain("tcp LISTEN 0 128 0.0.0.0:2024 0.0.0.0:*");
  });
});
