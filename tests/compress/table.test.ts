import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { originalHash } from "../../src/compress/marker.ts";
import { compressTable, parseTable } from "../../src/compress/table.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { mulberry32 } from "../helpers/random.ts";

const COMMANDS = [
  "/sbin/init splash",
  "/usr/lib/systemd/systemd-journald",
  "/usr/sbin/sshd -D -o AuthorizedKeysCommand=/usr/bin/sss_ssh_authorizedkeys",
  "postgres: 15/main: checkpointer",
  "node /srv/app/dist/server.js --port 3000",
  "[kworker/0:1-events]",
  "/usr/bin/containerd",
  "nginx: worker process",
];

/** `ps aux` output with `n` processes; two of them busy, one using lots of memory. */
function psAux(n: number): string {
  const rand = mulberry32(7);
  const lines = ["USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"];
  for (let i = 0; i < n; i++) {
    const user = i % 9 === 4 ? "postgres" : i % 13 === 6 ? "www-data" : "root";
    const pid = String(1 + i * 37);
    const cpu = i === 17 ? "97.3" : i === 33 ? "45.1" : (rand() < 0.8 ? 0 : rand() * 2).toFixed(1);
    const mem = i === 21 ? "38.6" : (rand() * 0.5).toFixed(1);
    const vsz = String(Math.floor(rand() * 900000));
    const rss = String(Math.floor(rand() * 90000));
    const tty = i === 40 ? "pts/0" : "?";
    const stat = ["Ss", "S", "S<", "I<", "Sl"][i % 5]!;
    const cmd = i === 17 ? "python3 train.py --epochs 50" : COMMANDS[i % COMMANDS.length]!;
    lines.push(
      `${user.padEnd(8)} ${pid.padStart(7)} ${cpu.padStart(4)} ${mem.padStart(4)} ${vsz.padStart(6)} ${rss.padStart(5)} ${tty.padEnd(8)} ${stat.padEnd(4)} ${"06:26".padStart(5)} ${"0:00".padStart(6)} ${cmd}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Lays out rows the way Go's tabwriter does for kubectl/docker: columns padded, 3 spaces apart. */
function tabwriter(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3)))
        .join("")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

/** `kubectl get pods` with `n` pods: most running, two crash-looping, one pending. */
function kubectlPods(n: number): string {
  const rows = [["NAME", "READY", "STATUS", "RESTARTS", "AGE"]];
  for (let i = 0; i < n; i++) {
    const name = `api-${(0x5f3a9c + i * 7919).toString(36)}-${(i * 104729).toString(36).padStart(5, "x")}`;
    if (i === 12 || i === 47) rows.push([name, "0/1", "CrashLoopBackOff", "14 (2m ago)", "3d"]);
    else if (i === 30) rows.push([name, "0/1", "Pending", "0", "5m"]);
    else rows.push([name, "1/1", "Running", "0", "3d"]);
  }
  return tabwriter(rows);
}

const DOCKER_PS = `CONTAINER ID   IMAGE                  COMMAND                  CREATED        STATUS                    PORTS                                       NAMES
4f2a9c1b7e3d   postgres:15-alpine     "docker-entrypoint.s…"   2 hours ago    Up 2 hours (healthy)      0.0.0.0:5432->5432/tcp, :::5432->5432/tcp   app-db-1
9b8c7d6e5f4a   redis:7                "docker-entrypoint.s…"   2 hours ago    Up 2 hours                6379/tcp                                    app-cache-1
1a2b3c4d5e6f   nginx:1.25             "/docker-entrypoint.…"   3 days ago     Exited (0) 3 days ago                                                 old-proxy
7d8e9f0a1b2c   ghcr.io/acme/api:1.4   "node dist/server.js"    2 hours ago    Up 2 hours                0.0.0.0:3000->3000/tcp                      app-api-1
`;

const DF_H = `Filesystem      Size  Used Avail Use% Mounted on
udev            7.8G     0  7.8G   0% /dev
tmpfs           1.6G  2.1M  1.6G   1% /run
/dev/nvme0n1p2  468G  402G   43G  91% /
tmpfs           7.8G  118M  7.7G   2% /dev/shm
tmpfs           5.0M  4.0K  5.0M   1% /run/lock
/dev/nvme0n1p1  511M  6.1M  505M   2% /boot/efi
tmpfs           1.6G  124K  1.6G   1% /run/user/1000
`;

/** A CSV export: one constant column, a quoted field with a comma, a few failed rows. */
function ordersCsv(n: number): string {
  const lines = ["order_id,customer,region,status,amount_eur,note"];
  for (let i = 0; i < n; i++) {
    const status = i === 44 || i === 71 ? "failed" : "paid";
    const note = i % 10 === 3 ? '"gift, wrapped"' : "";
    lines.push(
      `${100000 + i},cust-${(i * 7) % 97},eu-west-1,${status},${(10 + ((i * 37) % 400)).toFixed(2)},${note}`,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Reads one line of our aligned output: single spaces, "quoted" cells, last cell runs to the end. */
function readAlignedLine(line: string, columns: number): string[] {
  const cells: string[] = [];
  let i = 0;
  while (cells.length < columns - 1) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        value += line.slice(i, close);
        if (line[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 2;
          break;
        }
      }
      cells.push(value);
    } else {
      const space = line.indexOf(" ", i);
      cells.push(line.slice(i, space));
      i = space + 1;
    }
  }
  cells.push(line.slice(i));
  return cells;
}

describe("compressTable lossless", () => {
  test("ps aux: padding goes, constant columns are stated once, every cell survives", () => {
    const input = psAux(60);
    const out = compressTable(input, contextFor(input, { lossy: false }))!;
    expect(out.lossy).toBe(false);
    expect(out.strategy).toBe("table:aligned-compact");
    const lines = out.text.trimEnd().split("\n");
    expect(lines[0]).toBe("# every row: START=06:26, TIME=0:00");
    expect(lines[1]).toBe("USER PID %CPU %MEM VSZ RSS TTY STAT COMMAND");
    const original = input.trimEnd().split("\n").slice(1);
    expect(lines.length).toBe(original.length + 2);
    for (let r = 0; r < original.length; r++) {
      const words = original[r]!.trim().split(/\s+/);
      const expected = [...words.slice(0, 8), words.slice(10).join(" ")];
      expect(readAlignedLine(lines[r + 2]!, 9)).toEqual(expected);
    }
    expect(countTokens(out.text)).toBeLessThan(countTokens(input) * 0.85);
  });

  test("kubectl: constant READY/STATUS-free columns, cells with spaces are quoted", () => {
    const input = kubectlPods(50);
    const out = compressTable(input, contextFor(input, { lossy: false }))!;
    expect(out.text).toContain('CrashLoopBackOff "14 (2m ago)" 3d');
    expect(out.text).toContain("NAME READY STATUS RESTARTS AGE");
    expect(out.text).not.toContain("   ");
    expect(countTokens(out.text)).toBeLessThan(countTokens(input));
  });

  test("docker ps: columns with spaces and an empty cell stay unambiguous", () => {
    const out = compressTable(DOCKER_PS, contextFor(DOCKER_PS, { lossy: false }))!;
    const grid = parseTable(DOCKER_PS)!;
    expect(grid.header).toEqual([
      "CONTAINER ID",
      "IMAGE",
      "COMMAND",
      "CREATED",
      "STATUS",
      "PORTS",
      "NAMES",
    ]);
    expect(grid.rows[2]).toEqual([
      "1a2b3c4d5e6f",
      "nginx:1.25",
      '"/docker-entrypoint.…"',
      "3 days ago",
      "Exited (0) 3 days ago",
      "",
      "old-proxy",
    ]);
    const lines = out.text.trimEnd().split("\n");
    // Many cells hold spaces here, so tabs separate the cells and nothing needs quoting.
    expect(lines[3]!.split("\t")).toEqual(grid.rows[2]!);
    expect(out.text.length).toBeLessThan(DOCKER_PS.length);
  });

  test("df -h: the two-word last header stays one column", () => {
    const out = compressTable(DF_H, contextFor(DF_H, { lossy: false }))!;
    expect(out.text).toBe(
      "Filesystem Size Used Avail Use% Mounted on\nudev 7.8G 0 7.8G 0% /dev\ntmpfs 1.6G 2.1M 1.6G 1% /run\n/dev/nvme0n1p2 468G 402G 43G 91% /\ntmpfs 7.8G 118M 7.7G 2% /dev/shm\ntmpfs 5.0M 4.0K 5.0M 1% /run/lock\n/dev/nvme0n1p1 511M 6.1M 505M 2% /boot/efi\ntmpfs 1.6G 124K 1.6G 1% /run/user/1000\n",
    );
  });

  test("CSV: the constant column is factored out and quoting is kept where needed", () => {
    const input = ordersCsv(80);
    const out = compressTable(input, contextFor(input, { lossy: false }))!;
    expect(out.strategy).toBe("table:csv-compact");
    const lines = out.text.trimEnd().split("\n");
    expect(lines[0]).toBe("# every row: region=eu-west-1");
    expect(lines[1]).toBe("order_id,customer,status,amount_eur,note");
    expect(lines[2]).toBe("100000,cust-0,paid,10.00,");
    expect(lines[5]).toBe('100003,cust-21,paid,121.00,"gift, wrapped"');
    expect(lines.length).toBe(82);
  });

  test("markdown: padding and long separators go, alignment stays", () => {
    const input = [
      "| Package      | Version   | License |   Weekly downloads |",
      "|:-------------|:---------:|---------|-------------------:|",
      "| react        | 18.2.0    | MIT     |         20,514,203 |",
      "| lodash       | 4.17.21   | MIT     |         45,002,118 |",
      "| express      | 4.18.2    | MIT     |         25,880,410 |",
      "| left\\|pad   | 1.3.0     | WTFPL   |              3,117 |",
    ].join("\n");
    const out = compressTable(input, contextFor(input, { lossy: false }))!;
    expect(out.text).toBe(
      "|Package|Version|License|Weekly downloads|\n|:-|:-:|-|-:|\n|react|18.2.0|MIT|20,514,203|\n|lodash|4.17.21|MIT|45,002,118|\n|express|4.18.2|MIT|25,880,410|\n|left\\|pad|1.3.0|WTFPL|3,117|",
    );
  });

  test("TSV stays TSV", () => {
    const input = "id\tname\tteam\n1\tada\tcore\n2\tlin\tcore\n3\tbo\tcore\n4\tkai\tweb\n";
    const out = compressTable(input, contextFor(input, { lossy: false }));
    // Nothing to gain: already compact, no constant column.
    expect(out).toBeUndefined();
    const rows = Array.from({ length: 12 }, (_, i) => `${i + 1}\tuser${i}\tplatform-core`);
    const constant = `id\tname\tteam\n${rows.join("\n")}\n`;
    const out2 = compressTable(constant, contextFor(constant, { lossy: false }))!;
    expect(out2.strategy).toBe("table:tsv-compact");
    expect(out2.text.split("\n").slice(0, 3)).toEqual([
      "# every row: team=platform-core",
      "id\tname",
      "1\tuser0",
    ]);
  });
});

describe("compressTable lossy", () => {
  test("ps aux keeps the header, busy and memory-heavy processes, and the edges", () => {
    const input = psAux(120);
    const out = compressTable(input, contextFor(input, { lossy: true }))!;
    expect(out.lossy).toBe(true);
    expect(out.strategy).toBe("table:aligned-rows");
    expect(out.text).toContain("USER PID %CPU %MEM VSZ RSS TTY STAT COMMAND");
    expect(out.text).toContain("python3 train.py --epochs 50");
    expect(out.text).toContain(" 45.1 ");
    expect(out.text).toContain(" 38.6 ");
    expect(out.text).toContain(" pts/0 ");
    const first = input.split("\n")[1]!.trim().split(/\s+/);
    const last = input.trimEnd().split("\n").at(-1)!.trim().split(/\s+/);
    expect(out.text).toContain(`${first[0]} ${first[1]} `);
    expect(out.text).toContain(`${last[0]} ${last[1]} `);
    const marker = out.text.trimEnd().split("\n").at(-1)!;
    expect(marker).toMatch(
      /^\[headroom: \d+ of 120 table rows omitted \(kept: header, first and last 9/,
    );
    expect(marker).toContain(`hash=${originalHash(input)}`);
    expect(countTokens(out.text)).toBeLessThan(countTokens(input) * 0.5);
  });

  test("kubectl keeps the unhealthy pods and the rows the question names", () => {
    const input = kubectlPods(80);
    const target = input.split("\n")[55]!.split(" ")[0]!;
    const out = compressTable(
      input,
      contextFor(input, { lossy: true, query: `why is ${target} slow?` }),
    )!;
    expect(out.text.match(/CrashLoopBackOff/g)?.length).toBe(2);
    expect(out.text).toContain("Pending");
    expect(out.text).toContain(target);
    expect(out.text).toContain("1 matching the question");
    expect(out.text).toContain("3 unusual");
  });

  test("CSV keeps failed orders", () => {
    const input = ordersCsv(120);
    const out = compressTable(input, contextFor(input, { lossy: true }))!;
    expect(out.text).toContain("100044,cust-");
    expect(out.text).toContain("100071,cust-");
    expect(out.text.match(/,failed,/g)?.length).toBe(2);
    expect(out.text).toContain("# every row: region=eu-west-1");
  });

  test("short tables are never cut", () => {
    const out = compressTable(DOCKER_PS, contextFor(DOCKER_PS, { lossy: true }))!;
    expect(out.lossy).toBe(false);
    expect(out.text).toContain("old-proxy");
  });
});

describe("compressTable robustness", () => {
  test("declines what is not a table", () => {
    for (const text of [
      "",
      "just one line",
      "a\nb\nc\n",
      "hello, world\nfoo\n",
      "| not | a table |\n",
    ]) {
      expect(compressTable(text, contextFor(text))).toBeUndefined();
    }
  });

  test("is deterministic", () => {
    const input = psAux(80);
    expect(compressTable(input, contextFor(input, { query: "nginx" }))).toEqual(
      compressTable(input, contextFor(input, { query: "nginx" })),
    );
  });

  test("random and mutated tables never throw, never grow, stay deterministic", () => {
    const rand = mulberry32(99);
    const bases = [psAux(40), kubectlPods(40), DOCKER_PS, DF_H, ordersCsv(40)];
    const alphabet = [" ", "  ", "\t", ",", '"', "|", "a", "Z", "9", "-", "\n", "é", "😀"];
    for (let round = 0; round < 300; round++) {
      let text = bases[round % bases.length]!;
      const edits = Math.floor(rand() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * text.length);
        const kind = rand();
        if (kind < 0.4)
          text =
            text.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + text.slice(at);
        else if (kind < 0.7)
          text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 20));
        else text = text.slice(0, at);
      }
      for (const lossy of [false, true]) {
        const ctx = contextFor(text, { lossy, query: rand() < 0.3 ? "root nginx" : "" });
        const first = compressTable(text, ctx);
        expect(compressTable(text, ctx)).toEqual(first);
        if (first) {
          expect(first.text.length).toBeLessThanOrEqual(text.length);
          if (!lossy) expect(first.lossy).toBe(false);
          if (first.lossy) expect(first.text).toContain(`hash=${originalHash(text)}`);
        }
      }
    }
  });
});
