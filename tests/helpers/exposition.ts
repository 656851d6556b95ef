/**
 * Reading a Prometheus exposition the way the compatibility suites do: its samples, types and
 * help texts; the metric names a PromQL query reads; and evaluating queries with promtool's own
 * engine over scraped samples (each must select at least one series).
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One of the original's families, as metric-names.json lists it. */
export interface Family {
  name: string;
  type: "counter" | "gauge";
  labels: string[];
  measured: "yes" | "nan" | "no";
}
/** The original's families and dashboard queries (tests/fixtures/original-interface). */
export const ORIGINAL_METRICS = JSON.parse(
  readFileSync(join(import.meta.dir, "../fixtures/original-interface/metric-names.json"), "utf8"),
) as { families: Family[]; queries: string[] };
const dashboard = JSON.parse(
  readFileSync(join(import.meta.dir, "../../deploy/grafana/headroom.json"), "utf8"),
) as { panels: { title: string; targets: { expr: string }[] }[] };
/** The queries of headroom's own Grafana dashboard (deploy/grafana/headroom.json). */
export const GRAFANA_QUERIES = dashboard.panels.flatMap((panel) =>
  panel.targets.map((target) => target.expr.replaceAll("$__rate_interval", "5m")),
);

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The sample as written, minus its value. */
  series: string;
}
export interface Exposition {
  text: string;
  samples: Sample[];
  types: Map<string, string>;
  helps: Map<string, string>;
}

/** Parses exposition text. */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  for (const line of text.split("\n")) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) (meta[1] === "TYPE" ? types : helps).set(meta[2]!, meta[3]!);
    const sample = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (sample[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[k!] = v!;
    samples.push({
      name: sample[1]!,
      labels,
      value: Number(sample[3]),
      series: `${sample[1]}${sample[2] ?? ""}`,
    });
  }
  return { text, samples, types, helps };
}

/** The value of one series, as written. */
export const value = (exposition: Exposition, series: string) =>
  exposition.samples.find((s) => s.series === series)?.value;
/** The sum of every series of a family. */
export const total = (exposition: Exposition, name: string) =>
  exposition.samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);

/** The metric names a query reads (every metric here starts with one of these prefixes). */
export function metricNames(query: string): string[] {
  return [...query.matchAll(/\b(?:headroom|proxy|wrap)_\w+/g)].map((m) => m[0]);
}

/** promtool, when installed (`npm run setup:test`). */
export const promtool = Bun.which("promtool");

/**
 * Evaluates queries with `promtool test rules`: each is an alert on `absent(<query>)` that must
 * not fire over the scraped samples, so a query selecting nothing fails with its name.
 */
export function evaluate(
  queries: string[],
  exposition: Exposition,
): { code: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "headroom-promql-"));
  try {
    const rules = queries.map(
      (q, i) => `      - alert: Q${i}\n        expr: ${JSON.stringify(`absent(${q})`)}`,
    );
    writeFileSync(
      join(dir, "rules.yml"),
      `groups:\n  - name: queries\n    rules:\n${rules.join("\n")}\n`,
    );
    // Each counter grows from 0 to its scraped value over ten minutes, so rate() has data.
    const series = exposition.samples.map((s) => {
      const v = Number.isNaN(s.value) ? "NaN" : String(s.value);
      return `      - series: ${JSON.stringify(s.series)}\n        values: "0 ${Array(10).fill(v).join(" ")}"`;
    });
    const tests = queries.map(
      (_, i) => `      - eval_time: 10m\n        alertname: Q${i}\n        exp_alerts: []`,
    );
    writeFileSync(
      join(dir, "test.yml"),
      [
        "rule_files: [rules.yml]",
        "evaluation_interval: 1m",
        "tests:",
        "  - interval: 1m",
        "    input_series:",
        ...series,
        "    alert_rule_test:",
        ...tests,
        "",
      ].join("\n"),
    );
    const run = Bun.spawnSync([promtool!, "test", "rules", "test.yml"], { cwd: dir });
    return { code: run.exitCode, output: run.stdout.toString() + run.stderr.toString() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Where `metrics` departs from the original's families: a missing family or wrong type, a
 * measured one without finite samples or with other label names, an unmeasured one that does
 * not say so in its help text (NaN, or no samples). Empty when every family is as listed.
 */
export function familyProblems(metrics: Exposition): string[] {
  const problems: string[] = [];
  for (const family of ORIGINAL_METRICS.families) {
    const where = `${family.name} (${family.measured})`;
    const type = metrics.types.get(family.name);
    if (type !== family.type) problems.push(`${where}: type ${type}, want ${family.type}`);
    const samples = metrics.samples.filter((s) => s.name === family.name);
    const help = metrics.helps.get(family.name) ?? "";
    const labels = [...family.labels].sort().join(",");
    if (family.measured === "yes") {
      if (samples.length === 0) problems.push(`${where}: no samples`);
      for (const s of samples) {
        if (Object.keys(s.labels).sort().join(",") !== labels)
          problems.push(`${where}: labels ${Object.keys(s.labels)}, want ${labels}`);
        if (!Number.isFinite(s.value)) problems.push(`${where}: value ${s.value}`);
      }
      continue;
    }
    if (!help.startsWith("Not measured by headroom")) problems.push(`${where}: help "${help}"`);
    const values = samples.map((s) => s.value);
    if (family.measured === "nan" && !(values.length === 1 && Number.isNaN(values[0])))
      problems.push(`${where}: values ${values}, want one NaN`);
    if (family.measured === "no" && values.length > 0)
      problems.push(`${where}: values ${values}, want none`);
  }
  return problems;
}
