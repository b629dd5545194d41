import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The target, e.g. '< 20 ms'; omitted when the issue names none. */
  target?: string;
  pass?: boolean;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Writes bench/results/<name>.json and prints a short table; every benchmark reports through this. */
export function writeBenchReport(name: string, rows: BenchRow[], details: Record<string, unknown> = {}): void {
  mkdirSync(resultsDir, { recursive: true });
  const report = { name, measuredAt: new Date().toISOString(), machine: machineSummary(), rows, details };
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(report, null, 2));
  console.log(`\n## ${name}`);
  console.table(
    rows.map((r) => ({
      metric: r.metric,
      value: round(r.value),
      unit: r.unit,
      target: r.target ?? '',
      pass: r.pass ?? '',
    })),
  );
}

function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
}

function machineSummary() {
  return { node: process.version, platform: process.platform, arch: process.arch };
}

/** Percentile of an unsorted sample (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}
