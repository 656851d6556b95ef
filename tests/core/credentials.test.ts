import { describe, expect, test } from "bun:test";
import { authLabel, credentialsOf } from "../../src/core/credentials.ts";
import { chatgptToken } from "../helpers/chatgpt-token.ts";

const of = (headers: Record<string, string>, query = "") =>
  credentialsOf(new Headers(headers), query);

describe("reading a request's credentials", () => {
  test("a ChatGPT token is known by its account claim; a token that only looks like a JWT is not", () => {
    const token = chatgptToken("acct-1", "s", "team");
    expect(of({ authorization: `Bearer ${token}` })).toEqual({
      kinds: ["chatgpt"],
      chatgptAccountId: "acct-1",
      chatgptPlan: "team",
    });
    // Three dot-separated parts, but no claim (or no JSON): an opaque bearer token.
    const claimless = `${btoa('{"alg":"none"}')}.${btoa('{"sub":"x"}')}.sig`;
    expect(of({ authorization: `Bearer ${claimless}` }).kinds).toEqual(["bearer"]);
    expect(of({ authorization: "Bearer a.%%%.c" }).kinds).toEqual(["bearer"]);
    // ...unless the client names the ChatGPT account it belongs to.
    expect(of({ authorization: `Bearer ${claimless}`, "chatgpt-account-id": "acct-2" })).toEqual({
      kinds: ["chatgpt"],
      chatgptAccountId: "acct-2",
    });
  });

  test("an OpenAI key with a ChatGPT account header is two credentials, not one", () => {
    expect(of({ authorization: "Bearer sk-proj-1", "chatgpt-account-id": "a" }).kinds).toEqual([
      "openai-key",
      "chatgpt",
    ]);
  });

  test("a Google key is the key query parameter exactly, not one that ends in key", () => {
    expect(of({}, "alt=sse&key=AIza1").kinds).toEqual(["google-key"]);
    expect(of({}, "monkey=1&keys=2").kinds).toEqual([]);
  });
});

describe("the sign-in label the ledger keeps", () => {
  test("names the kind and a ChatGPT plan, never anything else from the token", () => {
    const label = (headers: Record<string, string>) => authLabel(of(headers));
    expect(label({ authorization: `Bearer ${chatgptToken("a", "s", "Pro")}` })).toBe("chatgpt:pro");
    // A plan claim that is not a plain word is dropped, not copied into stats.
    expect(label({ authorization: `Bearer ${chatgptToken("a", "s", "<script>")}` })).toBe(
      "chatgpt",
    );
    expect(label({ authorization: "Bearer sk-ant-oat01-x" })).toBe("claude-oauth");
    expect(label({ "x-api-key": "sk-ant-api03-x" })).toBe("api-key");
    expect(label({ authorization: "Bearer ya29.x" })).toBe("google-oauth");
    expect(label({ authorization: "Bearer gateway-token" })).toBe("bearer");
    expect(label({})).toBeNull();
  });
});
