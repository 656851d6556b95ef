import { describe, expect, test } from "bun:test";
import { compressJson } from "../../src/compress/json/compress-json.ts";
import { originalHash } from "../../src/compress/marker.ts";
import { contextFor } from "../helpers/compress-context.ts";

function lossy(input: string, query = "") {
  return compressJson(input, contextFor(input, { lossy: true, query }));
}

/** Every `hash=` in the text, which must all be the input's own hash. */
function hashes(text: string): string[] {
  return [...text.matchAll(/hash=([0-9a-f]{24})/g)].map((match) => match[1]!);
}

/** Reads "N of M <noun> omitted" from a note. */
function omitted(note: string): { dropped: number; total: number } {
  const match = /([\d,]+) of ([\d,]+) \w+ (?:at \S+ )?omitted/.exec(note);
  if (!match) throw new Error(`no count in ${note}`);
  return {
    dropped: Number(match[1]!.replace(/,/g, "")),
    total: Number(match[2]!.replace(/,/g, "")),
  };
}

// A payments API page: 200 orders, one failed with an error, two refunds, one huge amount.
const orders = Array.from({ length: 200 }, (_, i) => ({
  id: `ord_${(48_213_000 + i * 37).toString(36)}`,
  order_no: `ORD-${10_000 + i}`,
  customer: `cus_${["alpha", "bravo", "charlie", "delta", "echo"][i % 5]}${i % 17}`,
  amount: i === 64 ? "99999.00" : `${((i * 7919) % 9000) / 100 + 10}`,
  amount_cents: i === 64 ? 9_999_900 : 1000 + ((i * 7919) % 9000),
  currency: "usd",
  status: i === 117 ? "failed" : i === 40 || i === 160 ? "refunded" : "paid",
  error: i === 117 ? { code: "card_declined", message: "Your card was declined." } : null,
  created_at: `2025-03-${String(1 + Math.floor(i / 10)).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:15:00Z`,
}));

describe("lossy row selection", () => {
  const input = JSON.stringify({ object: "list", has_more: true, data: orders }, null, 2);

  test("keeps the ends, the failure, outliers, rare statuses and the row the question names", () => {
    const out = lossy(input, "What happened to order ORD-10150?")!;
    expect(out.lossy).toBe(true);
    expect(out.strategy).toBe("json:rows+table");
    const page = JSON.parse(out.text);
    expect(page.object).toBe("list");
    expect(page.has_more).toBe(true);
    const table = page.data;
    expect(table.$columns).toEqual([
      "id",
      "order_no",
      "customer",
      "amount",
      "amount_cents",
      "currency",
      "status",
      { error: ["code", "message"] },
      "created_at",
    ]);
    // Every order is in USD: the currency is stated once, not in each row.
    expect(table.$same).toEqual({ currency: "usd" });
    const rows = table.$rows.slice(0, -1) as unknown[][];
    const kept = rows.map((row) => row[1]);
    for (const no of ["ORD-10000", "ORD-10001", "ORD-10002", "ORD-10198", "ORD-10199"])
      expect(kept).toContain(no);
    expect(kept).toContain("ORD-10117"); // the failed payment
    expect(kept).toContain("ORD-10064"); // the amount outlier
    expect(kept).toContain("ORD-10040"); // rare status
    expect(kept).toContain("ORD-10160");
    expect(kept).toContain("ORD-10150"); // named in the question
    const failed = rows.find((row) => row[1] === "ORD-10117")!;
    expect(failed[6]).toEqual(["card_declined", "Your card was declined."]);
    expect(rows.length).toBeLessThan(30);

    const note = table.$rows.at(-1) as string;
    expect(note.startsWith("[headroom: ")).toBe(true);
    expect(note).toContain("at $.data omitted");
    expect(note).toContain("the 1 error");
    expect(omitted(note)).toEqual({ dropped: 200 - rows.length, total: 200 });
    expect(hashes(out.text)).toEqual([originalHash(input)]);
  });

  test("is deterministic and lossless when lossy mode is off", () => {
    expect(lossy(input, "ORD-10150")).toEqual(lossy(input, "ORD-10150")!);
    const off = compressJson(input, contextFor(input, { lossy: false }))!;
    expect(off.lossy).toBe(false);
    expect(off.text).not.toContain("headroom");
    expect(JSON.parse(off.text).data.$rows).toHaveLength(200);
  });

  test("keeps every error and warning line of a log given as an array of strings", () => {
    const lines = Array.from({ length: 300 }, (_, i) => {
      const ts = `2025-06-01T12:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`;
      if (i === 77 || i === 211 || i === 212)
        return `${ts} ERROR db pool exhausted after ${i}ms (pool=main)`;
      if (i % 60 === 30) return `${ts} WARN slow query took ${900 + i}ms`;
      return `${ts} INFO GET /api/items/${(i * 7919) % 10_000} 200 ${(i * 13) % 90}ms`;
    });
    const input = JSON.stringify(lines, null, 2);
    const out = lossy(input)!;
    const kept = JSON.parse(out.text) as string[];
    const note = kept.pop()!;
    for (const i of [0, 1, 2, 77, 211, 212, 30, 90, 150, 210, 270, 298, 299])
      expect(kept).toContain(lines[i]!);
    expect(note).toContain("all 3 errors");
    expect(note).toContain("all 5 warnings");
    expect(omitted(note)).toEqual({ dropped: 300 - kept.length, total: 300 });
  });

  test("keeps spikes and level shifts of a number series", () => {
    const series = Array.from({ length: 200 }, (_, i) => {
      const noise = ((i * 7919) % 11) - 5;
      if (i === 50) return 900;
      return (i < 120 ? 100 : 300) + noise;
    });
    const input = JSON.stringify({ metric: "p99_latency_ms", values: series });
    const out = lossy(input)!;
    const values = JSON.parse(out.text).values as (number | string)[];
    const note = values.pop() as string;
    expect(values).toContain(900);
    // The row before the shift and the first after it.
    const at = values.indexOf(series[120]!);
    expect(at).toBeGreaterThan(0);
    expect(values[at - 1]).toBe(series[119]!);
    expect(note).toContain("1 change point");
    expect(note).toContain("at $.values omitted");
  });

  test("thins JSON Lines and keeps them JSON Lines", () => {
    // Three kinds of events with different fields, as a CI runner streams them: no common shape.
    const lines = Array.from({ length: 120 }, (_, i) => {
      const time = `2025-06-01T10:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`;
      if (i === 63)
        return JSON.stringify({ time, job: i, status: "failed", exit: 137, reason: "OOMKilled" });
      if (i % 3 === 0) return JSON.stringify({ time, job: i, status: "started" });
      if (i % 3 === 1) return JSON.stringify({ time, job: i, progress: (i * 37) % 100 });
      return JSON.stringify({ time, job: i, status: "finished", seconds: (i * 37) % 90 });
    });
    const input = `${lines.join("\n")}\n`;
    const out = lossy(input)!;
    expect(out.strategy).toBe("json-lines:rows");
    const kept = out.text.split("\n");
    expect(kept).toContain(lines[63]!);
    expect(kept[0]).toBe(lines[0]!);
    const note = JSON.parse(kept.at(-1)!) as string;
    expect(omitted(note)).toEqual({ dropped: 120 - (kept.length - 1), total: 120 });
  });

  test("never thins short arrays", () => {
    const input = JSON.stringify(orders.slice(0, 12), null, 2);
    const out = lossy(input)!;
    expect(out.lossy).toBe(false);
    expect(JSON.parse(out.text).$rows).toHaveLength(12);
  });

  test("keeps the entries of a long map that the question names", () => {
    const versions: Record<string, unknown> = {};
    for (let major = 0; major < 5; major++) {
      for (let minor = 0; minor < 30; minor++) {
        const v = `${major}.${minor}.${(major * minor) % 7}`;
        versions[v] = {
          name: "widgetlib",
          version: v,
          dist: {
            tarball: `https://registry.npmjs.org/widgetlib/-/widgetlib-${v}.tgz`,
            fileCount: 40 + minor,
          },
          deprecated:
            major === 1 && minor === 3 ? "critical security bug, upgrade to 1.4.0" : undefined,
        };
      }
    }
    const input = JSON.stringify(
      { name: "widgetlib", "dist-tags": { latest: "4.29.4" }, versions },
      null,
      2,
    );
    const out = lossy(input, "what is in 3.17.2?")!;
    const doc = JSON.parse(out.text);
    expect(doc["dist-tags"]).toEqual({ latest: "4.29.4" });
    const keys = Object.keys(doc.versions);
    expect(keys).toContain("3.17.2");
    expect(keys).toContain("0.0.0");
    expect(keys).toContain("4.29.4");
    expect(keys).toContain("1.3.3"); // the deprecation warning
    expect(doc.versions["3.17.2"]).toEqual(versions["3.17.2"]);
    const note = doc.versions["…"] as string;
    expect(omitted(note)).toEqual({ dropped: 150 - (keys.length - 1), total: 150 });
    expect(note).toContain("entries");
    expect(out.strategy).toContain("entries");
  });
});

