/**
 * Reads compiler and linter diagnostics into records: tsc (plain `file(l,c): error TSxxxx: msg`
 * and `--pretty` with code frames), eslint (stylish and unix formats), biome (`lint`/`check`,
 * with code frames, hints and suggested fixes), gcc/clang, rustc/cargo, mypy and flake8 (and the
 * linters that print its "file:line:col: CODE message" form: pycodestyle, pyflakes, ruff). Each record says which lines it spans, so the
 * caller can replace them and keep every other line (summaries, program output) as printed.
 * Lines must be free of colour codes; every regex is anchored and works on a capped line.
 * @module
 */

/** One diagnostic. */
export interface Diagnostic {
  readonly file: string;
  /** "12:5", or "" when the tool names only the file (biome's format check). */
  readonly place: string;
  readonly severity: string;
  /** TS2345, no-var, lint/style/useTemplate, format. */
  readonly code: string;
  /** The message: its first line, then any continuation lines (tsc's elaboration). */
  readonly message: readonly string[];
  /** What follows the message: code frame, hints, suggested fix (tsc --pretty and biome). */
  readonly frame: readonly string[];
}

/** What parsing found: the records, and which lines they own or the tool printed redundantly. */
export interface ParsedDiagnostics {
  readonly dialect: string;
  readonly diagnostics: Diagnostic[];
  /** Per line: the index of the diagnostic that owns it, -1 for a line to keep, -2 to drop. */
  readonly owner: Int32Array;
}

/** Lines longer than this are never diagnostic headers. */
const MAX_HEADER = 2000;
const KEEP = -1;
const DROP = -2;

const TSC_PLAIN = /^(\S.*?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const TSC_PRETTY = /^(\S.*?):(\d+):(\d+) - (error|warning|message) (TS\d+): (.*)$/;
const TSC_FOUND = /^Found \d+ errors?\b/;
const TSC_FILES_TABLE_HEADER = /^Errors {2}Files$/;
const TSC_FILES_TABLE_ROW = /^ +\d+ {2}\S/;
const ESLINT_UNIX_HEAD = /^(\S.*?):(\d+):(\d+): /;
const ESLINT_UNIX_TAIL = /^ \[(Error|Warning)\/([^\]\s]+)\]$/;
const ESLINT_STYLISH = /^ +(\d+):(\d+) +(error|warning) +(.+)$/;
const BIOME_HEADER = /^(\S+?)(?::(\d+):(\d+))? ([a-zA-Z][\w/-]*)(?: {2}FIXABLE)? {1,2}━{3,}$/;
const BIOME_MESSAGE = /^ {2}([×!i]) (.+)$/;
const GCC_HEADER =
  /^(\S.*?):(\d+):(\d+): (warning|error|fatal error): (.*?)(?: \[(-W[^\]\s]*|-Werror[^\]\s]*)\])?$/;
const GCC_NOTE = /^\S.*?:\d+:\d+: note: /;
const GCC_CONTEXT =
  /^(?:\S.*?: (?:In (?:function|member function|constructor|destructor|static function|lambda function|instantiation of) .*:|At (?:top level|global scope):)|In file included from \S.*[:,]|\s+from \S.*[:,])$/;
const RUSTC_HEADER = /^(warning|error)(?:\[(E\d{4})\])?: (.+)$/;
const RUSTC_LOCATION = /^ *--> (\S.*?):(\d+):(\d+)$/;
const MYPY_HEADER = /^(\S.*?):(\d+)(?::(\d+))?: (error|warning): (.*?)(?: {2}\[([\w-]+)\])?$/;
const MYPY_CODE_SUFFIX = / {2}\[[\w-]+\]$/;
const MYPY_NOTE = /^\S.*?:\d+(?::\d+)?: note: /;
const FLAKE8 = /^(\S.*?):(\d+):(\d+): ([A-Z]{1,3}\d{2,4}) (.*)$/;
const BIOME_END =
  /^(?:Checked \d+ files?|Found \d+ (?:errors?|warnings?|infos?)|The number of diagnostics exceeds|Diagnostics not shown|Skipped \d+|(?:lint|check|format|ci) ━)/;

/** Lines read to pick the dialect before the whole text is parsed in it. */
const DIALECT_SAMPLE_LINES = 400;

/** Parses `lines` in the dialect that finds the most diagnostics in the first lines, if any. */
export function parseDiagnostics(lines: readonly string[]): ParsedDiagnostics | undefined {
  const sample = lines.length > DIALECT_SAMPLE_LINES ? lines.slice(0, DIALECT_SAMPLE_LINES) : lines;
  let best: [string, Parser] | undefined;
  let bestCount = 0;
  for (const entry of PARSERS) {
    const count = entry[1](sample).length;
    if (count > bestCount) {
      best = entry;
      bestCount = count;
    }
  }
  if (best === undefined) return undefined;
  const parsed = best[1](lines);
  return { dialect: best[0], diagnostics: parsed.diagnostics, owner: parsed.owner };
}

