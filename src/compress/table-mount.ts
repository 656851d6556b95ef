/**
 * `mount` output: `DEVICE on MOUNTPOINT type FSTYPE (OPTIONS)`, one line per mount. Runs of
 * three or more consecutive mounts of the same device and type (cgroup controllers, tmpfs, bind
 * mounts of one disk) become a template (device, the mount points' shared directory, type, the
 * options all share) and one short `point: options` line per mount; order is kept because later
 * mounts hide earlier ones. A line repeating an earlier one names only its device and mount
 * point. Other lines stay verbatim.
 * @module
 */

const MOUNT = /^(\S+) on (\S+) type (\S+) \(([^()]*)\)$/;
/** Shorter runs do not pay for their heading. */
const MIN_RUN = 3;

interface Mount {
  readonly line: string;
  readonly device: string;
  readonly point: string;
  readonly type: string;
  readonly options: string;
}

function parse(line: string): Mount | undefined {
  const m = MOUNT.exec(line);
  if (!m) return undefined;
  return { line, device: m[1]!, point: m[2]!, type: m[3]!, options: m[4]! };
}

/** Whether the first lines are `mount` output. */
export function looksLikeMount(lines: readonly string[]): boolean {
  const head = lines.slice(0, 20).filter((line) => line !== "");
  return head.length >= 3 && head.every((line) => MOUNT.test(line));
}

/** The directory (ending in `/`) that every path starts with; "" when it is only the root. */
function sharedDirectory(paths: readonly string[]): string {
  let prefix = paths[0]!;
  for (const path of paths) {
    let n = 0;
    while (n < prefix.length && n < path.length && prefix[n] === path[n]) n++;
    prefix = prefix.slice(0, n);
  }
  const slash = prefix.lastIndexOf("/");
  // Every path must go on past the directory, or one of them would print as empty.
  if (slash <= 0 || paths.some((path) => path.length <= slash + 1)) return "";
  return prefix.slice(0, slash + 1);
}

/** The options (ending in `,`) that every list starts with, when each list goes on past them. */
function sharedOptions(lists: readonly string[]): string {
  const withComma = lists.map((list) => `${list},`);
  let prefix = withComma[0]!;
  for (const list of withComma) {
    let n = 0;
    while (n < prefix.length && n < list.length && prefix[n] === list[n]) n++;
    prefix = prefix.slice(0, n);
  }
  prefix = prefix.slice(0, prefix.lastIndexOf(",") + 1);
  return lists.every((list) => list.length > prefix.length) ? prefix : "";
}

function renderRun(run: readonly Mount[]): string[] {
  const first = run[0]!;
  const dir = sharedDirectory(run.map((m) => m.point));
  const opts = sharedOptions(run.map((m) => m.options));
  return [
    `${run.length} mounts: ${first.device} on ${dir}<point> type ${first.type} (${opts}<options>), as "<point>: <options>":`,
    ...run.map((m) => `  ${m.point.slice(dir.length)}: ${m.options.slice(opts.length)}`),
  ];
}

/** Rewrites `mount` output; undefined when a line is not a mount or nothing changes. */
export function rewriteMount(lines: readonly string[]): string | undefined {
  const mounts: Mount[] = [];
  for (const line of lines) {
    const m = parse(line);
    if (!m) return undefined;
    mounts.push(m);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  let changed = false;
  let i = 0;
  while (i < mounts.length) {
    const m = mounts[i]!;
    let j = i + 1;
    while (j < mounts.length && mounts[j]!.device === m.device && mounts[j]!.type === m.type) j++;
    if (j - i >= MIN_RUN) {
      out.push(...renderRun(mounts.slice(i, j)));
      changed = true;
    } else {
      for (let k = i; k < j; k++) {
        const { line, device, point } = mounts[k]!;
        // The same mount stacked again later (a container's /dev/pts, /dev/shm).
        if (seen.has(line)) out.push(`${device} on ${point} again, same type and options`);
        else out.push(line);
        changed ||= seen.has(line);
      }
    }
    for (let k = i; k < j; k++) seen.add(mounts[k]!.line);
    i = j;
  }
  return changed ? out.join("\n") : undefined;
}
