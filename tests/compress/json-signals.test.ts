import { describe, expect, test } from "bun:test";
import { Alarm, alarmOf } from "../../src/compress/json/alarms.ts";
import { extractColumns } from "../../src/compress/json/columns.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import type { JsonValue } from "../../src/compress/json/json-value.ts";
import { opaqueKind } from "../../src/compress/json/opaque-string.ts";
import {
  changePoints,
  isMeasure,
  numericOutliers,
  rareLabels,
  unusualShapes,
} from "../../src/compress/json/outliers.ts";
import { queryTerms, relevanceScores } from "../../src/compress/json/relevance.ts";
import { rowBudget } from "../../src/compress/json/row-budget.ts";

const json = (text: string): JsonValue => readJson(text)!.value;

describe("opaqueKind", () => {
  test("recognises payloads a model cannot read", () => {
    const bytes = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919) % 256));
    expect(opaqueKind(bytes.toString("base64"))).toBe("base64");
    expect(opaqueKind(bytes.toString("base64").replace(/(.{76})/g, "$1\n"))).toBe("base64");
    expect(opaqueKind(`data:image/png;base64,${bytes.toString("base64")}`)).toBe("base64 data URI");
    expect(opaqueKind(bytes.toString("hex"))).toBe("hex");
    expect(opaqueKind(`eyJhbGciOiJIUzI1NiJ9.${bytes.toString("base64url")}.c2lnbmF0dXJl`)).toBe(
      "token",
    );
    const minified = `(function(){var a=1;function b(c){return c+a}${"window.x=b(2);if(a>0){a--}else{a++};".repeat(40)}})();`;
    expect(opaqueKind(minified)).toBe("minified code");
    expect(opaqueKind(bytes.toString("base64url").replace(/[-_]/g, "Q"))).toBe("base64");
  });

  test("leaves readable text, URLs, lists and short strings alone", () => {
    expect(opaqueKind("The build failed because a test timed out. ".repeat(30))).toBeUndefined();
    expect(opaqueKind(`https://example.com/download?sig=${"a1b2c3".repeat(80)}`)).toBeUndefined();
    expect(
      opaqueKind(Array.from({ length: 120 }, (_, i) => `scope${i}`).join(",")),
    ).toBeUndefined();
    expect(opaqueKind("QUJD".repeat(40))).toBeUndefined();
  });
});

describe("alarmOf", () => {
  test("reads error and warning fields of objects", () => {
    expect(alarmOf(json('{"id":1,"status":"failed"}'))).toBe(Alarm.error);
    expect(alarmOf(json('{"conclusion":"FAILURE"}'))).toBe(Alarm.error);
    expect(alarmOf(json('{"level":"warn","msg":"slow"}'))).toBe(Alarm.warning);
    expect(alarmOf(json('{"error":{"code":"card_declined"}}'))).toBe(Alarm.error);
    expect(alarmOf(json('{"status_code":503}'))).toBe(Alarm.error);
    expect(
      alarmOf(
        json('{"checks":[{"name":"lint","state":"success"},{"name":"test","state":"error"}]}'),
      ),
    ).toBe(Alarm.error);
  });

  test("does not mistake settings, empty errors or names for problems", () => {
    expect(alarmOf(json('{"error":null,"errors":[],"status":"ok"}'))).toBe(Alarm.none);
    expect(alarmOf(json('{"failureThreshold":3,"error_rate":0.02}'))).toBe(Alarm.none);
    expect(alarmOf(json('{"status":200,"level":"info"}'))).toBe(Alarm.none);
    expect(alarmOf("src/errors/handler.ts")).toBe(Alarm.none);
  });

  test("log lines and free text", () => {
    expect(alarmOf("2025-06-01 ERROR db pool exhausted")).toBe(Alarm.error);
    expect(alarmOf("Traceback (most recent call last):")).toBe(Alarm.error);
    expect(alarmOf("W0601 12:00:00 WARN disk at 91%")).toBe(Alarm.warning);
    expect(alarmOf("GET /health 200 3ms")).toBe(Alarm.none);
    expect(alarmOf(json('{"message":"upstream connect error: connection refused"}'))).toBe(
      Alarm.mention,
    );
  });
});

