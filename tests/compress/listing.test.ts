import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { compressListing } from "../../src/compress/listing.ts";
import { parseListing } from "../../src/compress/listing-parse.ts";
import { rankQueryMatches } from "../../src/compress/listing-query.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { mulberry32 } from "../helpers/random.ts";

interface Node {
  name: string;
  children?: Node[];
}

function dir(name: string, children: Node[]): Node {
  return { name, children };
}

function files(names: string[]): Node[] {
  return names.map((name) => ({ name }));
}

function numbered(prefix: string, ext: string, n: number): Node[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix}${String(i).padStart(2, "0")}${ext}`,
  }));
}

/** A realistic JavaScript project checkout, with dependencies, VCS data and build output. */
function project(): Node {
  const pkg = (name: string, n: number) =>
    dir(name, [
      ...files(["package.json", "README.md", "LICENSE", "index.js"]),
      dir("lib", numbered(`${name}-part-`, ".js", n)),
    ]);
  return dir(".", [
    dir("src", [
      ...files(["index.ts", "server.ts", "config.ts"]),
      dir("routes", files(["health.ts", "users.ts", "orders.ts", "billing.ts", "admin.ts"])),
      dir("lib", files(["db.ts", "cache.ts", "queue.ts", "mailer.ts", "logger.ts", "retry.ts"])),
    ]),
    dir("tests", files(["users.test.ts", "orders.test.ts", "billing.test.ts"])),
    dir("assets", [dir("icons", numbered("icon-", ".png", 40)), ...files(["logo.svg"])]),
    dir("node_modules", [
      pkg("lodash", 60),
      pkg("react", 40),
      pkg("express", 30),
      dir(".bin", files(["tsc", "vite"])),
    ]),
    dir(".git", [
      ...files(["HEAD", "config", "description", "index"]),
      dir(
        "objects",
        Array.from({ length: 12 }, (_, i) =>
          dir(i.toString(16).padStart(2, "0"), numbered("3f9a1c", "", 8)),
        ),
      ),
      dir("refs", [dir("heads", files(["main"]))]),
    ]),
    dir("dist", numbered("chunk-", ".js", 20)),
    ...files(["package.json", "package-lock.json", "README.md", "tsconfig.json", ".gitignore"]),
  ]);
}

/** `find .` output: each folder before its contents. */
function findLines(node: Node, path = node.name): string[] {
  const out = [path];
  for (const child of node.children ?? []) out.push(...findLines(child, `${path}/${child.name}`));
  return out;
}

/** `tree -a` output with its box-drawing prefixes and summary line. */
function treeLines(root: Node): string[] {
  const out = [root.name];
  let dirs = 0;
  let fileCount = 0;
  const walk = (node: Node, prefix: string) => {
    const children = node.children ?? [];
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      out.push(`${prefix}${last ? "└── " : "├── "}${child.name}`);
      if (child.children) {
        dirs++;
        walk(child, `${prefix}${last ? "    " : "│   "}`);
      } else {
        fileCount++;
      }
    });
  };
  walk(root, "");
  out.push("", `${dirs} directories, ${fileCount} files`);
  return out;
}

/** `ls -la` of a folder with `n` files. */
function lsLong(n: number): string {
  const rows = [
    "total 1184",
    "drwxr-xr-x  9 dana staff    288 Mar  3 14:20 .",
    "drwxr-xr-x 42 dana staff   1344 Feb 27 09:02 ..",
    "-rw-r--r--  1 dana staff    412 Mar  3 14:20 .gitignore",
    "drwxr-xr-x 13 dana staff    416 Mar  3 14:21 .git",
    "drwxr-xr-x  4 dana staff    128 Mar  1 10:11 src",
  ];
  for (let i = 0; i < n; i++) {
    const size = String(1000 + ((i * 7919) % 90000)).padStart(6);
    const day = String(1 + (i % 28)).padStart(2);
    rows.push(
      `-rw-r--r--  1 dana staff ${size} Feb ${day} 1${i % 10}:0${i % 6} report-2026-02-${String(i).padStart(3, "0")}.csv`,
    );
  }
  rows.push("lrwxr-xr-x  1 dana staff     14 Jan  9  2025 latest -> report-2026-02-041.csv");
  return `${rows.join("\n")}\n`;
}

/** Rebuilds the paths listed by our compact `paths` rendering. */
function pathsFromCompact(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("[headroom") || line.startsWith("(")) continue;
    const run = /^(.*)\/: (.*)$/.exec(line);
    if (!run) {
      out.push(line);
      continue;
    }
    const names = run[2]!.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
    for (const name of names)
      out.push(`${run[1]}/${name.startsWith('"') ? JSON.parse(name) : name}`);
  }
  return out;
}

describe("compressListing lossless", () => {
  const root = project();

  test("find: runs of one folder share a line, and every file is still listed in order", () => {
    const lines = findLines(root);
    const input = `${lines.join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: false }))!;
    expect(out.lossy).toBe(false);
    expect(out.strategy).toBe("listing:paths-compact");
    expect(out.text).toContain("./src/routes/: health.ts users.ts orders.ts billing.ts admin.ts");
    const rebuilt = pathsFromCompact(out.text);
    const folders = new Set(lines.map((l) => l.slice(0, l.lastIndexOf("/"))));
    // Only folders printed right before their own contents are left implicit.
    expect(rebuilt).toEqual(lines.filter((l) => rebuilt.includes(l)));
    for (const line of lines) if (!rebuilt.includes(line)) expect(folders.has(line)).toBe(true);
    expect(countTokens(out.text)).toBeLessThan(countTokens(input) * 0.6);
  });

  test("find: names with spaces are quoted", () => {
    const names = ["a b.md", ...Array.from({ length: 11 }, (_, i) => `page-${i}.md`)];
    const input = `${names.map((name) => `./docs/${name}`).join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: false }))!;
    expect(out.text).toBe(`./docs/: "a b.md" ${names.slice(1).join(" ")}\n`);
  });

  test("tree: box drawing becomes indentation that encodes the same structure", () => {
    const lines = treeLines(root);
    const input = `${lines.join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: false }))!;
    expect(out.strategy).toBe("listing:tree-compact");
    const outLines = out.text.trimEnd().split("\n");
    expect(outLines.length).toBe(lines.length);
    for (let i = 1; i < lines.length - 2; i++) {
      const original = lines[i]!;
      const depth = (original.indexOf(" ", original.search(/[├└]/)) + 1) / 4;
      const name = original.slice(depth * 4);
      expect(outLines[i]).toBe(`${"  ".repeat(depth - 1)}${name}`);
    }
    expect(outLines.at(-1)).toBe(lines.at(-1)!);
    expect(countTokens(out.text)).toBeLessThan(countTokens(input) * 0.75);
  });

  test("ls -la: single spaces, owner and group stated once", () => {
    const input = lsLong(30);
    const out = compressListing(input, contextFor(input, { lossy: false }))!;
    expect(out.strategy).toBe("listing:ls-long-compact");
    const lines = out.text.trimEnd().split("\n");
    expect(lines[0]).toBe("# every entry: owner=dana, group=staff");
    expect(lines[1]).toBe("total 1184");
    expect(lines[2]).toBe("drwxr-xr-x 9 288 Mar 3 14:20 .");
    expect(lines.at(-1)).toBe("lrwxr-xr-x 1 14 Jan 9 2025 latest -> report-2026-02-041.csv");
    expect(lines.length).toBe(input.trimEnd().split("\n").length + 1);
    expect(countTokens(out.text)).toBeLessThan(countTokens(input) * 0.9);
  });

  test("ls -R: each folder's names on one line", () => {
    const input =
      "src:\nindex.ts\nlib\nroutes\n\nsrc/lib:\ndb.ts\ncache.ts\n\nsrc/routes:\n\nsrc/empty:\n";
    const out = compressListing(input, contextFor(input, { lossy: false }))!;
    expect(out.text).toBe(
      "src: index.ts lib routes\nsrc/lib: db.ts cache.ts\nsrc/routes:\nsrc/empty:\n",
    );
  });
});

