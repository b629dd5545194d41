// The hub's correlation notes reach the station and stay with its job, over real HTTPS with mutual TLS: "0 leads"
// because the hub could not compare is never mistaken for "no match in the network". Also through a correlated
// commit answer (a job sent again after the hub correlated it) and through air-gapped results bundles.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Hub } from '../../../electron/network/hub/server.ts';
import {
  exportResultsBundle,
  exportSubmissionBundle,
  importResultsBundle,
  importSubmissionBundle,
} from '../../../electron/network/bundle.ts';
import { toJobView } from '../../../electron/host/services/outbox/outboxService.ts';
import { cli } from '../../fixtures/cli.ts';
import {
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
withTestHub('net-notes', (made) => ({ pki, hub } = made));

const noTopography = /^the submission has no X3P topography/;

// Each test uses calibres of its own: the hub correlates across everything it holds of a calibre.
describe('correlation notes on the station', { timeout: 60_000 }, () => {
  it('keeps what the hub could not compare with the job, and nothing when it compared everything', async () => {
    const lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st-lab1'));
    const lab2 = openStation(pki, pki.lab2, hub.url, tempDir('st-lab2'));
    try {
      // Only an image: the analysis engine compares topographies, so the hub says it could not compare this one.
      const imageOnly = enqueue(
        lab1,
        submissionInput('N-1', 'EXH-1', [makeArtifact(lab1.dir, 4000, 'image')], '.22 LR'),
      );
      lab1.worker.start();
      await withTimeout(lab1.worker.drained({ leads: true }), 20_000, 'lab 1');
      const first = lab1.worker.store.get(imageOnly.id)!;
      expect(first.state).toBe('correlated');
      expect(first.leads).toEqual([]);
      expect(first.correlationNotes).toEqual([expect.stringMatching(noTopography)]);
      // The same words the hub answers with, and the same in the contract's job view the UI reads.
      expect((await lab1.client.status(first.submissionId!)).correlationNotes).toEqual(first.correlationNotes);
      // The screens get the note's code too (protocol revision 4), worded in the station's language.
      expect(toJobView(first).correlationNotes).toEqual([
        { text: first.correlationNotes[0], code: 'no_topography', values: {} },
      ]);
      // And on the command line, under the job.
      const listed = await cli('outbox', 'list', '--db', join(lab1.dir, 'station.sqlite'));
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(/correlated +N-1\/EXH-1 .*leads 0\n +hub: the submission has no X3P topography/);
      expect(
        JSON.parse((await cli('outbox', 'list', '--json', '--db', join(lab1.dir, 'station.sqlite'))).out).jobs[0]
          .correlationNotes,
      ).toEqual(first.correlationNotes);

      // Another lab's topography of that calibre: its one candidate has no topography, and the hub says so.
      const withX3p = enqueue(lab2, submissionInput('L2-1', 'Q-1', [makeArtifact(lab2.dir, 4000, 'x3p')], '.22 LR'));
      // Nothing else of this calibre in the network: 0 leads, and no notes, because nothing went uncompared.
      const alone = enqueue(lab2, submissionInput('L2-2', 'Q-2', [makeArtifact(lab2.dir, 4000, 'x3p')], '.25 ACP'));
      lab2.worker.start();
      await withTimeout(lab2.worker.drained({ leads: true }), 20_000, 'lab 2');
      expect(lab2.worker.store.get(withX3p.id)).toMatchObject({
        state: 'correlated',
        leads: [],
        correlationNotes: ['1 candidate(s) without an X3P topography were not compared'],
      });
      expect(lab2.worker.store.get(alone.id)).toMatchObject({ state: 'correlated', leads: [], correlationNotes: [] });
      // Stored as NULL when there are none, like a job not yet correlated.
      expect(
        lab2.db.prepare('SELECT correlation_notes FROM outbox_jobs WHERE id = ?').pluck().get(alone.id),
      ).toBeNull();
      expect(toJobView(lab2.worker.store.get(alone.id)!).correlationNotes).toEqual([]);

      // A station that sends a job the hub has already correlated (it lost the commit answer, or a copy of the
      // job): the create answer is correlated, and its notes are kept at once with the receipt.
      // No leads poll within the test: the notes can only come from the create answer.
      const again = openStation(pki, pki.lab1, hub.url, tempDir('st-lab1-again'), {
        leadsPollMs: { firstMs: 600_000, maxMs: 600_000 },
      });
      try {
        const copy = again.worker.store.insert({
          manifest: first.manifest,
          signature: first.signature,
          originCertificate: first.originCertificate,
          artifactFiles: first.artifactFiles,
          now: Date.now(),
        })!;
        again.worker.start();
        await withTimeout(again.worker.drained(), 20_000, 'resend');
        expect(again.worker.store.get(copy.id)).toMatchObject({
          state: 'correlated',
          submissionId: first.submissionId,
          leads: [],
          correlationNotes: first.correlationNotes,
        });
      } finally {
        await again.close();
      }
    } finally {
      await lab1.close();
      await lab2.close();
    }
  });

  it("brings the notes back to an air-gapped station in the results bundle, inside the hub's signed results", async () => {
    const offline = openStation(pki, pki.lab1, 'https://127.0.0.1:1', tempDir('st-offline'));
    const online = openStation(pki, pki.lab1b, hub.url, tempDir('st-online'));
    try {
      const imageOnly = enqueue(
        offline,
        submissionInput('AG-N', 'EXH-1', [makeArtifact(offline.dir, 4000, 'image')], '.32 ACP'),
      );
      const alone = enqueue(
        offline,
        submissionInput('AG-N', 'EXH-2', [makeArtifact(offline.dir, 4000, 'x3p')], '.38 Special'),
      );
      const bundlePath = join(offline.dir, 'out.cbbundle');
      expect((await exportSubmissionBundle(offline.worker.store, offline.signer, bundlePath)).jobs).toBe(2);
      await importSubmissionBundle(
        online.worker.store,
        pki.ca.certificate,
        'LAB-1',
        bundlePath,
        join(online.dir, 'imported'),
      );
      online.worker.start();
      await withTimeout(online.worker.drained({ leads: true }), 20_000, 'connected station');

      const resultsPath = join(online.dir, 'results.cbbundle');
      expect((await exportResultsBundle(online.worker.store, online.signer, resultsPath)).results).toBe(2);
      const body = JSON.parse(Buffer.from(unzipSync(readFileSync(resultsPath))['bundle.json']).toString('utf8')) as {
        results: { idempotencyKey: string; results: { statement: { correlationNotes: string[] } } }[];
      };
      const byKey = new Map(body.results.map((r) => [r.idempotencyKey, r]));
      // The notes travel where the leads do: in the statement the hub signed, so the relay cannot add or drop one.
      expect(byKey.get(imageOnly.idempotencyKey)!.results.statement.correlationNotes).toEqual([
        expect.stringMatching(noTopography),
      ]);
      expect(byKey.get(alone.idempotencyKey)!.results.statement.correlationNotes).toEqual([]);

      expect(await importResultsBundle(offline.worker.store, pki.ca.certificate, 'LAB-1', resultsPath)).toEqual({
        applied: 2,
        unknown: 0,
      });
      expect(offline.worker.store.get(imageOnly.id)).toMatchObject({
        state: 'correlated',
        leads: [],
        correlationNotes: [expect.stringMatching(noTopography)],
      });
      expect(offline.worker.store.get(alone.id)).toMatchObject({
        state: 'correlated',
        leads: [],
        correlationNotes: [],
      });
    } finally {
      await offline.close();
      await online.close();
    }
  });
});
