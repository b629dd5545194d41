#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (or those named: npm run bench -- rig analysis), each in its
// own process, then prints one table of all figures from bench/results/*.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')));

let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file}`);
  const run = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.log(`### ${file} FAILED (exit ${run.status ?? run.signal})`);
  }
}

console.log('\n# All benchmark figures');
const rows = [];
for (const file of benches) {
  const path = join(here, 'results', file.replace('.bench.ts', '.json'));
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const r of report.rows)
    rows.push({
      bench: report.name,
      metric: r.metric,
      value: r.value,
      unit: r.unit,
      target: r.target ?? '',
      pass: r.pass ?? '',
    });
}
console.table(rows);
process.exit(failed ? 1 : 0);