describe("compressListing lossy", () => {
  const root = project();

  test("find: dependency, VCS and build folders and icon runs become counts", () => {
    const lines = findLines(root);
    const input = `${lines.join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: true }))!;
    expect(out.lossy).toBe(true);
    expect(out.strategy).toBe("listing:paths-collapse");
    expect(out.text).toContain("./node_modules/");
    expect(out.text).not.toContain("lodash-part-07.js");
    expect(out.text).toMatch(/\(\d+ entries under \.\/node_modules\/ omitted\)/);
    expect(out.text).toMatch(/\(\d+ entries under \.\/\.git\/ omitted\)/);
    expect(out.text).toContain("(20 entries under ./dist/ omitted)");
    expect(out.text).toContain("(35 more *.png files in ./assets/icons/ omitted)");
    expect(out.text).toContain("icon-00.png");
    expect(out.text).toContain("icon-39.png");
    // Source files are all still named.
    for (const name of [
      "server.ts",
      "billing.ts",
      "retry.ts",
      "orders.test.ts",
      "package-lock.json",
    ]) {
      expect(out.text).toContain(name);
    }
    const marker = out.text.trimEnd().split("\n").at(-1)!;
    const hidden = lines.length - pathsFromCompact(out.text).length;
    expect(marker).toContain(`of ${lines.length} listing entries omitted`);
    expect(marker).toContain(".git/ dist/ node_modules/");
    expect(marker).toContain(`hash=${originalHash(input)}`);
    expect(hidden).toBeGreaterThan(300);
    expect(countTokens(out.text)).toBeLessThan(countTokens(input) * 0.2);
  });

  test("find: entries the question names are kept", () => {
    const input = `${findLines(root).join("\n")}\n`;
    const out = compressListing(
      input,
      contextFor(input, { lossy: true, query: "which lodash-part-07 file?" }),
    )!;
    expect(out.text).toContain("lodash-part-07.js");
    expect(out.text).not.toContain("lodash-part-08.js");
  });

  test("tree: folded folders keep their line and get an indented count", () => {
    const input = `${treeLines(root).join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: true }))!;
    expect(out.strategy).toBe("listing:tree-collapse");
    expect(out.text).toContain("\nnode_modules\n  (");
    expect(out.text).toContain(
      "    icon-03.png\n    (35 more *.png files in ./assets/icons/ omitted)\n    icon-39.png",
    );
    expect(out.text).toContain("directories,");
  });

  test("ls -la: a long run of same-type files is cut to its ends", () => {
    const input = lsLong(200);
    const out = compressListing(input, contextFor(input, { lossy: true }))!;
    expect(out.lossy).toBe(true);
    expect(out.text).toContain("report-2026-02-000.csv");
    expect(out.text).toContain("report-2026-02-199.csv");
    expect(out.text).toContain("(195 more *.csv files omitted)");
    expect(out.text).toContain("latest -> report-2026-02-041.csv");
  });

  test("du: the biggest entries and the top level survive", () => {
    const rows: string[] = [];
    for (let p = 0; p < 40; p++) {
      for (let s = 0; s < 6; s++) rows.push(`${(p * 13 + s * 7) % 97}K\t./pkg-${p}/sub-${s}`);
      rows.push(`${p === 7 ? "1.4G" : `${p + 1}.0M`}\t./pkg-${p}`);
    }
    rows.push("2.1G\t.");
    const input = `${rows.join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: true }))!;
    expect(out.strategy).toBe("listing:du-collapse");
    expect(out.text).toContain("1.4G\t./pkg-7\n");
    expect(out.text).toContain("2.1G\t.\n");
    for (let p = 0; p < 40; p++) expect(out.text).toContain(`\t./pkg-${p}\n`);
    const biggestSub = rows
      .filter((r) => r.includes("/sub-"))
      .sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10))[0]!;
    expect(out.text).toContain(`${biggestSub}\n`);
    expect(out.text).toMatch(
      /\[headroom: \d+ of 281 listing entries omitted \(\d+ smaller entries\)/,
    );
    expect(out.text).not.toContain("(1 smaller entry omitted)");
    expect(out.text).toMatch(/\(\d+ smaller entries omitted\)/);
  });

  test("small listings stay lossless", () => {
    const input = "./a/x.ts\n./a/y.ts\n./b/z.ts\n";
    const out = compressListing(input, contextFor(input, { lossy: true }));
    expect(out?.lossy ?? false).toBe(false);
  });
});

describe("compressListing: the question's matches", () => {
  const root = project();
  const query = "where is the react package.json?";

  test("find: the best match inside a folded node_modules stays, on its own full line", () => {
    const lines = findLines(root);
    const input = `${lines.join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: true, query }))!;
    expect(out.lossy).toBe(true);
    expect(out.text).toMatch(/\(\d+ entries under \.\/node_modules\/ omitted\)/);
    // Spelled out, not folded into a "./node_modules/react/: ..." run.
    expect(out.text).toContain("\n./node_modules/react/package.json\n");
    expect(out.text).toContain("\n./package.json\n");
    // A handful of matches, not all 40 react-part files nor every file of the package.
    const reactParts = out.text.match(/react-part-\d+\.js/g) ?? [];
    expect(reactParts.length).toBeGreaterThan(0);
    expect(reactParts.length).toBeLessThanOrEqual(8);
    expect(out.text).not.toContain("node_modules/react/README.md");
    // The marker's count is the sum of the counts shown in place.
    const counted = [...out.text.matchAll(/^\((\d+) (?:more |entries|entry)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(out.text).toContain(`[headroom: ${counted} of ${lines.length} listing entries omitted`);
  });

  test("find: many equal matches inside node_modules keep only the best few", () => {
    const many = dir(".", [
      ...files(["package.json", "README.md"]),
      dir("src", files(["index.ts", "app.ts"])),
      dir(
        "node_modules",
        Array.from({ length: 60 }, (_, i) =>
          dir(`pkg-${String(i).padStart(2, "0")}`, files(["package.json", "index.js", "LICENSE"])),
        ),
      ),
    ]);
    const input = `${findLines(many).join("\n")}\n`;
    const out = compressListing(
      input,
      contextFor(input, { lossy: true, query: "which package.json files?" }),
    )!;
    const kept = out.text.match(/^\.\/node_modules\/pkg-\d+\/package\.json$/gm) ?? [];
    expect(out.text).toContain("\n./package.json\n");
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(8);
    expect(out.text).toMatch(/\(\d+ entries under \.\/node_modules\/ omitted\)/);
  });

  test("find: equally good matches outside dependency folders all stay", () => {
    const input = `${findLines(root).join("\n")}\n`;
    const out = compressListing(
      input,
      contextFor(input, { lossy: true, query: "show me the icon png files" }),
    )!;
    // 40 icons match "icon" in their own names: none of them is folded into a count.
    for (let i = 0; i < 40; i++) {
      expect(out.text).toContain(`./assets/icons/icon-${String(i).padStart(2, "0")}.png`);
    }
    expect(out.text).not.toContain("more *.png files");
  });

  test("tree: a kept match keeps the folders above it, and the fold note stays at folder level", () => {
    const input = `${treeLines(root).join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: true, query }))!;
    expect(out.strategy).toBe("listing:tree-collapse");
    expect(out.text).toMatch(/\nnode_modules\n(?: {2}.*\n)*? {2}react\n {4}package\.json\n/);
    expect(out.text).toMatch(/\n {2}\(\d+ entries under \.\/node_modules\/ omitted\)\n/);
    // No kept entry sits under a note without the folder it is in.
    expect(out.text).not.toMatch(/omitted\)\n {4}package\.json/);
    expect((out.text.match(/react-part-\d+\.js/g) ?? []).length).toBeLessThanOrEqual(8);
    expect(out.text).not.toContain("lodash-part-");
  });

  test("ranking: more terms first, then a term in the name, exact names, shallower paths", () => {
    const listing = parseListing([
      "./docs/react/guide.md",
      "./node_modules/react/package.json",
      "./node_modules/lodash/package.json",
      "./package.json",
      "./node_modules/react",
      "./src/react-hooks.ts",
      "./README.md",
    ])!;
    const ranked = rankQueryMatches(listing.entries, ["react", "package.json"]);
    expect(ranked.map((m) => listing.entries[m.index]!.key)).toEqual([
      "./node_modules/react/package.json",
      "./package.json",
      "./node_modules/react",
      "./node_modules/lodash/package.json",
      "./src/react-hooks.ts",
      "./docs/react/guide.md",
    ]);
    expect(ranked[0]).toMatchObject({ terms: 2, nameTerms: 1, exact: true });
    expect(ranked.at(-1)).toMatchObject({ terms: 1, nameTerms: 0, exact: false });
    expect(rankQueryMatches(listing.entries, [])).toEqual([]);
  });

  test("without a question nothing is pinned and runs stay grouped", () => {
    const input = `${findLines(root).join("\n")}\n`;
    const out = compressListing(input, contextFor(input, { lossy: true }))!;
    expect(out.text).not.toContain("\n./node_modules/react/package.json\n");
  });
});

describe("compressListing robustness", () => {
  test("CSV rows are records, not a path list", () => {
    const rows = ["date,sku,store,units,revenue"];
    for (let i = 0; i < 50; i++)
      rows.push(`2026-10-${10 + (i % 20)},SKU-${i},store-${i % 6},${i},${i}.50`);
    const input = `${rows.join("\n")}\n`;
    expect(parseListing(rows)).toBeUndefined();
    expect(compressListing(input, contextFor(input))).toBeUndefined();
  });

  test("declines what is not a listing", () => {
    for (const text of ["", "one\ntwo\n", "The build failed.\n  at foo (bar.js:1)\n\nDone.\n"]) {
      expect(compressListing(text, contextFor(text))).toBeUndefined();
    }
  });

  test("is deterministic", () => {
    const input = `${findLines(project()).join("\n")}\n`;
    expect(compressListing(input, contextFor(input, { query: "react" }))).toEqual(
      compressListing(input, contextFor(input, { query: "react" })),
    );
  });

  test("random and mutated listings never throw, never grow, stay deterministic", () => {
    const rand = mulberry32(4242);
    const root = project();
    const bases = [
      findLines(root).join("\n"),
      treeLines(root).join("\n"),
      lsLong(60),
      "src:\na\nb\n\nsrc/x:\nc\n",
    ];
    const pieces = ["/", " ", "\n", "├── ", "│   ", "└── ", ":", '"', "\t", "node_modules", "a b"];
    for (let round = 0; round < 300; round++) {
      let text = bases[round % bases.length]!;
      const edits = Math.floor(rand() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * text.length);
        const kind = rand();
        if (kind < 0.4)
          text = text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at);
        else if (kind < 0.7)
          text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 30));
        else text = text.slice(0, at);
      }
      for (const lossy of [false, true]) {
        const ctx = contextFor(text, { lossy, query: rand() < 0.3 ? "react icons" : "" });
        const first = compressListing(text, ctx);
        expect(compressListing(text, ctx)).toEqual(first);
        if (first) {
          expect(first.text.length).toBeLessThanOrEqual(text.length);
          if (!lossy) expect(first.lossy).toBe(false);
          if (first.lossy) expect(first.text).toContain(`hash=${originalHash(text)}`);
        }
      }
    }
  });
});
