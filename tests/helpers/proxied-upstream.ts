/**
 * The usual set-up of a socket test file: the app served on 127.0.0.1 in front of a fresh fake
 * upstream, both stopped after the file, and every test starting with no recorded upstream
 * requests and no exchanges.
 */

import { afterAll, beforeEach } from "bun:test";
import { FakeUpstream } from "./fake-upstream.ts";
import { type BuildOptions, serveApp } from "./proxy.ts";

/** Serves the app in front of a new FakeUpstream for the current test file. */
export function proxiedUpstream(
  options: Omit<BuildOptions, "upstream"> & Omit<Parameters<typeof serveApp>[0], "upstream"> = {},
) {
  const upstream = new FakeUpstream();
  const proxy = serveApp({ ...options, upstream: upstream.url });
  afterAll(async () => {
    await proxy.stop();
    upstream.stop();
  });
  beforeEach(() => {
    upstream.reset();
    proxy.exchanges.length = 0;
  });
  return { upstream, proxy };
}
