// `casebench hub worker` as an operator starts it: bin/casebench.mjs runs the worker with single-threaded GC (its
// analysis threads keep the cores busy; V8's parallel GC helpers would compete with them), as a child that gets the
// wrapper's signals; --parallel-gc keeps V8's default and no child is made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../fixtures/sharedData.ts';
import { removeDir, tempDir, until } from '../network/harness.ts';
import { openPostgresPool } from '../../../electron/network/hub/postgres/connect.ts';
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

async function startWorker(extra: string[], options: { ownGroup?: boolean } = {}) {
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
    // ownGroup: the wrapper leads a process group of its own, as a shell's foreground job (a terminal's Ctrl+C
    // signals the whole group: the wrapper and the worker).
    { stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownGroup ?? false },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await until(() => out.includes('started'), 'the worker to start', 120_000);
  const id = /hub worker (\S+) started/.exec(out)![1]!;
  return { child, exited, output: () => out, id };
}

/** Whether the worker still has its heartbeat row (a worker that stopped cleanly retired it). */
const registered = (id: string) =>
  pg.psql(`SELECT count(*) FROM correlation_workers WHERE id = '${id.replace(/'/g, "''")}'`, 'hub').trim() !== '0';

const gone = (pid: number) => !existsSync(`/proc/${pid}`);

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

  it('stops cleanly once when Ctrl+C reaches the wrapper and the worker, twice: exit 0, retired, repeats ignored', async () => {
    const worker = await startWorker([], { ownGroup: true });
    const [inner] = childrenOf(worker.child.pid!);
    expect(registered(worker.id)).toBe(true);
    // The worker's retirement is held up (its heartbeat row locked) so that the second Ctrl+C surely comes while it
    // stops: each press signals the whole group, and the wrapper passes each on too.
    const pool = openPostgresPool(pg.url, { max: 2 });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT id FROM correlation_workers WHERE id = $1 FOR UPDATE', [worker.id]);
      process.kill(-worker.child.pid!, 'SIGINT');
      await until(
        async () =>
          (
            await pool.query(
              `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM correlation_workers%'`,
            )
          ).rowCount === 1,
        'the worker to be retiring',
        60_000,
      );
      process.kill(-worker.child.pid!, 'SIGINT');
      await until(() => worker.output().includes('stopping already'), 'the repeated signal to be noted', 60_000);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/stopping already \(SIGINT ignored; SIGQUIT or SIGKILL forces\)/);
    expect(worker.output()).toMatch(/hub worker: stopped; jobs done 0/);
    expect(registered(worker.id)).toBe(false);
    expect(gone(inner!.pid)).toBe(true);
    await pool.end();
  });

  it('reports a worker killed by a signal as 128 + its number', async () => {
    const worker = await startWorker([]);
    const [inner] = childrenOf(worker.child.pid!);
    process.kill(inner!.pid, 'SIGKILL');
    expect(await worker.exited).toBe(128 + 9);
  });

  it('stops the worker when its wrapper is killed outright, instead of leaving it running as an orphan', async () => {
    const worker = await startWorker([]);
    const [inner] = childrenOf(worker.child.pid!);
    worker.child.kill('SIGKILL');
    await worker.exited;
    try {
      await until(() => gone(inner!.pid), 'the orphaned worker to stop', 120_000);
    } finally {
      if (!gone(inner!.pid)) process.kill(inner!.pid, 'SIGKILL'); // an orphan this test made: not left running
    }
    // It stopped as if told to (not killed): it retired its heartbeat on the way out.
    expect(registered(worker.id)).toBe(false);
  });
});
