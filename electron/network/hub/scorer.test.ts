import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { protocolVersion, sha256, type Manifest } from '../protocol.ts';
import { cmcScorerName, createCmcScorer, type ScorerCasing } from './scorer.ts';

const dir = mkdtempSync(join(tmpdir(), 'casebench-scorer-'));
const scorer = createCmcScorer({ workers: 1, topK: 3 });
afterAll(async () => {
  await scorer.close();
  rmSync(dir, { recursive: true, force: true });
});

function casing(path: string | undefined, role: 'x3p' | 'image' = 'x3p'): ScorerCasing {
  const bytes = path ? readFileSync(path) : randomBytes(100);
  const manifest: Manifest = {
    protocol: protocolVersion, idempotencyKey: randomUUID(), lab: { labId: 'LAB-X', stationId: 'ST-1' }, createdAt: new Date().toISOString(),
    caseRef: 'C', itemRef: 'I', specimen: { calibre: '9mm' },
    artifacts: [{ role, name: 'a', mediaType: 'application/octet-stream', sha256: sha256(bytes), size: bytes.byteLength }],
  };
  return { submissionId: randomUUID(), manifest, topographyPath: role === 'x3p' ? path : undefined };
}

// CMC on real scans takes seconds, more on a loaded machine.
describe('CMC scorer', { timeout: 120_000 }, () => {
  it('ranks a known match above a known non-match and says which candidates it could not use', async () => {
    const broken = join(dir, 'broken.x3p');
    writeFileSync(broken, randomBytes(5000));
    const km = casing(sharedDataPath('fadul', 'fadul_7-2.x3p'));
    const knm = casing(sharedDataPath('fadul', 'fadul_8-1.x3p'));
    const unreadable = casing(broken);
    const imageOnly = casing(undefined, 'image');
    const result = await scorer.correlate(casing(sharedDataPath('fadul', 'fadul_7-1.x3p')), [knm, unreadable, km, imageOnly], 5, new AbortController().signal);
    expect(result.leads.map((l) => l.otherSubmissionId)).toEqual([km.submissionId, knm.submissionId]);
    expect(result.leads[0]).toMatchObject({ scorer: cmcScorerName });
    expect(result.leads[0].score).toBeGreaterThanOrEqual(8);
    expect(result.leads[1].score).toBeLessThanOrEqual(3);
    expect(result.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/1 candidate\(s\) without an X3P topography/),
      expect.stringMatching(new RegExp(`candidate ${unreadable.submissionId} could not be analysed`)),
    ]));
  });

  it('correlates nothing for a submission without a topography', async () => {
    const result = await scorer.correlate(casing(undefined, 'image'), [casing(sharedDataPath('fadul', 'fadul_7-1.x3p'))], 5, new AbortController().signal);
    expect(result).toEqual({ leads: [], notes: [expect.stringMatching(/no X3P topography/)] });
  });

  it('stops when the hub stops', async () => {
    const stop = new AbortController();
    const running = scorer.correlate(casing(sharedDataPath('fadul', 'fadul_9-1.x3p')), [casing(sharedDataPath('fadul', 'fadul_9-2.x3p'))], 5, stop.signal);
    stop.abort(new Error('the hub is stopping'));
    await expect(running).rejects.toMatchObject({ code: 'canceled' });
  });
});