interface Parsed {
  readonly length: number;
  readonly diagnostics: Diagnostic[];
  readonly owner: Int32Array;
}

type Parser = (lines: readonly string[]) => Parsed;

const PARSERS: ReadonlyArray<[string, Parser]> = [
  ["tsc", parseTscPlain],
  ["tsc-pretty", parseTscPretty],
  ["eslint-unix", parseEslintUnix],
  ["eslint", parseEslintStylish],
  ["biome", parseBiome],
  ["gcc", parseGcc],
  ["rustc", parseRustc],
  ["mypy", parseMypy],
  ["flake8", parseFlake8],
];

function header(line: string, pattern: RegExp): RegExpExecArray | null {
  return line.length > MAX_HEADER ? null : pattern.exec(line);
}

function isContinuation(line: string): boolean {
  return line.startsWith("  ") && line.trim() !== "";
}

/** tsc without --pretty: a header line, then its indented elaboration lines. */
function parseTscPlain(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, TSC_PLAIN);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const message = [m[6]!];
    while (i + 1 < lines.length && isContinuation(lines[i + 1]!)) {
      message.push(lines[++i]!.trimEnd());
      owner[i] = index;
    }
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity: m[4]!,
      code: m[5]!,
      message,
      frame: [],
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * tsc --pretty: header, elaboration, a blank line, the code frame; the closing per-file table
 * repeats what the records say and is dropped.
 */
