// Realistic grep / ripgrep outputs, generated deterministically, and what a lossy rewrite of each
// must keep, for the search tests (tests/compress/search-samples.test.ts checks their size).
import { mulberry32 } from "./random.ts";

/**
 * Rebuilds the `path:line:text` lines a grouped rewrite stands for (blank lines dropped): a line
 * followed by `N:` / `N-` rows is a heading; rows are re-prefixed with it; other lines stay.
 */
export function expandGroups(text: string, withoutLineNumbers = false): string[] {
  const out: string[] = [];
  const lines = text.split("\n");
  let heading: string | undefined;
  const row = /^(\d+)([:-])(.*)$/s;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") {
      heading = undefined;
      continue;
    }
    if (heading !== undefined) {
      if (withoutLineNumbers) {
        out.push(`${heading}:${line}`);
        continue;
      }
      const m = row.exec(line);
      if (m) {
        out.push(`${heading}${m[2]}${m[1]}${m[2]}${m[3]}`);
        continue;
      }
      heading = undefined;
    }
    const next = lines[i + 1];
    const startsGroup = withoutLineNumbers
      ? next !== undefined && next !== "" && !line.includes(":")
      : next !== undefined && row.test(next);
    if (startsGroup) {
      heading = line;
      continue;
    }
    out.push(line);
  }
  return out;
}

/** One realistic search output and what its lossy rewrite must keep. */
export interface SearchSample {
  readonly name: string;
  readonly text: string;
  readonly query: string;
  /** Substrings the lossy rewrite must still contain. */
  readonly keep: readonly string[];
  /** The least share of tokens the lossless rewrite must save. */
  readonly minSavedLossless: number;
  /** The least share of tokens the lossy rewrite must save. */
  readonly minSavedLossy: number;
}

const COMPONENTS = [
  "src/components/Header.tsx",
  "src/components/NavBar.tsx",
  "src/components/UserMenu.tsx",
  "src/components/ProtectedRoute.tsx",
  "src/components/LoginForm.tsx",
  "src/components/SignupForm.tsx",
  "src/components/ProfileCard.tsx",
  "src/components/SettingsPanel.tsx",
  "src/pages/Dashboard.tsx",
  "src/pages/Orders.tsx",
  "src/pages/Checkout.tsx",
  "src/pages/Account.tsx",
  "src/pages/Admin.tsx",
  "src/hooks/usePermissions.ts",
  "src/hooks/useSession.ts",
  "src/api/client.ts",
  "src/api/orders.ts",
  "src/context/AuthProvider.tsx",
  "src/components/Header.test.tsx",
  "src/pages/Dashboard.test.tsx",
  "src/pages/Checkout.test.tsx",
  "src/hooks/usePermissions.test.ts",
];

/** `rg -n useAuth` in a React app: imports, calls, one definition, tests, a vendored bundle. */
function rgSymbol(): string {
  const random = mulberry32(3);
  const out: string[] = [];
  out.push("src/hooks/useAuth.ts:1:import { useContext, useMemo } from 'react';");
  out.push("src/hooks/useAuth.ts:2:import { AuthContext } from '../context/AuthProvider';");
  out.push("src/hooks/useAuth.ts:14:export function useAuth(): AuthState {");
  out.push(
    "src/hooks/useAuth.ts:17:    throw new Error('useAuth must be used inside <AuthProvider>');",
  );
  out.push("src/hooks/useAuth.ts:31:export default useAuth;");
  for (const file of COMPONENTS) {
    out.push(
      `${file}:${2 + Math.floor(random() * 6)}:import { useAuth } from '${file.startsWith("src/hooks") ? "./useAuth" : "../hooks/useAuth"}';`,
    );
    const calls = 2 + Math.floor(random() * 9);
    let line = 20;
    for (let c = 0; c < calls; c++) {
      line += 3 + Math.floor(random() * 25);
      const variants = [
        "  const { user, logout } = useAuth();",
        "  const { isAuthenticated } = useAuth();",
        "  const auth = useAuth();",
        "    if (!useAuth().user) return null;",
        "  const { user, token, refresh } = useAuth();",
        `    jest.mock('../hooks/useAuth', () => ({ useAuth: () => mockAuth }));`,
        "  // useAuth() re-renders when the session changes",
      ];
      out.push(`${file}:${line}:${variants[Math.floor(random() * variants.length)]}`);
    }
  }
  out.push(
    'dist/assets/index-4f2a9c1e.js:2:var Qe=function(){return useAuth(Ke)};function useAuth(e){var t=React.useContext(AuthContext);if(!t)throw new Error("useAuth must be used inside <AuthProvider>");return t}',
  );
  return out.join("\n");
}

