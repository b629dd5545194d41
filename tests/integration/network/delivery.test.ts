// The happy path over real HTTPS with mutual TLS: delivery with receipts, resumable chunks, order per case,
// leads across labs, a real X3P scan byte for byte.
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { verify } from 'node:crypto';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import { signingKeyOf } from '../../../electron/network/pki.ts';
import { sha256 } from '../../../electron/network/protocol.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { cmcScorerName } from '../../../electron/network/hub/scorer.ts';
import {
  deliveredExactlyOnce,
  enqueue,
  fadulArtifact,
  makeArtifact,
  openStation,
  submissionInput,
  tempDir,
  until,
  withTimeout,
  type TestPki,
  withTestHub,
} from './harness.ts';
import { X509Certificate } from 'node:crypto';

let pki: TestPki;
let hub: Hub;
withTestHub('net-delivery', (made) => ({ pki, hub } = made));

// CMC on real scans takes seconds, more on a loaded machine.
describe('submission over mutual TLS', { timeout: 120_000 }, () => {
  it('delivers a real X3P scan in chunks, byte-identical, and keeps a receipt signed by the hub', async () => {
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), { chunkBytes: 256 * 1024 });
    try {
      const path = sharedDataPath('fadul', 'fadul_1-1.x3p');
      const bytes = readFileSync(path);
      const x3p = {
        role: 'x3p' as const,
        name: 'fadul_1-1.x3p',
        mediaType: 'application/x3p+zip',
        sha256: sha256(bytes),
        size: statSync(path).size,
        path,
      };
      const job = enqueue(station, submissionInput('2026-0001', 'EXH-1', [x3p]));
      station.worker.start();
      await withTimeout(station.worker.drained(), 20_000, 'drain');
      const done = station.worker.store.get(job.id)!;
      expect(done.state === 'committed' || done.state === 'correlated').toBe(true);
      expect(done.bytesSent).toBe(x3p.size);
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
      expect(hub.artifacts.read(x3p.sha256).equals(bytes)).toBe(true);
      // The receipt verifies with the key in the hub certificate the station stored.
      const hubKey = signingKeyOf(new X509Certificate(done.hubCertificate!).raw);
      expect(
        verify(null, Buffer.from(canonicalJson(done.receipt)), hubKey, Buffer.from(done.receiptSignature!, 'base64')),
      ).toBe(true);
      expect(done.receipt!.artifacts).toEqual([x3p.sha256]);
    } finally {
      await station.close();
    }
  });

  it('sends several artifacts of a job at once: progress ends at the total; an unreadable one rejects the job, uncommitted', async () => {
    const files = tempDir('st');
    const progress: number[] = [];
    const station = openStation(pki, pki.lab1, hub.url, files, {
      chunkBytes: 64 * 1024,
      onEvent: (event) => event.type === 'progress' && progress.push(event.bytesSent),
    });
    try {
      // How many of the job's chunk uploads are in flight at once, at most.
      let inFlight = 0;
      let mostInFlight = 0;
      const putChunk = station.client.putChunk.bind(station.client);
      station.client.putChunk = async (...args) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          return await putChunk(...args);
        } finally {
          inFlight--;
        }
      };
      const artifacts = Array.from({ length: 6 }, (_, i) => makeArtifact(files, 300_000 + i * 1000));
      const whole = enqueue(station, submissionInput('2026-0100', 'EXH-1', artifacts));
      station.worker.start();
      await withTimeout(station.worker.drained(), 20_000, 'drain');
      expect(station.worker.store.get(whole.id)!.state).toMatch(/committed|correlated/);
      // Progress never goes back and ends at exactly the job's bytes, though artifacts finish in any order.
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(whole.bytesTotal);
      expect(mostInFlight).toBeGreaterThanOrEqual(2); // one artifact's answer awaited while another's bytes go
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);

      const broken = Array.from({ length: 6 }, (_, i) => makeArtifact(files, 400_000 + i * 1000));
      const job = enqueue(station, submissionInput('2026-0101', 'EXH-1', broken));
      rmSync(broken[3]!.path);
      station.worker.wake();
      await until(() => station.worker.store.get(job.id)!.state === 'rejected', 'the job rejected');
      const rejected = station.worker.store.get(job.id)!;
      expect(rejected.lastErrorCode).toBe('artifact_unreadable');
      expect(rejected.lastError).toContain(broken[3]!.sha256);
      expect((await hub.records.findByIdempotencyKey(job.idempotencyKey))!.state).toBe('open');
    } finally {
      await station.close();
    }
  });

  it('keeps the order of submissions within a case while cases go in parallel', async () => {
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), { concurrency: 4, chunkBytes: 64 * 1024 });
    try {
      const jobs = [];
      for (let i = 0; i < 4; i++) {
        for (const caseRef of ['ORD-A', 'ORD-B', 'ORD-C'])
          jobs.push(
            enqueue(station, submissionInput(caseRef, `EXH-${i}`, [makeArtifact(station.dir, 100_000 + i * 1000)])),
          );
      }
      station.worker.start();
      await withTimeout(station.worker.drained(), 20_000, 'drain');
      for (const caseRef of ['ORD-A', 'ORD-B', 'ORD-C']) {
        const committed = jobs
          .filter((j) => j.caseRef === caseRef)
          .map((j) => station.worker.store.get(j.id)!.receipt!.committedAt);
        expect(committed).toEqual([...committed].sort());
      }
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
    } finally {
      await station.close();
    }
  });

  it('keeps uploads under the bandwidth limit over all jobs', async () => {
    const limit = 300_000;
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), {
      bandwidthBytesPerSecond: limit,
      chunkBytes: 32 * 1024,
      concurrency: 3,
    });
    try {
      for (const caseRef of ['BW-A', 'BW-B', 'BW-C'])
        enqueue(station, submissionInput(caseRef, 'EXH-1', [makeArtifact(station.dir, 300_000)]));
      const started = performance.now();
      station.worker.start();
      await withTimeout(station.worker.drained(), 20_000, 'drain');
      const seconds = (performance.now() - started) / 1000;
      // 900 kB with a one-second burst of 300 kB: at least 2 s at 300 kB/s, whatever loopback could do.
      expect(seconds).toBeGreaterThan(1.8);
      expect(seconds).toBeLessThan(10);
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
    } finally {
      await station.close();
    }
  });

  it('correlates real scans across labs with CMC: a known match leads with a high count, a known non-match with a low one', async () => {
    const lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st'));
    const lab2 = openStation(pki, pki.lab2, hub.url, tempDir('st'));
    try {
      // Fadul: 1-1 and 1-2 were fired by the same slide (known match); 2-1 by another (known non-match).
      const a = enqueue(lab1, submissionInput('LEAD-1', 'EXH-1', [fadulArtifact('fadul_1-1.x3p')], '.40 S&W'));
      lab1.worker.start();
      await withTimeout(lab1.worker.drained({ leads: true }), 60_000, 'lab 1 drain');
      expect(lab1.worker.store.get(a.id)!.leads).toEqual([]); // nothing from another lab yet
      const match = enqueue(lab2, submissionInput('L2-77', 'Q-3', [fadulArtifact('fadul_1-2.x3p')], '.40 S&W'));
      const nonMatch = enqueue(lab2, submissionInput('L2-79', 'Q-5', [fadulArtifact('fadul_2-1.x3p')], '.40 S&W'));
      const other = enqueue(lab2, submissionInput('L2-78', 'Q-4', [fadulArtifact('fadul_3-1.x3p')], '.45 ACP'));
      const noTopography = enqueue(
        lab2,
        submissionInput('L2-80', 'Q-6', [makeArtifact(lab2.dir, 5000, 'image')], '.40 S&W'),
      );
      // The same topography sent as a firing-pin mark: compared with firing pins only, so never with lab 1's breech face.
      const firingPin = enqueue(lab2, {
        ...submissionInput('L2-81', 'Q-7', [fadulArtifact('fadul_1-2.x3p')], '.40 S&W'),
        region: 'firing_pin',
      });
      lab2.worker.start();
      await withTimeout(lab2.worker.drained({ leads: true }), 120_000, 'lab 2 drain');

      const [km] = lab2.worker.store.get(match.id)!.leads!;
      expect(lab2.worker.store.get(match.id)!.leads).toHaveLength(1);
      expect(km).toMatchObject({
        otherLabId: 'LAB-1',
        otherCaseRef: 'LEAD-1',
        otherItemRef: 'EXH-1',
        calibre: '.40 S&W',
        region: 'breech_face',
        scorer: cmcScorerName,
      });
      expect(lab2.worker.store.get(firingPin.id)!.manifest.region).toBe('firing_pin');
      expect(lab2.worker.store.get(firingPin.id)!.leads).toEqual([]);
      const [knm] = lab2.worker.store.get(nonMatch.id)!.leads!;
      // Measured on all 780 Fadul pairs: known matches 9–24 congruent cells, known non-matches 0–2.
      expect(km.score).toBeGreaterThanOrEqual(8);
      expect(knm.score).toBeLessThanOrEqual(3);
      expect(km.detail).toMatchObject({
        cmcAb: expect.any(Number),
        cmcBa: expect.any(Number),
        calibrated: expect.stringMatching(/known non-matching pairs/),
      });
      expect(Math.min(km.detail!.cmcAb, km.detail!.cmcBa)).toBe(km.score);
      expect(lab2.worker.store.get(other.id)!.leads).toEqual([]); // no other lab has a .45 ACP
      expect(lab2.worker.store.get(noTopography.id)!.leads).toEqual([]); // CMC compares topographies only
      const notes = await lab2.client.status(lab2.worker.store.get(noTopography.id)!.submissionId!);
      expect(notes.correlationNotes).toEqual([expect.stringMatching(/no X3P topography/)]);
      expect(lab2.worker.store.get(match.id)!.state).toBe('correlated');

      // The earlier lab's submission gains both leads in the other direction, the match first, counts swapped.
      const status = await lab1.client.status(lab1.worker.store.get(a.id)!.submissionId!);
      expect(status.leads!.map((l) => l.otherCaseRef)).toEqual(['L2-77', 'L2-79']);
      expect(status.leads![0]).toMatchObject({
        score: km.score,
        detail: { cmcAb: km.detail!.cmcBa, cmcBa: km.detail!.cmcAb },
      });

      // A lab may download the other casing of its own lead, and nothing else.
      const mine = lab2.worker.store.get(match.id)!;
      const wanted = km.otherArtifacts[0];
      expect(sha256(await lab2.client.leadArtifact(mine.submissionId!, km.leadId, wanted.sha256, wanted.size))).toBe(
        wanted.sha256,
      );
      await expect(
        lab2.client.leadArtifact(mine.submissionId!, km.leadId + 1000, wanted.sha256, wanted.size),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        lab1.client.leadArtifact(mine.submissionId!, km.leadId, wanted.sha256, wanted.size),
      ).rejects.toMatchObject({
        code: 'not_found',
      });
    } finally {
      await lab1.close();
      await lab2.close();
    }
  });
});