describe("query terms and relevance", () => {
  test("keeps the specific words of a question", () => {
    const terms = queryTerms('Why did the payment for order #48213 fail on "eu-west-1" yesterday?');
    expect(terms).toContain("payment");
    expect(terms).toContain("48213");
    expect(terms).toContain("fail");
    expect(terms).toContain("eu-west-1");
    expect(terms).not.toContain("the");
    expect(terms).not.toContain("why");
    expect(queryTerms("")).toEqual([]);
  });

  test("scores rare matches and ignores words most items contain", () => {
    const texts = [
      '{"id":"ord-1","s":"paid"}',
      '{"id":"ord-2","s":"paid"}',
      '{"id":"ord-3","s":"refunded"}',
      '{"id":"ord-4","s":"paid"}',
    ];
    const scores = relevanceScores(texts, ["ord", "refund"]);
    expect([...scores]).toEqual([0, 0, scores[2]!, 0]);
    expect(scores[2]).toBeGreaterThan(0);
  });
});

describe("outlier detectors", () => {
  const rows = (values: (number | string)[], key = "latency_ms") =>
    values.map((v) => json(JSON.stringify({ [key]: v, id: 1 })));

  test("numeric outliers use the median and MAD, so one huge value does not hide others", () => {
    const values = Array.from({ length: 50 }, (_, i) => 20 + ((i * 7) % 11));
    values[10] = 5000;
    values[30] = 900;
    const column = extractColumns(rows(values)).find((c) => c.key === "latency_ms")!;
    expect(isMeasure(column, 50)).toBe(true);
    expect(numericOutliers(column).map((flag) => flag.index)).toEqual([10, 30]);
  });

  test("ids, timestamps and counters are not measures", () => {
    const ids = extractColumns(
      rows(
        Array.from({ length: 20 }, (_, i) => i),
        "id",
      ),
    )[0]!;
    expect(isMeasure(ids, 20)).toBe(false);
    const ts = extractColumns(
      rows(
        Array.from({ length: 20 }, (_, i) => (i * 7) % 5),
        "created_at",
      ),
    )[0]!;
    expect(isMeasure(ts, 20)).toBe(false);
  });

  test("rare values of a dominated field and rows of an unusual shape", () => {
    const labels = Array.from({ length: 60 }, (_, i) =>
      i === 17 ? "cancelled" : i % 2 ? "paid" : "paid",
    );
    const column = extractColumns(rows(labels, "status"))[0]!;
    expect(rareLabels(column, 60).map((flag) => flag.index)).toEqual([17]);
    const items = Array.from({ length: 30 }, (_, i) =>
      json(i === 5 ? '{"id":5,"name":"x","error":"boom"}' : `{"id":${i},"name":"x"}`),
    );
    expect(unusualShapes(items).map((flag) => flag.index)).toEqual([5]);
  });

  test("a level shift is a change point; a ramp or a single spike is not", () => {
    const noise = (i: number) => ((i * 7919) % 7) - 3;
    const shift = extractColumns(
      rows(Array.from({ length: 80 }, (_, i) => (i < 50 ? 100 : 160) + noise(i))),
    )[0]!;
    expect(changePoints(shift).map((flag) => flag.index)).toEqual([50]);
    const ramp = extractColumns(rows(Array.from({ length: 80 }, (_, i) => i * 1.5)))[0]!;
    expect(changePoints(ramp)).toEqual([]);
    const spike = extractColumns(
      rows(Array.from({ length: 80 }, (_, i) => (i === 40 ? 900 : 100 + noise(i)))),
    )[0]!;
    expect(changePoints(spike)).toEqual([]);
  });
});

describe("rowBudget", () => {
  test("grows with the square root of the length, between 8 and 15, less for large items", () => {
    expect(rowBudget(12, 50)).toBe(12);
    expect(rowBudget(25, 50)).toBe(10);
    expect(rowBudget(100, 50)).toBe(15);
    expect(rowBudget(100_000, 50)).toBe(15);
    expect(rowBudget(100, 4000)).toBe(5);
  });
});