/** `grep -rn TODO .` across a repository: many files, few hits each. */
function grepTodos(): string {
  const random = mulberry32(5);
  const dirs = [
    "./server/handlers",
    "./server/db",
    "./server/jobs",
    "./web/src/components",
    "./web/src/lib",
    "./cli",
  ];
  const notes = [
    "// TODO: handle pagination",
    "// TODO(alice): remove after the v2 migration",
    "# TODO: retry with backoff instead of failing",
    "// TODO: this leaks a goroutine on cancel",
    "// FIXME: race between close and write",
    "// TODO: validate currency codes",
    "/* TODO: move to config */",
  ];
  const out: string[] = [];
  for (let i = 0; i < 70; i++) {
    const dir = dirs[i % dirs.length]!;
    const file = `${dir}/${["orders", "users", "billing", "auth", "export", "sync", "cache"][i % 7]}_${Math.floor(i / 7)}.${dir.includes("web") ? "ts" : "go"}`;
    const hits = 1 + Math.floor(random() * 3);
    for (let h = 0; h < hits; h++) {
      out.push(
        `${file}:${10 + Math.floor(random() * 400)}:\t${notes[Math.floor(random() * notes.length)]}`,
      );
    }
  }
  return out.join("\n");
}

/** `grep -rn -C2 "retryPolicy"` : matches with context lines and `--` separators. */
function grepContext(): string {
  const out: string[] = [];
  const files = [
    "src/net/http.ts",
    "src/net/ws.ts",
    "src/jobs/queue.ts",
    "src/jobs/worker.ts",
    "src/config.ts",
  ];
  let first = true;
  for (const file of files) {
    for (let k = 0; k < 6; k++) {
      if (!first) out.push("--");
      first = false;
      const n = 20 + k * 40;
      out.push(`${file}-${n - 2}-  const timeoutMs = options.timeoutMs ?? 30_000;`);
      out.push(`${file}-${n - 1}-  let attempt = 0;`);
      out.push(`${file}:${n}:  const policy = options.retryPolicy ?? defaultRetryPolicy;`);
      out.push(`${file}-${n + 1}-  while (attempt < policy.maxAttempts) {`);
      out.push(`${file}-${n + 2}-    attempt += 1;`);
    }
  }
  return out.join("\n");
}

/** `rg --heading -n parseConfig` (ripgrep's terminal layout). */
function rgHeading(): string {
  const out: string[] = [];
  const files = [
    "src/config/parse.rs",
    "src/config/mod.rs",
    "src/main.rs",
    "src/cli/args.rs",
    "tests/config.rs",
  ];
  for (const file of files) {
    if (out.length > 0) out.push("");
    out.push(file);
    for (let k = 0; k < 9; k++) {
      const n = 12 + k * 17;
      out.push(
        k === 0 && file === "src/config/parse.rs"
          ? `${n}:pub fn parse_config(path: &Path) -> Result<Config, ConfigError> {`
          : `${n}:    let cfg = parse_config(&${["path", "args.config", 'dir.join("app.toml")'][k % 3]})?;`,
      );
    }
  }
  return out.join("\n");
}

