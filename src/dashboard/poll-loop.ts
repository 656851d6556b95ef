/**
 * A polling loop that never overlaps itself and sleeps while the tab is hidden.
 * @module
 */

export interface PollLoop {
  /** Runs the task now, then every `ms` after each run ends, while the tab is visible. */
  readonly start: () => void;
  readonly stop: () => void;
}

export function every(ms: number, task: () => Promise<void>): PollLoop {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  function run(): void {
    clearTimeout(timer);
    if (document.hidden || running) return;
    running = true;
    Promise.resolve()
      .then(task)
      .catch(() => {})
      .then(() => {
        running = false;
        if (!document.hidden) timer = setTimeout(run, ms);
      });
  }
  return { start: run, stop: () => clearTimeout(timer) };
}
