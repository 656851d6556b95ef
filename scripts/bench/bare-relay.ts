/**
 * The floor: the smallest Bun.serve → fetch relay that streams bodies through, with none of
 * headroom's work. Usage: bun bare-relay.ts UPSTREAM_URL. Prints its URL on stdout.
 */

const upstream = process.argv[2]!;
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 0,
  async fetch(request) {
    const url = new URL(request.url);
    const res = await fetch(`${upstream}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body: await request.arrayBuffer(),
    });
    const headers = new Headers(res.headers);
    headers.delete("content-encoding");
    headers.delete("content-length");
    return new Response(res.body, { status: res.status, headers });
  },
});
console.log(`http://127.0.0.1:${server.port}`);
