import { describe, expect, test } from "bun:test";
import {
  addMember,
  appendToArray,
  applySplices,
  locateValues,
  pathKey,
} from "../../src/core/json-edit.ts";

const doc = `{ "model" : "claude", "temperature": 1.0, "seed": 12345678901234567890,
  "messages": [
    {"role":"user","content":"caf\\u00e9 \\"quoted\\" [not] {a} \\\\"},
    {"role": "user", "content": [ {"type":"tool_result","tool_use_id":"t1","content":"BIG OUTPUT"}, {"type":"text","text":"hi"} ] }
  ],
  "tools": [ ] ,"nested":{"a":[[1,2],{"b":"}"}]}
}`;

describe("locateValues()", () => {
  test("finds the exact text of values at the given paths, through escapes and brackets inside strings", () => {
    const paths = [
      ["messages", 1, "content", 0, "content"],
      ["messages", 0, "content"],
      ["tools"],
      ["temperature"],
      ["nested", "a", 1, "b"],
      ["missing", 3],
    ];
    const spans = locateValues(doc, paths);
    const at = (path: (string | number)[]) => {
      const span = spans.get(pathKey(path))!;
      return doc.slice(span.start, span.end);
    };
    expect(at(["messages", 1, "content", 0, "content"])).toBe('"BIG OUTPUT"');
    expect(at(["messages", 0, "content"])).toBe('"caf\\u00e9 \\"quoted\\" [not] {a} \\\\"');
    expect(at(["tools"])).toBe("[ ]");
    expect(at(["temperature"])).toBe("1.0");
    expect(at(["nested", "a", 1, "b"])).toBe('"}"');
    expect(spans.has(pathKey(["missing", 3]))).toBe(false);
  });

  test("splicing a value leaves every other byte as sent: number lexemes, escapes, spacing", () => {
    const spans = locateValues(doc, [["messages", 1, "content", 0, "content"], ["tools"]]);
    const target = spans.get(pathKey(["messages", 1, "content", 0, "content"]))!;
    const tools = spans.get(pathKey(["tools"]))!;
    const edited = applySplices(doc, [
      { ...target, text: JSON.stringify("small") },
      appendToArray(doc, tools, '{"name":"x"}'),
    ]);
    expect(edited).toBe(
      doc.replace('"BIG OUTPUT"', '"small"').replace('"tools": [ ]', '"tools": [ {"name":"x"}]'),
    );
    expect(edited).toContain("12345678901234567890");
    expect(edited).toContain('"temperature": 1.0');
    const parsed = JSON.parse(edited);
    expect(parsed.messages[1].content[0].content).toBe("small");
    expect(parsed.tools).toEqual([{ name: "x" }]);
  });

  test("appendToArray() and addMember() add a comma only after existing members", () => {
    const text = '{"a":[1],"b":{}}';
    const spans = locateValues(text, [["a"], ["b"], []]);
    const a = spans.get(pathKey(["a"]))!;
    const b = spans.get(pathKey(["b"]))!;
    expect(applySplices(text, [appendToArray(text, a, "2")])).toBe('{"a":[1,2],"b":{}}');
    expect(applySplices(text, [addMember(text, b, "k", "true")])).toBe('{"a":[1],"b":{"k":true}}');
    expect(applySplices(text, [addMember(text, spans.get(pathKey([]))!, "tools", "[]")])).toBe(
      '{"a":[1],"b":{},"tools":[]}',
    );
  });

  test("skips deep nesting iteratively without recursing into it", () => {
    const deep = `{"skip":${"[".repeat(100_000)}${"]".repeat(100_000)},"x":"y"}`;
    const span = locateValues(deep, [["x"]]).get(pathKey(["x"]))!;
    expect(deep.slice(span.start, span.end)).toBe('"y"');
  });
});
