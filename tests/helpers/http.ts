/**
 * Reads a response body as JSON for assertions. Typed `any` on purpose: tests inspect whatever
 * shape the proxy or provider sent, and the global Response typings disagree between bun-types and
 * @types/node.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export async function json(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}
