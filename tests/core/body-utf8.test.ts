import { describe, expect, test } from "bun:test";
import { BodyProblem, type JsonBody, parseJsonObject } from "../../src/core/body.ts";

// parseJsonObject decodes leniently and checks strictly only when the text shows a replacement
// character: both kinds of body that carry one must still come out right.
const encoder = new TextEncoder();
const strict = new TextDecoder("utf-8", { fatal: true });

describe("request body UTF-8", () => {
  test("a valid body that carries U+FFFD itself is accepted with its text intact", () => {
    const text = '{"model":"m","content":"before \uFFFD after"}';
    const parsed = parseJsonObject(encoder.encode(text));
    expect(parsed).not.toBeInstanceOf(BodyProblem);
    expect((parsed as JsonBody).text).toBe(text);
    expect((parsed as JsonBody).value.content).toBe("before \uFFFD after");
  });

  test("invalid UTF-8 is refused, next to a real U+FFFD or alone", () => {
    const invalid = [0xc3, 0x28];
    for (const prefix of ['{"a":"', '{"a":"\uFFFD']) {
      const bytes = new Uint8Array([
        ...encoder.encode(prefix),
        ...invalid,
        ...encoder.encode('"}'),
      ]);
      const parsed = parseJsonObject(bytes);
      expect(parsed).toBeInstanceOf(BodyProblem);
      expect((parsed as BodyProblem).message).toContain("not valid UTF-8");
    }
  });

  test("a byte-order mark is read as the strict decoder reads it", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('{"model":"m"}')]);
    const parsed = parseJsonObject(bytes);
    expect((parsed as JsonBody).text).toBe(strict.decode(bytes));
  });
});
