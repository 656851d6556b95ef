/**
 * Writing the Prometheus text exposition format (version 0.0.4): families of samples with their
 * HELP and TYPE lines, and fixed-bucket histograms.
 * @module
 */

import type { Aggregate, Counters, Histogram } from "./aggregate.ts";

/** A sample's labels, by name. */
export type Labels = Record<string, string>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
}

function number(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e9) / 1e9);
}

/** The exposition's lines, family by family. */
export class Exposition {
  readonly lines: string[] = [];

  /** A family named by Prometheus conventions: a counter's samples get their `_total` suffix. */
  family(
    name: string,
    type: "counter" | "gauge" | "histogram",
    help: string,
    samples: [Labels, number][],
  ): void {
    this.exact(type === "counter" ? `${name}_total` : name, type, help, samples);
  }

  /** A family whose samples carry exactly the given name (names fixed by another exporter). */
  exact(
    name: string,
    type: "counter" | "gauge" | "histogram",
    help: string,
    samples: [Labels, number][],
  ): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples)
      this.lines.push(`${name}${labelText(labels)} ${number(value)}`);
  }

  histogram(name: string, help: string, histogram: Histogram): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    for (const [i, bound] of histogram.bounds.entries()) {
      this.lines.push(`${name}_bucket{le="${number(bound)}"} ${histogram.counts[i]}`);
    }
    this.lines.push(
      `${name}_bucket{le="+Inf"} ${histogram.count}`,
      `${name}_sum ${number(histogram.sum)}`,
      `${name}_count ${histogram.count}`,
    );
  }

  /** The whole text, newline-terminated. */
  text(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

/** One sample per slice of a dimension, labelled with the slice's name. */
export function byName(
  aggregate: Aggregate,
  dimension: string,
  label: string,
  field: (c: Counters) => number,
): [Labels, number][] {
  return [...aggregate.dimension(dimension)].map(([name, c]) => [{ [label]: name }, field(c)]);
}

/**
 * `text` with one more label on every sample (a replica's name, so Prometheus can sum a team's
 * replicas and still tell them apart).
 */
export function withLabel(text: string, name: string, value: string): string {
  const label = `${name}="${escapeLabel(value)}"`;
  return text
    .split("\n")
    .map((line) => {
      if (line === "" || line.startsWith("#")) return line;
      const space = line.indexOf(" ");
      const brace = line.indexOf("{");
      if (brace !== -1 && brace < space)
        return `${line.slice(0, brace + 1)}${label},${line.slice(brace + 1)}`;
      return `${line.slice(0, space)}{${label}}${line.slice(space)}`;
    })
    .join("\n");
}
