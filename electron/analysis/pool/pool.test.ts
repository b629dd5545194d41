// The worker pool with real worker threads, real X3P files and real OpenCV in each worker.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { createAnalysisPool } from './pool.ts';

const fadul = (name: string) => ({ path: sharedDataPath('fadul', `fadul_${name}.x3p`) });
const pool = createAnalysisPool({ size: 2 });
afterAll(() => pool.close());

describe('analysis pool', () => {
  it('compares two files in a worker and records the preprocessing', async () => {
    const { result, preprocessing } = await pool.compare(fadul('1-1'), fadul('1-2'));
    expect(result.cmc.combined).toBeGreaterThanOrEqual(12);
    expect(result.directions[0].cells.length).toBeGreaterThan(10);
    expect(preprocessing.a?.params.longCutoff).toBe(250e-6);
    expect(preprocessing.a?.report).toMatchObject({ outputSize: [545, 545] });
  });

  it('scores a batch with progress, reporting a bad file in its own outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-pool-'));
    const broken = join(dir, 'broken.x3p');
    writeFileSync(broken, 'not a zip');
    const progress: number[] = [];
    const outcomes = await pool.scorePairs(
      [
        { a: fadul('1-1'), b: fadul('2-1') },
        { a: { path: broken }, b: fadul('1-1') },
        { a: fadul('1-2'), b: fadul('2-1') },
      ],
      { onProgress: (p) => progress.push(p.done) },
    );
    expect(progress.sort()).toEqual([1, 2, 3]);
    expect(outcomes[0].result?.cmc.combined).toBeLessThanOrEqual(2);
    expect(outcomes[0].result?.directions[0].cells).toEqual([]); // summary only for batches
    expect(outcomes[1].error?.code).toBe('invalid_input');
    expect(outcomes[1].error?.message).toMatch(/zip/i);
    expect(outcomes[2].result).toBeDefined();
  });

  it('cancels a batch quickly with a clear error, and keeps working afterwards', async () => {
    const controller = new AbortController();
    const names = ['3-1', '3-2', '4-1', '4-2', '5-1', '5-2', '6-1', '6-2'];
    const pairs = names.flatMap((a, i) => names.slice(i + 1).map((b) => ({ a: fadul(a), b: fadul(b) })));
    let done = 0;
    const started = performance.now();
    const run = pool.scorePairs(pairs, {
      signal: controller.signal,
      onProgress: () => {
        if (++done === 2) controller.abort(new Error('user pressed stop'));
      },
    });
    await expect(run).rejects.toMatchObject({
      code: 'canceled',
      message: expect.stringMatching(/canceled after \d+ of 28 pairs/),
    });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(done).toBeLessThan(8);
    const again = await pool.compare(fadul('1-1'), fadul('1-2'), { summaryOnly: true });
    expect(again.result.cmc.combined).toBeGreaterThanOrEqual(12);
  });

  it('refuses an already aborted signal and a closed pool', async () => {
    await expect(pool.compare(fadul('1-1'), fadul('1-2'), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'canceled',
    });
    const other = createAnalysisPool({ size: 1 });
    await other.close();
    await expect(other.compare(fadul('1-1'), fadul('1-2'))).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('says when every thread has started, and not before; a closed pool refuses', async () => {
    await pool.ready(); // the real threads: OpenCV loaded in both
    // Threads that never finish starting: ready() waits, and closing the pool ends the wait with a clear error.
    const dir = mkdtempSync(join(tmpdir(), 'casebench-pool-'));
    const silent = join(dir, 'silent.worker.mjs');
    writeFileSync(silent, 'setInterval(() => {}, 1000);\n');
    const stuck = createAnalysisPool({ size: 2, workerUrl: pathToFileURL(silent) });
    let settled = false;
    const waiting = stuck.ready().finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    const refused = expect(waiting).rejects.toMatchObject({ code: 'canceled' });
    await stuck.close();
    await refused;
    await expect(stuck.ready()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('says which file is missing', async () => {
    await expect(pool.compare({ path: '/nonexistent/a.x3p' }, fadul('1-2'))).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/a\.x3p/),
    });
  });
});
