// `casebench hub worker` as an operator starts it: bin/casebench.mjs runs the worker with single-threaded GC (its
// analysis threads keep the cores busy; V8's parallel GC helpers would compete with them), as a child that gets the
// wrapper's signals; --parallel-gc keeps V8's default and no child is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../fixtures/sharedData.ts';
import { removeDir, tempDir, until } from '../network/harness.ts';
import { startTestPostgres, type TestPostgres } from './pgHarness.ts';

let dir: string;
let pg: TestPostgres;

beforeAll(() => {
  dir = tempDir('pg-worker-process');
  pg = startTestPostgres();
});
afterAll(() => {
  pg?.destroy();
  removeDir(dir);
});

/** The processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): { pid: number; argv: string[] }[] {
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid)
        found.push({ pid: Number(entry), argv: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0') });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function startWorker(extra: string[]) {
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/node'),
    [
      join(repoRoot, 'bin/casebench.mjs'),
      'hub',
      'worker',
      '--db',
      pg.url,
      '--data',
      dir,
      '--analysis-workers',
      '1',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await until(() => out.includes('started'), 'the worker to start', 120_000);
  return { child, exited, output: () => out };
}

describe('hub worker process', { timeout: 240_000 }, () => {
  it('runs with single-threaded GC as a child of the command, and stops when the command is stopped', async () => {
    const worker = await startWorker([]);
    const [inner] = childrenOf(worker.child.pid!);
    expect(inner?.argv).toContain('--single-threaded-gc');
    expect(inner?.argv.slice(-8)).toContain('worker');
    worker.child.kill('SIGINT');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/hub worker: stopped; jobs done 0/);
    // The worker itself is gone, not left running by a wrapper that exited first (a child outliving its parent would
    // be handed to init, so the wrapper's children cannot show it: the worker's own pid must be).
    expect(existsSync(`/proc/${inner!.pid}`)).toBe(false);
  });

  it('keeps V8 parallel GC with --parallel-gc: the command is the worker itself', async () => {
    const worker = await startWorker(['--parallel-gc']);
    expect(childrenOf(worker.child.pid!).filter((c) => c.argv.includes('--single-threaded-gc'))).toEqual([]);
    worker.child.kill('SIGINT');
    expect(await worker.exited).toBe(0);
  });
});
