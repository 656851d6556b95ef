/**
 * A real redis-server on 127.0.0.1 for the tests of the shared stores: a free port, its data
 * saved to its own directory only when it is stopped, so a restart on the same port plays an
 * outage that keeps what Redis held (as a persisted production Redis does).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A free TCP port on 127.0.0.1 (bound, then released). */
function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** A redis-server process the test owns. */
export class RedisServer {
  readonly port = freePort();
  readonly dir = mkdtempSync(join(tmpdir(), "headroom-redis-"));
  #process: ReturnType<typeof Bun.spawn> | undefined;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it and waits until it answers PING. */
  async start(): Promise<void> {
    this.#process = Bun.spawn(
      ["redis-server", "--port", String(this.port), "--bind", "127.0.0.1", "--save", ""],
      { cwd: this.dir, stdout: "ignore", stderr: "ignore" },
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (this.cli("PING").trim() === "PONG") return;
      await Bun.sleep(50);
    }
    throw new Error("redis-server did not start");
  }

  /** Stops it, saving what it holds for the next start. */
  async stop(): Promise<void> {
    this.cli("SHUTDOWN", "SAVE");
    await this.#process?.exited;
    this.#process = undefined;
  }

  /** Kills it at the end of a test. */
  async kill(): Promise<void> {
    this.#process?.kill("SIGKILL");
    await this.#process?.exited;
    this.#process = undefined;
  }

  /** Runs one redis-cli command and returns its output. */
  cli(...args: string[]): string {
    const run = Bun.spawnSync(["redis-cli", "-p", String(this.port), ...args]);
    return run.stdout.toString();
  }
}
