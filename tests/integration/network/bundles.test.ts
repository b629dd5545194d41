// Air-gapped lab: export a signed bundle, import it on a connected station of the same lab, deliver it to the hub,
// and bring the signed receipts and leads back the same way.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hub } from '../../../electron/network/hub/server.ts';
import {
  bundleLimits,
  exportResultsBundle,
  exportSubmissionBundle,
  importResultsBundle,
  importSubmissionBundle,
} from '../../../electron/network/bundle.ts';
import {
  deliveredExactlyOnce,
  enqueue,
  fadulArtifact,
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
withTestHub('net-bundle', (made) => ({ pki, hub } = made));

// CMC on real scans takes seconds, more on a loaded machine.
describe('air-gapped bundles', { timeout: 120_000 }, () => {
  it('carries submissions out and receipts with leads back, each exactly once', async () => {
    const offline = openStation(pki, pki.lab1, 'https://127.0.0.1:1', tempDir('st-offline'));
    const online = openStation(pki, pki.lab1b, hub.url, tempDir('st-online'));
    const otherLab = openStation(pki, pki.lab2, hub.url, tempDir('st-lab2'));
    try {
      // Another lab already has a .380 casing on the network, so leads can come back.
      enqueue(otherLab, submissionInput('L2-1', 'Q-1', [fadulArtifact('fadul_4-1.x3p')], '.380 ACP'));
      otherLab.worker.start();
      await withTimeout(otherLab.worker.drained(), 15_000, 'other lab');

      const jobs = ['fadul_4-2.x3p', 'fadul_5-1.x3p', 'fadul_5-2.x3p'].map((name, i) =>
        enqueue(offline, submissionInput('AG-1', `EXH-${i + 1}`, [fadulArtifact(name)], '.380 ACP')),
      );
      const bundlePath = join(offline.dir, 'out.cbbundle');
      expect((await exportSubmissionBundle(offline.worker.store, offline.signer, bundlePath)).jobs).toBe(3);
      expect(offline.worker.store.claimDue(Date.now() + 1000, 10)).toEqual([]); // exported jobs are not sent again from here
      await expect(
        exportSubmissionBundle(offline.worker.store, offline.signer, join(offline.dir, 'again.cbbundle')),
      ).rejects.toThrow(/nothing to export/);

      expect(
        await importSubmissionBundle(
          online.worker.store,
          pki.ca.certificate,
          'LAB-1',
          bundlePath,
          join(online.dir, 'imported'),
        ),
      ).toEqual({ imported: 3, alreadyKnown: 0 });
      expect(
        await importSubmissionBundle(
          online.worker.store,
          pki.ca.certificate,
          'LAB-1',
          bundlePath,
          join(online.dir, 'imported'),
        ),
      ).toEqual({ imported: 0, alreadyKnown: 3 });
      online.worker.start();
      await withTimeout(online.worker.drained({ leads: true }), 60_000, 'connected station');
      expect((await deliveredExactlyOnce(hub, online)).problems).toEqual([]);
      expect((await hub.records.findByIdempotencyKey(jobs[0].idempotencyKey))!.stationId).toBe('ST-1'); // the origin station, not the relay

      const resultsPath = join(online.dir, 'results.cbbundle');
      expect((await exportResultsBundle(online.worker.store, online.signer, resultsPath)).results).toBe(3);
      expect(await importResultsBundle(offline.worker.store, pki.ca.certificate, 'LAB-1', resultsPath)).toEqual({
        applied: 3,
        unknown: 0,
      });
      for (const job of jobs) {
        const back = offline.worker.store.get(job.id)!;
        expect(back.state).toBe('correlated');
        expect(back.receipt!.idempotencyKey).toBe(job.idempotencyKey);
        expect(back.leads!.map((l) => l.otherCaseRef)).toContain('L2-1');
      }
    } finally {
      await offline.close();
      await online.close();
      await otherLab.close();
    }
  });

  it("refuses a damaged bundle and another lab's bundle, importing nothing", async () => {
    const offline = openStation(pki, pki.lab1, 'https://127.0.0.1:1', tempDir('st-offline'));
    const online = openStation(pki, pki.lab1b, hub.url, tempDir('st-online'));
    try {
      const artifact = makeArtifact(offline.dir, 20_000);
      enqueue(offline, submissionInput('AG-2', 'EXH-1', [artifact]));
      const bundlePath = join(offline.dir, 'out.cbbundle');
      await exportSubmissionBundle(offline.worker.store, offline.signer, bundlePath);
      await expect(
        importSubmissionBundle(online.worker.store, pki.ca.certificate, 'LAB-2', bundlePath, join(online.dir, 'in')),
      ).rejects.toThrow(/made by lab LAB-1, not by this lab \(LAB-2\)/);
      const bytes = readFileSync(bundlePath);
      // A byte of the signed bundle.json (the first zip entry) changed: the signature catches it.
      const alteredIndex = Buffer.from(bytes);
      alteredIndex[200] ^= 0xff;
      writeFileSync(bundlePath, alteredIndex);
      await expect(
        importSubmissionBundle(online.worker.store, pki.ca.certificate, 'LAB-1', bundlePath, join(online.dir, 'in')),
      ).rejects.toThrow(/CRC-32 mismatch|bundle signature does not verify/);
      // A byte of the artifact changed (stored verbatim: zip level 0): its SHA-256 catches it.
      const alteredArtifact = Buffer.from(bytes);
      const at = alteredArtifact.indexOf(readFileSync(artifact.path).subarray(0, 64));
      expect(at).toBeGreaterThan(0);
      alteredArtifact[at + 1000] ^= 0xff;
      writeFileSync(bundlePath, alteredArtifact);
      await expect(
        importSubmissionBundle(online.worker.store, pki.ca.certificate, 'LAB-1', bundlePath, join(online.dir, 'in')),
      ).rejects.toThrow(/bundle damaged/);
      expect(online.worker.store.list()).toEqual([]);
    } finally {
      await offline.close();
      await online.close();
    }
  });

  it('exports what fits in one bundle.json and says how many remain; the next export takes the rest', async () => {
    const offline = openStation(pki, pki.lab1, 'https://127.0.0.1:1', tempDir('st-offline'));
    const online = openStation(pki, pki.lab1b, hub.url, tempDir('st-online'));
    const cap = bundleLimits.jsonBytes;
    try {
      for (let i = 0; i < 5; i++)
        enqueue(offline, submissionInput('AG-3', `EXH-${i + 1}`, [makeArtifact(offline.dir, 5000)]));
      // A cap two jobs fit under (the real one, 8 MiB, holds some 3,000): the export must not go past it.
      const oneJob = offline.worker.store.list()[0]!;
      const jobBytes = JSON.stringify({ m: oneJob.manifest, s: oneJob.signature, c: oneJob.originCertificate }).length;
      bundleLimits.jsonBytes = 4096 + Math.floor(2.5 * jobBytes);
      const first = await exportSubmissionBundle(offline.worker.store, offline.signer, join(offline.dir, '1.cbbundle'));
      expect(first).toMatchObject({ jobs: 2, remaining: 3 });
      const second = await exportSubmissionBundle(
        offline.worker.store,
        offline.signer,
        join(offline.dir, '2.cbbundle'),
      );
      expect(second).toMatchObject({ jobs: 2, remaining: 1 });
      const third = await exportSubmissionBundle(offline.worker.store, offline.signer, join(offline.dir, '3.cbbundle'));
      expect(third).toMatchObject({ jobs: 1, remaining: 0 });
      let imported = 0;
      for (const name of ['1', '2', '3'])
        imported += (
          await importSubmissionBundle(
            online.worker.store,
            pki.ca.certificate,
            'LAB-1',
            join(offline.dir, `${name}.cbbundle`),
            join(online.dir, 'in'),
          )
        ).imported;
      expect(imported).toBe(5);
    } finally {
      bundleLimits.jsonBytes = cap;
      await offline.close();
      await online.close();
    }
  });
});
