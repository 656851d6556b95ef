/**
 * Fake ChatGPT sign-in tokens for tests: unsigned JWTs carrying the claims Codex itself reads
 * (`https://api.openai.com/auth` with the account id and plan, `exp`), so neither Codex nor
 * headroom can tell them from a real sign-in without asking OpenAI, which no test does.
 */

/** Base64url without padding, as JWTs encode their parts. */
function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

/** Far enough ahead that Codex never thinks the token needs refreshing. */
const YEAR_2100 = 4_102_444_800;

/** A JWT for `accountId` on `plan`; `secret` is placed in the subject so tests can trace it. */
export function chatgptToken(accountId: string, secret: string, plan = "plus"): string {
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      sub: `user-${secret}`,
      email: "dev@example.com",
      exp: YEAR_2100,
      "https://api.openai.com/auth": {
        chatgpt_account_id: accountId,
        chatgpt_plan_type: plan,
        chatgpt_user_id: "user-headroom-test",
      },
    }),
  );
  return `${header}.${payload}.${base64url("not-a-signature")}`;
}
