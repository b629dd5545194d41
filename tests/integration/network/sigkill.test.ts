// A station killed with SIGKILL in the middle of an upload loses nothing and sends nothing twice.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../fixtures/sharedData.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import {
  deliveredExactlyOnce,
  enqueue,
  makeArtifact,
  openStation,
  submissionInput,
  tempDir,
  withTimeout,
  type TestPki,
  withTestHub,
} from './harness.ts';

let pki: TestPki;
let hub: Hub;
withTestHub('net-kill', (made) => ({ pki, hub } = made));

/** Runs the station process until it has sent `killAfterBytes` of some job, then SIGKILLs it. */
function runAndKill(stationDir: string, killAfterBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(repoRoot, 'node_modules/.bin/node'),
      [join(repoRoot, 'tests/integration/network/stationProcess.ts'), pki.dir, hub.url, stationDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const sent = [...output.matchAll(/^progress \d+ (\d+)$/gm)].map((m) => Number(m[1]));
      if (!killed && sent.some((n) => n >= killAfterBytes)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(output) : reject(new Error(`station exited on its own: ${output}`)),
    );
    setTimeout(() => {
      if (!killed) child.kill('SIGKILL');
    }, 20_000);
  });
}

describe('station SIGKILLed mid-upload', () => {
  it('resumes from the hub offset after restart; every submission arrives once, byte-identical', async () => {
    const stationDir = tempDir('st-kill');
    const setup = openStation(pki, pki.lab1, hub.url, stationDir);
    const jobs = [0, 1, 2, 3].map((i) =>
      enqueue(setup, submissionInput(`KILL-${i % 2}`, `EXH-${i}`, [makeArtifact(stationDir, 300_000 + i)])),
    );
    await setup.close();

    const firstRun = await runAndKill(stationDir, 150_000);
    expect(firstRun).toMatch(/^progress/m);

    const station = openStation(pki, pki.lab1, hub.url, stationDir);
    try {
      const interrupted = jobs.map((j) => station.worker.store.get(j.id)!);
      expect(interrupted.some((j) => j.running)).toBe(true); // held by the killed process…
      expect(interrupted.some((j) => j.state === 'uploading')).toBe(true);
      station.worker.start(); // …and released at start-up
      await withTimeout(station.worker.drained(), 30_000, 'drain after the kill');
      const result = await deliveredExactlyOnce(hub, station);
      expect(result.problems).toEqual([]);
      expect(result.delivered).toBe(4);
    } finally {
      await station.close();
    }
  });
});
