/**
 * Line classification for build, test and application logs: what each line is (error, warning,
 * summary, stack frame, progress noise, passing test, ...), from patterns of the common tools.
 * @module
 */

/** What a log line is, as far as keeping it goes. */
export const LineKind = {
  Blank: 0,
  /** Progress and housekeeping: compiling, downloading, bars, npm http, make directories. */
  Noise: 1,
  /** A test that passed, or a test starting. */
  Pass: 2,
  Debug: 3,
  /** Anything else: ordinary output. */
  Info: 4,
  /** Ordinary output that opens a step or section (docker step, gradle task, go RUN, ...). */
  Header: 5,
  /** A stack-trace frame. */
  Trace: 6,
  Warning: 7,
  /** An error, a failure or a crash. */
  Error: 8,
  /** A result or totals line (tests passed/failed, build finished, packages added). */
  Summary: 9,
} as const;

/** One of the LineKind values. */
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/** Only this much of a very long line is examined: verdicts sit near the start. */
const SCAN_CHARS = 2000;

// Timestamps, syslog heads, buildkit step prefixes and bracketed levels, removed before matching
// patterns that are anchored at the start of the message.
const PREFIX =
  /^(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\]?,?\s+|\[?\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\]?\s+|#\d+ (?:\d+\.\d+ )?|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \S+ [^:\s]{1,60}: )/;
const BRACKET_LEVEL = /^\[(?:INFO|WARNING|WARN|ERROR|DEBUG|FATAL|TRACE)\]\s?/;

