import { describe, expect, test } from "bun:test";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { compressJson } from "../../src/compress/json/compress-json.ts";
import { expandJson } from "../../src/compress/json/json-expand.ts";
import { readJson } from "../../src/compress/json/json-reader.ts";
import { writeJson } from "../../src/compress/json/json-writer.ts";
import { contextFor } from "../helpers/compress-context.ts";
import { parityCases } from "../helpers/parity.ts";

interface CrusherInput {
  content: string;
  query: string;
}
interface CrusherOutput {
  compressed: string;
}

const cases = parityCases("smart_crusher");

function ours(input: CrusherInput, lossy = true): string {
  const out = compressJson(input.content, contextFor(input.content, { query: input.query, lossy }));
  return out ? out.text : input.content;
}

function expanded(text: string): string {
  return writeJson(expandJson(readJson(text)!.value));
}

/** The rows a lossy output kept, as objects (the table form expanded; the note dropped). */
function keptRows(text: string): Record<string, unknown>[] {
  const rows = JSON.parse(expanded(text)) as unknown[];
  return rows.filter(
    (row): row is Record<string, unknown> => typeof row === "object" && row !== null,
  );
}

describe("smart_crusher parity fixtures", () => {
  test("all 17 recorded cases are present", () => {
    expect(cases).toHaveLength(17);
  });

  for (const parity of cases) {
    const input = parity.input as CrusherInput;
    const theirs = (parity.output as CrusherOutput).compressed;
    test(`${parity.label}: saves at least as many tokens as the original`, () => {
      const before = countTokens(input.content);
      const saved = before - countTokens(ours(input));
      const theirsSaved = before - countTokens(theirs);
      expect(saved).toBeGreaterThanOrEqual(theirsSaved);
    });
    test(`${parity.label}: lossless mode expands back to the input exactly`, () => {
      const text = ours(input, false);
      if (readJson(input.content))
        expect(expanded(text)).toBe(writeJson(readJson(input.content)!.value));
      else expect(text).toBe(input.content);
      expect(text).not.toContain("hash=");
    });
  }

  const byLabel = (label: string) => cases.find((c) => c.label === label)!.input as CrusherInput;

  test("dict_array_30: every error row, the first and the last rows are kept, the rest counted", () => {
    const text = ours(byLabel("dict_array_30"));
    const ids = keptRows(text).map((row) => row.id);
    for (const id of [0, 5, 10, 15, 20, 25]) expect(ids).toContain(id);
    for (const id of [0, 1, 2, 28, 29]) expect(ids).toContain(id);
    expect(text).toContain(`${30 - ids.length} of 30 rows omitted`);
    expect(text).toContain("all 6 errors");
  });

  test("dict_array_100_sequential: every warning is kept", () => {
    const text = ours(byLabel("dict_array_100_sequential"));
    const rows = keptRows(text);
    const warnings = rows.filter((row) => row.level === "warn").map((row) => row.id);
    expect(warnings).toEqual([0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91, 98]);
    expect(text).toContain(`${100 - rows.length} of 100 rows omitted`);
  });

  test("number, mixed and duplicate arrays are encoded losslessly, so nothing is dropped", () => {
    for (const label of ["number_array_40_changepoint", "mixed_array", "duplicate_dicts_40"]) {
      const input = byLabel(label);
      const text = ours(input);
      expect(text).not.toContain("hash=");
      expect(expanded(text)).toBe(writeJson(readJson(input.content)!.value));
    }
  });

  test("string_array_25 and time_series_50 keep their ends and say what they dropped", () => {
    const strings = JSON.parse(ours(byLabel("string_array_25"))) as string[];
    expect(strings[0]).toBe("event 0: something happened at index 0");
    expect(strings.at(-2)).toBe("event 24: something happened at index 24");
    expect(strings.at(-1)).toContain(`${25 - (strings.length - 1)} of 25 items omitted`);
    const series = keptRows(ours(byLabel("time_series_50")));
    expect(series[0]).toEqual({ ts: 1000, metric: 0.0, host: "host-0" });
    expect(series.at(-1)).toEqual({ ts: 1049, metric: 73.5, host: "host-1" });
  });

  test("number lexemes and non-ASCII text survive", () => {
    expect(ours(byLabel("time_series_50"))).toContain("[1000,0.0,");
    const unicode = ours(byLabel("unicode_dict_array"));
    expect(unicode).toContain('"hello 中文 русский 0"');
    // The tag is the same in every row: stated once.
    expect(unicode).toContain('"$same":{"tag":"тест"}');
    expect(keptRows(unicode).every((row) => row.tag === "тест")).toBe(true);
  });
});
