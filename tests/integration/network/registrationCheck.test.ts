// The registration check on the embedded (SQLite) hub, on real scans sent by stations: between the signature screen
// and full CMC, the signature's best are registered onto the query, and full CMC goes to the best by registration.
// The casing is picked by what the signature does: Fadul 3-1 is the casing whose known mate the signature ranks
// worst of all 40 (questioned casing Z; docs/hub-operations.md), outside the 10 that get full CMC. Lab 2 sends every
// other Fadul casing, lab 1 then sends 3-1; the hub runs its defaults.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkedScreeningCut,
  compareSignatures,
  decodeSignatureFile,
  fadulRegistrationReference,
  fadulScreeningReference,
} from '../../../electron/analysis/index.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import {
  enqueue,
  fadulArtifact,
  openStation,
  submissionInput,
  tempDir,
  withTestHub,
  withTimeout,
  type TestPki,
} from './harness.ts';

const slides = Array.from({ length: 10 }, (_, i) => i + 1);
const questioned = 'abcefhiklmnopqrstxyz'.split('');
const others = [...slides.flatMap((s) => [`${s}-1`, `${s}-2`]), ...questioned].filter((n) => n !== '3-1');
/** The known matches of Fadul 3-1 (ground truth, pairs.csv): its slide's other test fire and questioned casings. */
const mates = ['3-2', 'a', 't', 'z'];
const topK = 10; // the hub's default

let dir: string;
let pki: TestPki;
let hub: Hub;
withTestHub('net-registration', (made) => ({ dir, pki, hub } = made));

describe('the registration check on the embedded hub', { timeout: 600_000 }, () => {
  it('brings in a mate the signature ranks outside the full-CMC set; the lead the station gets says what was screened, registered, the cut and its miss rate', async () => {
    const lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st'));
    const lab2 = openStation(pki, pki.lab2, hub.url, tempDir('st'));
    try {
      const sent = others.map((n) => ({
        name: n,
        artifact: fadulArtifact(`fadul_${n}.x3p`),
        job: enqueue(lab2, submissionInput(`L2-${n}`, 'Q', [fadulArtifact(`fadul_${n}.x3p`)], '.40 S&W')),
      }));
      lab2.worker.start();
      // Lab 2's own correlations (against no casing of another lab yet) must be over before 3-1 arrives: one still
      // queued would screen 3-1 as its only candidate and store that lead for 3-1 too, with its own figures.
      await withTimeout(lab2.worker.drained({ leads: true }), 300_000, 'lab 2 drain with results');
      const query = fadulArtifact('fadul_3-1.x3p');
      const job = enqueue(lab1, submissionInput('L1-31', 'EXH-1', [query], '.40 S&W'));
      lab1.worker.start();
      await withTimeout(lab1.worker.drained({ leads: true }), 540_000, 'lab 1 drain with leads');

      // What the signature does, from the signatures the hub computed (kept as files by X3P hash): Z is outside the
      // top K.
      const signatureOf = (sha: string) =>
        decodeSignatureFile(readFileSync(join(dir, 'hub', 'signatures', `${sha}.json`))).signature;
      const mine = signatureOf(query.sha256);
      const bySignature = sent
        .map((s) => ({ name: s.name, score: compareSignatures(mine, signatureOf(s.artifact.sha256)).score }))
        .sort((a, b) => b.score - a.score);
      const zRank = bySignature.findIndex((s) => s.name === 'z') + 1;
      expect(zRank).toBeGreaterThan(topK);

      const leads = lab1.worker.store.get(job.id)!.leads!;
      const nameOf = (lead: (typeof leads)[number]) => lead.otherCaseRef.replace('L2-', '');
      const z = leads.find((l) => nameOf(l) === 'z');
      expect(z, `leads: ${leads.map(nameOf).join(', ')}`).toBeDefined();
      expect(z!.detail).toMatchObject({ signatureRank: zRank, screened: others.length, registered: others.length });
      expect(z!.detail!.registration).toBeGreaterThan(0.4);
      // The four known matches lead; every lead says the same cut: everyone registered, so the lowest signature score.
      expect(leads.slice(0, mates.length).map(nameOf).sort()).toEqual(mates);
      const expected = checkedScreeningCut(
        topK,
        others.length,
        others.length,
        fadulScreeningReference,
        fadulRegistrationReference,
      );
      for (const lead of leads) {
        expect(lead.detail).toMatchObject({
          screened: others.length,
          registered: others.length,
          fullyScored: topK,
          expectedMissRate: expected.expectedMissRate,
          cutReference: expect.stringMatching(/registration/i),
          // Revision 4: the range and whether the reference can estimate the rate, as the station's search says.
          missRateRange: expected.range,
          missRateEstimable: expected.estimable,
        });
        expect(lead.detail!.cut).toBeCloseTo(bySignature.at(-1)!.score, 6);
      }
    } finally {
      await lab1.close();
      await lab2.close();
    }
  });
});
