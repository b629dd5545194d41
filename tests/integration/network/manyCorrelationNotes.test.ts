// A correlation may note more than a station reads (a note per casing left out: a hub whose store lost many files
// notes every one of them), but a station refuses a hub answer whose notes pass the protocol's bounds — whole, so it
// would never see its leads. The hub sends what a station accepts: the first notes, a count of the rest, long notes
// cut. Real HTTPS with mutual TLS, a SQLite hub, a station's outbox worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Hub } from '../../../electron/network/hub/server.ts';
import type { CasingScorer } from '../../../electron/network/hub/scorer.ts';
import {
  maxCorrelationNoteLength,
  maxCorrelationNotes,
  signedResultsProblem,
} from '../../../electron/network/protocol.ts';
import { HubClient } from '../../../electron/network/client.ts';
import { hubNote } from '../../../electron/network/hub/notes.ts';
import { toJobView } from '../../../electron/host/services/outbox/outboxService.ts';
import {
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  startTestHub,
  submissionInput,
  tempDir,
  type Station,
  type TestPki,
} from './harness.ts';

/** Leads every candidate, and notes `count` casings left out (the first note far longer than a station reads). */
function manyNotes(count: number): CasingScorer {
  return {
    name: 'test/notes',
    correlate: async (_query, candidates) => ({
      leads: candidates.map((c) => ({
        otherSubmissionId: c.submissionId,
        score: 9,
        scorer: 'test/notes',
        detail: { cmcAb: 9, cmcBa: 9, screening: 0.5 },
      })),
      // The first as an older hub stored it (English only), the rest coded.
      notes: Array.from({ length: count }, (_, i) =>
        i === 0
          ? { text: `candidate c0 was left out: ${'x'.repeat(3000)}` }
          : hubNote('candidate_missing_x3p', { candidate: `c${i}` }),
      ),
    }),
    close: async () => {},
  };
}

let dir: string;
let pki: TestPki;
let hub: Hub;
const stations: Station[] = [];

beforeAll(async () => {
  dir = tempDir('notes');
  pki = await makePki(join(dir, 'pki'));
  hub = await startTestHub(pki, join(dir, 'hub'), { scorer: manyNotes(120) });
});
afterAll(async () => {
  for (const s of stations) await s.close();
  await hub?.close();
  removeDir(dir);
});

describe('correlation notes over the network', { timeout: 60_000 }, () => {
  it('a correlation with more notes than a station reads still reaches it: the first notes, then how many more', async () => {
    const lab2 = openStation(pki, pki.lab2, hub.url, join(dir, 'lab2'));
    const lab1 = openStation(pki, pki.lab1, hub.url, join(dir, 'lab1'));
    stations.push(lab2, lab1);
    enqueue(lab2, submissionInput('L2-1', 'Q', [makeArtifact(lab2.dir, 2000, 'x3p')]));
    lab2.worker.start();
    await lab2.worker.drained({ leads: true, signal: AbortSignal.timeout(30_000) });
    const queued = enqueue(lab1, submissionInput('L1-1', 'Q', [makeArtifact(lab1.dir, 2000, 'x3p')]));
    lab1.worker.start();
    await lab1.worker.drained({ leads: true, signal: AbortSignal.timeout(30_000) });

    const job = lab1.worker.store.get(queued.id)!;
    expect(job.state).toBe('correlated');
    expect(job.leads).toHaveLength(1);
    expect(job.correlationNotes).toHaveLength(maxCorrelationNotes);
    expect(job.correlationNotes[0]!.length).toBe(maxCorrelationNoteLength);
    expect(job.correlationNotes[1]).toMatch(/^candidate c1 was left out: the artifact store does not hold its X3P/);
    const more = 120 - (maxCorrelationNotes - 1);
    expect(job.correlationNotes.at(-1)).toBe(`and ${more} more notes (the hub keeps them all)`);
    // Revision 4: the screens get each note's code and values (signed in the statement), the English beside them.
    const shown = toJobView(job).correlationNotes;
    expect(shown[0]).toEqual({ text: job.correlationNotes[0] });
    expect(shown[1]).toEqual({
      text: job.correlationNotes[1],
      code: 'candidate_missing_x3p',
      values: { candidate: 'c1' },
    });
    expect(shown.at(-1)).toEqual({ text: job.correlationNotes.at(-1), code: 'more_notes', values: { count: more } });
    // A station of revision 3 gets the English notes only, signed as sent.
    const older = new HubClient({ url: hub.url, ca: pki.ca.certificate, credentials: pki.lab1, protocolRevision: 3 });
    try {
      const answer = await older.status(job.receipt!.submissionId);
      expect(answer.correlationNotes).toEqual(job.correlationNotes);
      expect(answer).not.toHaveProperty('correlationNoteCodes');
      expect(answer.results!.statement).not.toHaveProperty('correlationNoteCodes');
      expect(signedResultsProblem(answer.results!, older.hubSigningKey!, job.receipt!)).toBeNull();
    } finally {
      older.close();
    }
  });
});
