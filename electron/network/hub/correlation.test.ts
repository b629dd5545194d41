import { describe, expect, it, vi } from 'vitest';
import type { CorrelationNote } from '../protocol.ts';
import { createInProcessCorrelation } from './correlation.ts';
import { UploadActivity } from './uploads.ts';
import type { CasingScorer } from './scorer.ts';
import type { SubmissionRecord } from './storage.ts';

const record = (id: string, labId = 'LAB-1'): SubmissionRecord => ({
  id,
  idempotencyKey: `key-${id}`,
  labId,
  stationId: 'ST-1',
  caseRef: 'C',
  itemRef: 'I',
  calibre: '9mm Luger',
  manifest: {
    protocol: 'casebench-exchange/1',
    idempotencyKey: `key-${id}`,
    lab: { labId, stationId: 'ST-1' },
    createdAt: new Date(0).toISOString(),
    caseRef: 'C',
    itemRef: 'I',
    specimen: { calibre: '9mm Luger' },
    artifacts: [{ role: 'x3p', name: 'a.x3p', mediaType: 'application/x3p+zip', sha256: 'a'.repeat(64), size: 1 }],
  },
  manifestSha256: 'b'.repeat(64),
  signature: 'c',
  state: 'committed',
  receipt: null,
  receiptSignature: null,
  createdAt: new Date(0).toISOString(),
});

function queueWith(
  scorer: CasingScorer,
  left: SubmissionRecord[] = [],
  others: SubmissionRecord[] = [record('other', 'LAB-2')],
  localPath: (sha: string) => string | undefined = () => '/nowhere',
) {
  const saved: string[] = [];
  const notes: CorrelationNote[][] = [];
  const queue = createInProcessCorrelation({
    records: {
      candidates: async () => others,
      saveCorrelation: async (id, _leads, n) => void (saved.push(id), notes.push(n)),
      committedUncorrelated: async () => left,
    },
    artifacts: { localPath },
    scorer,
    maxLeads: 5,
    now: () => 0,
    uploads: new UploadActivity(),
  });
  return { queue, saved, notes };
}

describe('in-process correlation queue', () => {
  it('correlates what an earlier run left committed, then each commit in order; idle waits for all', async () => {
    const seen: string[] = [];
    const { queue, saved } = queueWith(
      {
        name: 't',
        correlate: async (query, candidates) => {
          seen.push(`${query.submissionId}:${candidates.map((c) => c.submissionId).join(',')}`);
          return { leads: [], notes: [] };
        },
        close: async () => {},
      },
      [record('left')],
    );
    await queue.start();
    queue.committed(record('a'));
    queue.committed(record('b'));
    await queue.idle();
    expect(seen).toEqual(['left:other', 'a:other', 'b:other']);
    expect(saved).toEqual(['left', 'a', 'b']);
    await queue.close();
  });

  it('leaves a submission whose correlation failed uncorrelated and goes on with the next', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { queue, saved } = queueWith({
      name: 't',
      correlate: async (query) => {
        if (query.submissionId === 'bad') throw new Error('engine broke');
        return { leads: [], notes: [] };
      },
      close: async () => {},
    });
    queue.committed(record('bad'));
    queue.committed(record('good'));
    await queue.idle();
    expect(saved).toEqual(['good']);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('engine broke'));
    error.mockRestore();
    await queue.close();
  });

  it('close aborts the correlation in progress and stops; nothing is saved', async () => {
    let aborted = false;
    const { queue, saved } = queueWith({
      name: 't',
      correlate: (_q, _c, _m, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('stopped'));
          }),
        ),
      close: async () => {},
    });
    queue.committed(record('long'));
    await new Promise((r) => setTimeout(r, 150));
    await queue.close();
    expect(aborted).toBe(true);
    expect(saved).toEqual([]);
  });

  it("leaves out another lab's casing whose X3P the store lost, with a note, and correlates the others", async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const lost = record('lost', 'LAB-2');
    lost.manifest = { ...lost.manifest, artifacts: [{ ...lost.manifest.artifacts[0]!, sha256: 'd'.repeat(64) }] };
    const compared: string[] = [];
    const { queue, saved, notes } = queueWith(
      {
        name: 't',
        correlate: async (_q, candidates) => {
          compared.push(...candidates.map((c) => c.submissionId));
          return { leads: [], notes: [] };
        },
        close: async () => {},
      },
      [],
      [record('kept', 'LAB-2'), lost],
      (sha) => (sha === 'd'.repeat(64) ? undefined : '/store/' + sha),
    );
    queue.committed(record('q'));
    await queue.idle();
    expect(saved).toEqual(['q']);
    expect(compared).toEqual(['kept']);
    expect(notes[0]).toEqual([
      {
        code: 'candidate_missing_x3p',
        values: { candidate: 'lost', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        text: expect.stringMatching(/^candidate lost was left out: the artifact store does not hold/),
      },
    ]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('candidate lost was left out'));
    error.mockRestore();
    await queue.close();
  });
});