describe("lossy opaque strings", () => {
  const base64 = Buffer.from(
    Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256),
  ).toString("base64");
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: "x".repeat(300) })).toString("base64url")}.${"Qk".repeat(170)}`;
  const bundle = `!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}${";n.d=function(e,t,r){n.o(e,t)||Object.defineProperty(e,t,{enumerable:!0,get:r})}".repeat(30)}}([]);`;
  const prose = "The deployment failed because the readiness probe timed out. ".repeat(20);
  const url = `https://storage.example.com/bucket/object.tar.gz?X-Signature=${"ab12".repeat(100)}`;
  const input = JSON.stringify(
    { file: "logo.png", data: base64, token: jwt, bundle, prose, url, size: 4000 },
    null,
    2,
  );

  test("cuts base64, tokens and minified code to a head with a note; keeps prose and URLs", () => {
    const out = lossy(input)!;
    expect(out.lossy).toBe(true);
    const doc = JSON.parse(out.text);
    expect(doc.file).toBe("logo.png");
    expect(doc.size).toBe(4000);
    expect(doc.prose).toBe(prose);
    expect(doc.url).toBe(url);
    expect(
      doc.data.startsWith(
        `${base64.slice(0, 32)}…[headroom: base64 of ${base64.length.toLocaleString("en-US")} chars cut after 32`,
      ),
    ).toBe(true);
    expect(doc.token.startsWith(`${jwt.slice(0, 32)}…[headroom: token of`)).toBe(true);
    expect(doc.bundle.startsWith(`${bundle.slice(0, 32)}…[headroom: minified code of`)).toBe(true);
    // One marker carries the hash and sums up every cut; the other places get a short note.
    expect(hashes(out.text)).toEqual([originalHash(input)]);
    expect(doc.data).toContain("hash=");
    expect(doc.data).toContain("token of");
    expect(doc.token).not.toContain("hash=");
    expect(out.text.length).toBeLessThan(input.length / 4);
  });

  test("leaves opaque strings whole when lossy mode is off", () => {
    const out = compressJson(input, contextFor(input, { lossy: false }))!;
    expect(JSON.parse(out.text).data).toBe(base64);
  });
});
