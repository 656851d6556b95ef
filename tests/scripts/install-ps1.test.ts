/**
 * install.ps1 against install.sh, by parity: no PowerShell installs on this machine (neither
 * Debian nor the npm registry ships one), so the Windows installer is held to the same settings,
 * URLs, archive layout, checksum format and messages as install.sh, whose behaviour
 * tests/e2e/install.test.ts exercises against a local mirror. The release workflow runs
 * install.ps1 for real on Windows before anything is published.
 */

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { executableName, TARGETS } from "../../scripts/build-matrix.ts";
import { strayDriveVariables, unbalanced } from "../helpers/powershell.ts";

const ROOT = join(import.meta.dir, "..", "..");
const sh = readFileSync(join(ROOT, "install.sh"), "utf8");
const ps1 = readFileSync(join(ROOT, "install.ps1"), "utf8");

/** Text with each script's spelling of its variables made alike: `$Repository` → `$repository`. */
const variablesLowered = (text: string) => text.replace(/\$[A-Za-z]\w*/g, (v) => v.toLowerCase());

describe("install.ps1 matches install.sh", () => {
  test("reads the same three settings", () => {
    const settings = (text: string) => [...new Set(text.match(/HEADROOM_[A-Z_]+/g))].sort();
    expect(settings(ps1)).toEqual([
      "HEADROOM_INSTALL_BASE_URL",
      "HEADROOM_INSTALL_DIR",
      "HEADROOM_VERSION",
    ]);
    expect(settings(ps1)).toEqual(settings(sh));
  });

  test("downloads from the same release URLs, pinned or latest, mirror or GitHub", () => {
    const repository = (text: string) =>
      /^\s*\$?REPOSITORY\s*=\s*["']([^"']+)["']/im.exec(text)?.[1];
    expect(repository(ps1)).toBe("headroom-dev/headroom");
    expect(repository(ps1)).toBe(repository(sh)!);
    for (const url of [
      "https://github.com/$repository/releases/download/v$version",
      "https://github.com/$repository/releases/latest/download",
      "$base/v$version",
      "$base/latest",
      "$url/$archive",
      "$url/SHA256SUMS",
    ]) {
      expect([url, variablesLowered(ps1).includes(`"${url}"`)]).toEqual([url, true]);
      expect([url, variablesLowered(sh).includes(url)]).toEqual([url, true]);
    }
    // A version given as v1.2.3 or 1.2.3 means the same release.
    expect(ps1).toContain("\"$env:HEADROOM_VERSION\" -replace '^v', ''");
    expect(sh).toContain("version={version#v}".replace("{", "$" + "{"));
  });

  test("asks for the Windows archive the release builds, holding headroom.exe", () => {
    expect(ps1).toContain('$archive = "headroom-$target.tar.gz"');
    expect(sh).toContain('archive="headroom-$target.tar.gz"');
    const targets = [...ps1.matchAll(/return '([a-z0-9-]+)'/g)].map((m) => m[1]!);
    expect(new Set(targets)).toEqual(new Set(["windows-x64"]));
    expect(Object.keys(TARGETS)).toContain("windows-x64");
    expect(executableName("windows-x64")).toBe("headroom.exe");
    expect(ps1).toContain("Join-Path $unpacked 'headroom.exe'");
  });

  test("reads SHA256SUMS lines in text and binary mode, as install.sh does", () => {
    // "<hex>  <name>" (what build-matrix writes) and "<hex> *<name>".
    expect(sh).toContain(`$2 == name || $2 == "*" name`);
    expect(ps1).toContain(`$fields[1] -eq $Archive -or $fields[1] -eq "*$Archive"`);
    expect(ps1).toContain("Get-FileHash -Algorithm SHA256");
  });

  test("says the same things at the same moments", () => {
    for (const phrase of [
      "downloading ",
      "could not download ",
      "SHA256SUMS has no line for ",
      "; refusing to install",
      "checksum mismatch for ",
      "the download is corrupt or was tampered with; nothing was installed",
      "could not unpack ",
      "does not run on this machine",
      "choose another with HEADROOM_INSTALL_DIR",
      "upgraded ",
      "a proxy that is already running keeps the old version until it is restarted",
      "installed ",
      " is not on your PATH",
      "next: headroom wrap claude (or codex), or headroom proxy; headroom doctor checks the setup",
    ]) {
      expect([phrase, sh.includes(phrase), ps1.includes(phrase)]).toEqual([phrase, true, true]);
    }
    expect(ps1).toContain('"headroom-install: $Message"');
    expect(sh).toContain("printf 'headroom-install: %s\\n'");
  });

  test("installs by staging next to the executable and renaming, never overwriting it", () => {
    const staged = ps1.indexOf("Copy-Item -LiteralPath $newExe -Destination $staged");
    const retired = ps1.indexOf("Move-Item -LiteralPath $destination -Destination $retired");
    const placed = ps1.indexOf("Move-Item -LiteralPath $staged -Destination $destination");
    expect(staged).toBeGreaterThan(0);
    expect(retired).toBeGreaterThan(staged);
    expect(placed).toBeGreaterThan(retired);
    // The checksum is verified before the install directory is touched.
    expect(ps1.indexOf("checksum mismatch")).toBeLessThan(
      ps1.indexOf("New-Item -ItemType Directory -Force -Path $installDir"),
    );
    expect(sh.indexOf("checksum mismatch")).toBeLessThan(sh.indexOf('mkdir -p "$install_dir"'));
  });
});

describe("install.ps1 piped into iex", () => {
  test("never closes the caller's window: no exit, no param block, one function then its call", () => {
    const code = ps1.split("\n").filter((line) => !/^\s*#/.test(line));
    expect(code.filter((line) => /\bexit\b/i.test(line))).toEqual([]);
    expect(ps1).not.toMatch(/^\s*param\s*\(/im);
    const topLevel = code.filter((line) => /^\S/.test(line));
    expect(topLevel).toEqual(["function Install-Headroom {", "}", "Install-Headroom"]);
  });

  test("parses as far as can be checked without PowerShell: brackets balance, no stray $name:", () => {
    expect(unbalanced(ps1)).toEqual([]);
    expect(strayDriveVariables(ps1)).toEqual([]);
  });

  test("is plain ASCII, which Windows PowerShell 5.1 reads the same in any code page", () => {
    const foreign = [...ps1].filter((c) => c !== "\t" && c !== "\n" && (c < " " || c > "~"));
    expect(foreign).toEqual([]);
  });

  test("states the line it is run with, the one install.sh points Windows users to", () => {
    const line =
      "irm https://github.com/headroom-dev/headroom/releases/latest/download/install.ps1 | iex";
    expect(ps1).toContain(`#   ${line}\n`);
    expect(sh).toContain(
      "irm https://github.com/$REPOSITORY/releases/latest/download/install.ps1 | iex",
    );
  });
});