const SUMMARY =
  /^(?:\d+ (?:passed|failed|skipped|errors?|warnings?|deselected|pass|fail|todo|expect\(\) calls|tests? (?:passed|failed|completed))\b|(?:Test Suites|Test Files|Tests|Snapshots|Time|Duration):\s|(?:Test Files|Tests)\s{2,}\d|Ran all test suites|Ran \d+ tests?\b|test result: |FAIL(?:\s*$| *\t)|OK(?: \(.*\))?$|FAILED \(|BUILD (?:SUCCESSFUL|SUCCESS|FAILED|FAILURE)|Total time:|Finished\s+`?\w+`? (?:profile|\[|target)|(?:added|removed|changed|audited|up to date)\b.*\bpackages?\b|found \d+ vulnerabilit|\d+ vulnerabilit|Done in \d|Found \d+ errors?\b|Packages: [+-]|Successfully (?:built|tagged|installed|compiled)|webpack [\d.]+ compiled|compiled (?:successfully|with \d+)|\d+ (?:warnings?|errors?) generated|warning: `[^`]+` \(.+\) generated|TOTAL\s|Summary:|Tests run: \d+, Failures: \d+, Errors: \d+, Skipped: \d+$|Results :?$|Ran \d+ tests? across|collected \d+ items?|running \d+ tests?$)/;
// pytest's closing rule: "==== 1 failed, 25 passed in 0.42s ====".
const RULED_SUMMARY =
  /\b(?:passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?|no tests ran)\b/;

const PASS =
  /(?:^ok +\t|^PASS$|\bPASSED\b|^(?:✓|✔|√|ok)\s|^PASS\s|^--- PASS:|^=== (?:RUN|PAUSE|CONT|NAME)\s|^test .+ \.\.\. ok$|^\(pass\)|\s+PASSED$|^Tests run: \d+, Failures: 0, Errors: 0, Skipped: \d+, Time elapsed: .* - in |^\S+\.py [.sx]+\s+\[\s*\d+%\]$)/;

const NOISE =
  /^(?:Compiling|Checking|Downloading|Downloaded|Fetching|Fetched|Resolving|Resolved|Installing|Installed|Unpacking|Updating|Locking|Adding|Building|Built|Linking|Preparing|Collecting|Using cached|Requirement already satisfied|Processing|Extracting|Verifying|Pulling|Waiting|Already exists|Pull complete|Digest:|Status: Downloaded|Fresh|Documenting|Packaging|Archiving|Uploading|Uploaded|Copying|Generating|Creating|Removing intermediate container|Running in|---> |Sending build context|Progress: |Packages are hard linked|(?:Get|Hit|Ign):\d+ |Setting up |Selecting previously unselected|Preparing to unpack|Processing triggers|Reading package lists|Building dependency tree|Reading state information|Need to get|After this operation|npm (?:http|info|timing|verb|sill|notice)\b|\[\d+\/\d+\] |\[\s*\d+%\]|make(?:\[\d+\])?: (?:Entering|Leaving) directory|(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|ld|ar|ranlib|nvcc|javac|libtool|mkdir|cp|rm|install|\/usr\/bin\/\S+)\s+-|(?:CC|CXX|LD|AR|AS|GEN|HOSTCC|INSTALL|MODPOST|LINK|CCLD|CPP)\s{2,}\S|asset \S+ |(?:orphan|runtime|cacheable|javascript) modules |modules by path |\.\/\S+ .*\[(?:built|code generated)\]|> (?:Task|Configure|Transform) |Download(?:ing|ed) from |Progress \(\d+\)|DONE \d|CACHED$|(?:sha256:[0-9a-f]+|\[internal\]|resolve |extracting |transferring |exporting |writing image|naming to|load build definition|load \.dockerignore|load metadata)|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\s)/;
const PROGRESS_BAR =
  /[█▓▒░■□━─=#>]{6,}.*\d+(?:\.\d+)?\s?%|\d+(?:\.\d+)?\s?%.*[█▓▒░■□━─=#>]{6,}|^\s*\d+(?:\.\d+)?\s?%\s*$/;
const STRONG_ERROR = /\b(?:error|ERROR|Error)(?:\[|:)|\bFAILED\b|\bfailed\b|\bfatal:/;

const TRACE =
  /^(?:\s+at\s+\S|\s*File ".*", line \d+|\s+\.\.\. \d+ (?:more|common frames omitted)|\s*#\d+\s+0x[0-9a-fA-F]+|\s+\S+\.go:\d+(?: \+0x[0-9a-f]+)?$|\s*\d+: +0x[0-9a-f]+|\s+at \S+:\d+|\s+\d+: \S+::\S|goroutine \d+ \[|created by \S)/;
const GO_FRAME_LOCATION = /^\t\S+\.go:\d+/;
const GO_FRAME_CALL = /^[\w./*()[\]-]+\(.*\)$/;

const NOT_AN_ERROR =
  /\b(?:0|no|zero|without) (?:errors?|failures?|failed)\b|\b(?:errors?|failures?|failed)[:=] ?0\b|\bexit (?:code|status):? 0\b/i;
const ERROR =
  /\b(?:ERROR|Error|error|ERR!?|FATAL|Fatal|fatal|CRITICAL|Critical|PANIC|panic|panicked|SEVERE|EXCEPTION|Exception|Traceback|Segmentation fault|core dumped|Unhandled|Uncaught|undefined reference|No such file or directory|Permission denied|command not found|Cannot find|cannot find|exit code|exited with|non-zero|OOMKilled|CrashLoopBackOff|ImagePullBackOff|ErrImagePull|Errno|FAIL|FAILED|Failed|failed|FAILURE|Failure)\b|[a-z](?:Error|Exception)\b|(?:^|\s)(?:×|✕|✗|✘)\s|\(fail\)|^E {2,}\S|^\s*● (?!Console)/;
const NOT_A_WARNING = /\b(?:0|no|zero|without) warnings?\b|\bwarnings?[:=] ?0\b/i;
const WARNING =
  /\b(?:WARN|WARNING|Warning|warning|warn|DEPRECATED|Deprecated|deprecated)\b|[a-z]Warning\b/;
const DEBUG = /\b(?:DEBUG|Debug|debug|TRACE|Trace|VERBOSE|verbose|verb|silly)\b/;
const INFO_LEVEL = /\b(?:INFO|Info|info|NOTICE|notice)\b/;

const HEADER =
  /^(?:Step \d+\/\d+ :|#\d+ \[[^\]]*\] |> Task :|\[INFO\] --- .* ---$|make(?:\[\d+\])?: Entering directory|\S+: In (?:function|member function|constructor|static function) |=== RUN\s|(?:PASS|FAIL)\s+\S+\.(?:test|spec)\.\w+|\s*Running (?:unittests |tests\/|benches\/|`)|---- \S+ stdout ----|_{3,} .+ _{3,}$|\[INFO\] Running \S|Running \S+Test\b)/;

// Timestamps, logfmt and JSON levels, a bare level word first, glog's I0501 heads. Bracketed
// levels are left out: maven and other build tools print them on every line.
const LOG_RECORD =
  /^(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?\d{2}:\d{2}:\d{2}|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL)\b|[IWEF]\d{4} |\{.*"(?:level|severity|lvl)"|.*\blevel=\w)/;

