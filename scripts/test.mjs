#!/usr/bin/env node
// `npm test`: every check a change must pass, in order of speed, with one summary line at the end.
// Steps: typecheck, lint, format (Prettier, `npm run format` fixes it), unit + integration tests (vitest), build,
// desktop package check, end-to-end tests in Chromium.
import { spawnSync } from 'node:child_process';

const steps = [
  { name: 'typecheck', cmd: ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: ['npx', 'eslint', '.'] },
  { name: 'format', cmd: ['npx', 'prettier', '--check', '--log-level', 'warn', '**/*.{ts,tsx,js,mjs}'] },
  { name: 'unit+integration', cmd: ['npx', 'vitest', 'run'] },
  { name: 'build', cmd: ['npx', 'electron-vite', 'build'] },
  // The desktop package laid out by electron-builder around a stand-in Electron, and checked (about 10-20 s).
  { name: 'package', cmd: ['node', 'scripts/packageCheck.mjs'] },
  { name: 'e2e', cmd: ['node', 'scripts/e2e.mjs'] },
];

const only = process.argv.slice(2);
const results = [];
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  const started = Date.now();
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const run = spawnSync(step.cmd[0], step.cmd.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const ok = run.status === 0;
  results.push({ name: step.name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  console.log(
    `=== ${step.name}: ${ok ? 'passed' : `FAILED (exit ${run.status ?? run.signal})`} in ${results.at(-1).seconds} s`,
  );
}

console.log('\nSummary:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
