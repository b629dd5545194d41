import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { protocolVersion, sha256, type Manifest } from '../protocol.ts';
import {
  createAnalysisPool,
  encodeSignatureFile,
  screeningParamsKey,
  type AnalysisPool,
} from '../../analysis/index.ts';
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
    protocol: protocolVersion,
    idempotencyKey: randomUUID(),
    lab: { labId: 'LAB-X', stationId: 'ST-1' },
    createdAt: new Date().toISOString(),
    caseRef: 'C',
    itemRef: 'I',
    specimen: { calibre: '9mm' },
    artifacts: [
      { role, name: 'a', mediaType: 'application/octet-stream', sha256: sha256(bytes), size: bytes.byteLength },
    ],
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
    const result = await scorer.correlate(
      casing(sharedDataPath('fadul', 'fadul_7-1.x3p')),
      [knm, unreadable, km, imageOnly],
      5,
      new AbortController().signal,
    );
    expect(result.leads.map((l) => l.otherSubmissionId)).toEqual([km.submissionId, knm.submissionId]);
    expect(result.leads[0]).toMatchObject({ scorer: cmcScorerName });
    expect(result.leads[0].score).toBeGreaterThanOrEqual(8);
    expect(result.leads[1].score).toBeLessThanOrEqual(3);
    expect(result.notes.map((n) => n.code)).toEqual(
      expect.arrayContaining(['candidates_without_topography', 'candidate_unreadable']),
    );
    expect(result.notes.map((n) => n.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/1 candidate\(s\) without an X3P topography/),
        expect.stringMatching(new RegExp(`candidate ${unreadable.submissionId} could not be analysed`)),
      ]),
    );
  });

  it('correlates nothing for a submission without a topography', async () => {
    const result = await scorer.correlate(
      casing(undefined, 'image'),
      [casing(sharedDataPath('fadul', 'fadul_7-1.x3p'))],
      5,
      new AbortController().signal,
    );
    expect(result).toEqual({
      leads: [],
      notes: [{ code: 'no_topography', values: {}, text: expect.stringMatching(/no X3P topography/) }],
    });
  });

  it('stops when the hub stops', async () => {
    const stop = new AbortController();
    const running = scorer.correlate(
      casing(sharedDataPath('fadul', 'fadul_9-1.x3p')),
      [casing(sharedDataPath('fadul', 'fadul_9-2.x3p'))],
      5,
      stop.signal,
    );
    stop.abort(new Error('the hub is stopping'));
    await expect(running).rejects.toMatchObject({ code: 'canceled' });
  });

  it('keeps the signatures it computed as files: a restarted hub computes none of them again', async () => {
    const cacheDir = join(dir, 'signatures');
    const pool = createAnalysisPool({ size: 1 });
    let computed = 0;
    const counting: AnalysisPool = { ...pool, signature: (ref, o) => (computed++, pool.signature(ref, o)) };
    try {
      const query = casing(sharedDataPath('fadul', 'fadul_3-1.x3p'));
      const candidates = [
        casing(sharedDataPath('fadul', 'fadul_3-2.x3p')),
        casing(sharedDataPath('fadul', 'fadul_4-1.x3p')),
      ];
      const first = createCmcScorer({ pool: counting, topK: 2, cacheDir });
      const before = await first.correlate(query, candidates, 5, new AbortController().signal);
      await first.close();
      expect(computed).toBe(3);
      const restarted = createCmcScorer({ pool: counting, topK: 2, cacheDir });
      const after = await restarted.correlate(query, candidates, 5, new AbortController().signal);
      await restarted.close();
      expect(computed).toBe(3);
      expect(after.leads.map((l) => [l.otherSubmissionId, l.score])).toEqual(
        before.leads.map((l) => [l.otherSubmissionId, l.score]),
      );
      // A kept file that is damaged is computed again, not trusted.
      writeFileSync(
        join(cacheDir, `${query.manifest.artifacts[0].sha256}.json`),
        '{"format":"casebench-screening-signature/1"',
      );
      const again = createCmcScorer({ pool: counting, topK: 2, cacheDir });
      await again.correlate(query, candidates, 5, new AbortController().signal);
      await again.close();
      expect(computed).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it("checks the station's own signature (features) against the hub's and says when they disagree", async () => {
    const pool = createAnalysisPool({ size: 1 });
    try {
      const path = sharedDataPath('fadul', 'fadul_5-1.x3p');
      const topographySha256 = sha256(readFileSync(path));
      const own = (await pool.signature({ path })).signature;
      const other = (await pool.signature({ path: sharedDataPath('fadul', 'fadul_6-1.x3p') })).signature;
      const featuresFile = (name: string, bytes: Buffer) => {
        const file = join(dir, name);
        writeFileSync(file, bytes);
        return file;
      };
      const notesWith = async (featuresPath: string) => {
        const query = { ...casing(path), featuresPath };
        return (
          await scorer.correlate(
            query,
            [casing(sharedDataPath('fadul', 'fadul_5-2.x3p'))],
            5,
            new AbortController().signal,
          )
        ).notes.map((n) => n.text);
      };
      expect(
        await notesWith(
          featuresFile(
            'agree.json',
            encodeSignatureFile({ topographySha256, paramsKey: screeningParamsKey, signature: own }),
          ),
        ),
      ).toEqual([]);
      expect(
        await notesWith(
          featuresFile(
            'differ.json',
            encodeSignatureFile({ topographySha256, paramsKey: screeningParamsKey, signature: other }),
          ),
        ),
      ).toEqual([expect.stringMatching(/differs from the hub's for the same topography/)]);
      expect(
        await notesWith(
          featuresFile(
            'params.json',
            encodeSignatureFile({ topographySha256, paramsKey: '{"version":0}', signature: own }),
          ),
        ),
      ).toEqual([expect.stringMatching(/other parameters or another engine version/)]);
      expect(
        await notesWith(
          featuresFile(
            'elsewhere.json',
            encodeSignatureFile({ topographySha256: 'cd'.repeat(32), paramsKey: screeningParamsKey, signature: own }),
          ),
        ),
      ).toEqual([expect.stringMatching(/of another topography/)]);
      expect(await notesWith(featuresFile('garbage.json', Buffer.from('not a signature')))).toEqual([
        expect.stringMatching(/could not be read: not JSON/),
      ]);
      expect(await notesWith(featuresFile('huge.json', Buffer.alloc(5 * 1024 * 1024, 32)))).toEqual([
        expect.stringMatching(/could not be read: \d+ bytes is too large/),
      ]);
    } finally {
      await pool.close();
    }
  });
});
