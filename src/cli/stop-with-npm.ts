/**
 * Under `npm run proxy` the proxy is npm's child (the script execs it), so a SIGTERM or Ctrl-C
 * given to npm reaches it. An npm that dies without passing anything on (SIGKILL, a crash)
 * would leave the proxy re-parented and holding its port: it notices and stops as on SIGTERM.
 * @module
 */

// How often the parent is looked at: a cheap syscall, off the request path.
const CHECK_MS = 500;

/** Stops this process, as SIGTERM does, once the npm that ran `npm run proxy` has gone. */
export function stopWithNpm(env: Record<string, string | undefined>): void {
  // Only npm's own "proxy" script: a proxy that wrap starts in the background must outlive it.
  if (env.npm_lifecycle_event !== "proxy" || env.npm_package_name !== "headroom") return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
  }, CHECK_MS);
  timer.unref();
}