function parseTscPretty(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inTable) {
      if (TSC_FILES_TABLE_ROW.test(line)) {
        owner[i] = DROP;
        continue;
      }
      inTable = false;
    }
    if (TSC_FILES_TABLE_HEADER.test(line)) {
      inTable = true;
      owner[i] = DROP;
      continue;
    }
    const m = header(line, TSC_PRETTY);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const message = [m[6]!];
    while (i + 1 < lines.length && isContinuation(lines[i + 1]!)) {
      message.push(lines[++i]!.trimEnd());
      owner[i] = index;
    }
    const frame: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (header(next, TSC_PRETTY) || TSC_FOUND.test(next) || TSC_FILES_TABLE_HEADER.test(next)) {
        break;
      }
      i++;
      owner[i] = index;
      if (next.trim() !== "") frame.push(next);
    }
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity: m[4]!,
      code: m[5]!,
      message,
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/** eslint -f unix: "path:line:col: message [Error/rule]". */
function parseEslintUnix(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // The tail is found by position, so no regex has to backtrack over the message.
    const bracket = line.endsWith("]") ? line.lastIndexOf(" [") : -1;
    if (bracket < 0) continue;
    const tail = ESLINT_UNIX_TAIL.exec(line.slice(bracket));
    const head = tail ? header(line, ESLINT_UNIX_HEAD) : null;
    if (!tail || !head) continue;
    owner[i] = out.length;
    out.push({
      file: head[1]!,
      place: `${head[2]}:${head[3]}`,
      severity: tail[1]!.toLowerCase(),
      code: tail[2]!,
      message: [line.slice(head[0].length, bracket)],
      frame: [],
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * eslint's default (stylish) format: a file's path on its own line, then "  line:col  severity
 * message  rule" rows, then a blank line. The rule is the last run after two spaces.
 */
function parseEslintStylish(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  let file: string | undefined;
  let fileLine = -1;
  let rows = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = file === undefined ? null : header(line, ESLINT_STYLISH);
    if (m) {
      owner[i] = out.length;
      if (rows === 0) owner[fileLine] = out.length;
      rows++;
      const rest = m[4]!.trimEnd();
      const cut = rest.lastIndexOf("  ");
      const rule = cut >= 0 ? rest.slice(cut + 2).trim() : "";
      const hasRule = rule !== "" && !rule.includes(" ");
      out.push({
        file: file!,
        place: `${m[1]}:${m[2]}`,
        severity: m[3]!,
        code: hasRule ? rule : "",
        message: [hasRule ? rest.slice(0, cut).trimEnd() : rest],
        frame: [],
      });
      continue;
    }
    if (line.trim() === "") {
      // The blank line that closes a file's rows goes with them.
      if (file !== undefined && rows > 0) owner[i] = DROP;
      file = undefined;
      continue;
    }
    const isPath = !line.startsWith(" ") && !line.includes("  ") && line.length < 500;
    file = isPath ? line.trimEnd() : undefined;
    fileLine = i;
    rows = 0;
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * biome: "path:line:col category [FIXABLE] ━━━", then an indented body (message, code frame,
 * hints, suggested fix) up to the next header or the closing summary.
 */
function parseBiome(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, BIOME_HEADER);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const body: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      if (header(next, BIOME_HEADER) || BIOME_END.test(next)) break;
      i++;
      owner[i] = index;
      body.push(next);
    }
    let severity = "error";
    let message = "";
    let messageAt = -1;
    for (let k = 0; k < body.length; k++) {
      const msg = BIOME_MESSAGE.exec(body[k]!);
      if (msg) {
        severity = msg[1] === "×" ? "error" : msg[1] === "!" ? "warning" : "info";
        message = msg[2]!;
        messageAt = k;
        break;
      }
    }
    const frame = body.filter((line, k) => k !== messageAt && line.trim() !== "");
    out.push({
      file: m[1]!,
      place: m[2] ? `${m[2]}:${m[3]}` : "",
      severity,
      code: m[4]!,
      message: [message],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * gcc and clang: "file:line:col: warning: message [-Wflag]", then the code frame (indented
 * lines, "  12 |   code", "     |   ^~~") and any "note:" lines about it. The "In function 'f':"
 * and "In file included from" lines before a diagnostic are its context and go with it.
 */
function parseGcc(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  let context: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length <= MAX_HEADER && GCC_CONTEXT.test(line)) {
      context.push(i);
      continue;
    }
    const m = header(line, GCC_HEADER);
    // "message  [code]" is mypy's form (read by its own parser), never gcc's "[-Wflag]".
    if (!m || MYPY_CODE_SUFFIX.test(m[5]!)) {
      context = [];
      continue;
    }
    const index = out.length;
    const frame: string[] = [];
    for (const c of context) {
      owner[c] = index;
      frame.push(lines[c]!);
    }
    context = [];
    owner[i] = index;
    while (i + 1 < lines.length) {
      const next = lines[i + 1]!;
      const framed = next.startsWith(" ") && next.trim() !== "";
      if (!framed && !(next.length <= MAX_HEADER && GCC_NOTE.test(next))) break;
      i++;
      owner[i] = index;
      frame.push(next);
    }
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity: m[4]!,
      code: m[6] ?? "",
      message: [m[5]!],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/**
 * rustc (and cargo): "warning: message" or "error[E0425]: message", then " --> file:line:col",
 * then the code frame, help and notes up to the blank line that ends it.
 */
function parseRustc(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = header(lines[i]!, RUSTC_HEADER);
    const at = m ? header(lines[i + 1]!, RUSTC_LOCATION) : null;
    if (!m || !at) continue;
    const index = out.length;
    owner[i] = index;
    owner[++i] = index;
    const frame: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== "") {
      i++;
      owner[i] = index;
      frame.push(lines[i]!);
    }
    out.push({
      file: at[1]!,
      place: `${at[2]}:${at[3]}`,
      severity: m[1]!,
      code: m[2] ?? "",
      message: [m[3]!],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/** mypy: "file:line[:col]: error: message  [code]", and "note:" lines about it that follow. */
function parseMypy(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, MYPY_HEADER);
    if (!m) continue;
    const index = out.length;
    owner[i] = index;
    const frame: string[] = [];
    while (
      i + 1 < lines.length &&
      lines[i + 1]!.length <= MAX_HEADER &&
      MYPY_NOTE.test(lines[i + 1]!)
    ) {
      owner[++i] = index;
      frame.push(lines[i]!);
    }
    out.push({
      file: m[1]!,
      place: m[3] ? `${m[2]}:${m[3]}` : m[2]!,
      severity: m[4]!,
      code: m[6] ?? "",
      message: [m[5]!],
      frame,
    });
  }
  return { length: out.length, diagnostics: out, owner };
}

/** flake8, pycodestyle, pyflakes, ruff's concise form: "file:line:col: E501 message". */
function parseFlake8(lines: readonly string[]): Parsed {
  const owner = new Int32Array(lines.length).fill(KEEP);
  const out: Diagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = header(lines[i]!, FLAKE8);
    if (!m) continue;
    owner[i] = out.length;
    const code = m[4]!;
    const severity = code.startsWith("E") || code.startsWith("F") ? "error" : "warning";
    out.push({
      file: m[1]!,
      place: `${m[2]}:${m[3]}`,
      severity,
      code,
      message: [m[5]!],
      frame: [],
    });
  }
  return { length: out.length, diagnostics: out, owner };
}