/** Tells whether a line looks like an application log record (timestamped or levelled). */
export function isLogRecord(line: string): boolean {
  return LOG_RECORD.test(line.slice(0, 200).trimStart());
}

const NON_BLANK = /\S/;

/** Removes a leading timestamp, buildkit step number or bracketed level, for anchored patterns. */
export function stripLogPrefix(line: string): string {
  const head = line.length > SCAN_CHARS ? line.slice(0, SCAN_CHARS) : line;
  const trimmed = head.trimStart();
  const noStamp = trimmed.replace(PREFIX, "");
  return noStamp.replace(BRACKET_LEVEL, "");
}

/** Classifies one line on its own. */
export function classifyLine(line: string): LineKind {
  const head = line.length > SCAN_CHARS ? line.slice(0, SCAN_CHARS) : line;
  if (!NON_BLANK.test(head)) return LineKind.Blank;
  const body = stripLogPrefix(head);
  if (!NON_BLANK.test(body)) return LineKind.Blank;
  const levelHint = jsonLevel(body);
  if (levelHint !== undefined) return levelHint;
  if (SUMMARY.test(body) || isRuledSummary(body)) return LineKind.Summary;
  if (TRACE.test(head)) return LineKind.Trace;
  if (PASS.test(body)) return LineKind.Pass;
  const progress = NOISE.test(body) || (body.includes("%") && PROGRESS_BAR.test(body));
  if (progress && !STRONG_ERROR.test(body)) {
    return LineKind.Noise;
  }
  const leading = head.slice(0, 200);
  if (ERROR.test(head) && !NOT_AN_ERROR.test(head)) return LineKind.Error;
  if (WARNING.test(head) && !NOT_A_WARNING.test(head)) return LineKind.Warning;
  if (HEADER.test(head) || HEADER.test(body)) return LineKind.Header;
  if (DEBUG.test(leading.slice(0, 60)) && !INFO_LEVEL.test(leading.slice(0, 60))) {
    return LineKind.Debug;
  }
  return LineKind.Info;
}

/** Tells whether a line opens a step or section that an error inside it should be shown with. */
export function isSectionHeader(line: string): boolean {
  const head = line.length > SCAN_CHARS ? line.slice(0, SCAN_CHARS) : line;
  return HEADER.test(head);
}

function isRuledSummary(body: string): boolean {
  return (
    body.length > 6 &&
    body.startsWith("=") &&
    body.endsWith("=") &&
    RULED_SUMMARY.test(body) &&
    !/^=+ (?:FAILURES|ERRORS|warnings summary|short test summary info) =+$/.test(body)
  );
}

/** Classifies every line, then fixes what needs a neighbour to tell (Go stack frames). */
export function classifyLines(lines: readonly string[]): LineKind[] {
  const kinds = lines.map(classifyLine);
  for (let i = 0; i + 1 < lines.length; i++) {
    if (kinds[i] === LineKind.Info || kinds[i] === LineKind.Error) {
      const line = lines[i]!;
      if (line.length < 500 && GO_FRAME_LOCATION.test(lines[i + 1]!) && GO_FRAME_CALL.test(line)) {
        kinds[i] = LineKind.Trace;
        kinds[i + 1] = LineKind.Trace;
      }
    }
  }
  return kinds;
}

// JSON-per-line loggers: pino numbers (60 fatal, 50 error, 40 warn, 30 info, 20 debug, 10 trace)
// and the usual string levels.
const JSON_LEVEL = /"(?:level|severity|lvl)"\s*:\s*(?:"([A-Za-z]+)"|(\d+))/;

function jsonLevel(body: string): LineKind | undefined {
  if (body.charCodeAt(0) !== 123) return undefined;
  const match = JSON_LEVEL.exec(body);
  if (!match) return undefined;
  if (match[2] !== undefined) {
    const level = Number(match[2]);
    if (level >= 50) return LineKind.Error;
    if (level >= 40) return LineKind.Warning;
    if (level >= 30) return LineKind.Info;
    return LineKind.Debug;
  }
  const name = match[1]!.toLowerCase();
  if (/^(?:error|err|fatal|critical|crit|alert|emerg|emergency|panic)$/.test(name)) {
    return LineKind.Error;
  }
  if (/^(?:warn|warning)$/.test(name)) return LineKind.Warning;
  if (/^(?:debug|trace|verbose|silly)$/.test(name)) return LineKind.Debug;
  return LineKind.Info;
}