/** `rg --vimgrep deprecated`: path:line:col:text. */
function rgVimgrep(): string {
  const out: string[] = [];
  for (let f = 0; f < 12; f++) {
    const file = `packages/ui/src/widgets/Widget${f}.tsx`;
    for (let k = 0; k < 7; k++) {
      out.push(
        `${file}:${30 + k * 11}:${5 + (k % 4)}:   * @deprecated use <Button variant="${["primary", "ghost", "link"][k % 3]}"> instead`,
      );
    }
  }
  return out.join("\n");
}

/** `grep -r "DATABASE_URL" .` without line numbers. */
function grepNoLineNumbers(): string {
  const out: string[] = [];
  const files = [
    "./deploy/k8s/api.yaml",
    "./deploy/k8s/worker.yaml",
    "./docker-compose.yml",
    "./server/config.go",
    "./README.md",
  ];
  for (const file of files) {
    for (let k = 0; k < 8; k++) {
      out.push(`${file}:        - name: DATABASE_URL   # replica ${k}`);
    }
  }
  return out.join("\n");
}

/** A hit inside a minified bundle: one enormous line among ordinary ones. */
function rgMinified(): string {
  const random = mulberry32(9);
  let blob = "";
  while (blob.length < 20000) {
    blob += `function f${Math.floor(random() * 1e6)}(a,b){return a.map(function(x){return x*b+${Math.floor(random() * 100)}})};`;
  }
  const out: string[] = [
    `public/vendor/chart.min.js:1:${blob.slice(0, 9000)}renderTooltip(e,t){${blob.slice(9000)}`,
  ];
  for (let k = 0; k < 20; k++)
    out.push(`src/charts/Tooltip${k % 4}.ts:${10 + k}:  renderTooltip(ctx, point${k});`);
  return out.join("\n");
}

/** Every sample. */
export const SEARCH_SAMPLES: readonly SearchSample[] = [
  {
    name: "rg -n useAuth (170 hits, 24 files)",
    text: rgSymbol(),
    query: "where is useAuth defined and why does it throw outside the provider?",
    keep: [
      "14:export function useAuth(): AuthState {",
      "17:    throw new Error('useAuth must be used inside <AuthProvider>');",
      "src/hooks/useAuth.ts",
    ],
    minSavedLossless: 0.2,
    minSavedLossy: 0.6,
  },
  {
    name: "grep -rn TODO (140 hits, 70 files)",
    text: grepTodos(),
    query: "",
    keep: ["./server/handlers/orders_0.go"],
    minSavedLossless: 0.05,
    minSavedLossy: 0.4,
  },
  {
    name: "grep -rn -C2 retryPolicy",
    text: grepContext(),
    query: "retryPolicy default",
    keep: ["src/net/http.ts", "20:  const policy = options.retryPolicy ?? defaultRetryPolicy;"],
    minSavedLossless: 0.3,
    minSavedLossy: 0.55,
  },
  {
    name: "rg --heading parseConfig",
    text: rgHeading(),
    query: "parse_config",
    keep: ["12:pub fn parse_config(path: &Path) -> Result<Config, ConfigError> {"],
    minSavedLossless: 0,
    minSavedLossy: 0.3,
  },
  {
    name: "rg --vimgrep deprecated",
    text: rgVimgrep(),
    query: "",
    keep: ["packages/ui/src/widgets/Widget0.tsx"],
    minSavedLossless: 0.25,
    minSavedLossy: 0.5,
  },
  {
    name: "grep -r without line numbers",
    text: grepNoLineNumbers(),
    query: "",
    keep: ["./docker-compose.yml"],
    minSavedLossless: 0.1,
    minSavedLossy: 0.3,
  },
  {
    name: "rg hit in a minified bundle",
    text: rgMinified(),
    query: "renderTooltip",
    keep: ["renderTooltip(e,t){", "src/charts/Tooltip0.ts"],
    minSavedLossless: 0,
    minSavedLossy: 0.8,
  },
];
