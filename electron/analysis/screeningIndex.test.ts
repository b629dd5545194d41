import { describe, expect, it } from 'vitest';
import { loadOpenCv } from './opencv.ts';
import { loadScan } from './scans.ts';
import { cmcPreprocessDefaults } from './cmc/params.ts';
import { compareSignatures, screeningSignature, type ScreeningSignature } from './screening.ts';
import {
  ScreeningIndex,
  decodeScreeningEncoding,
  encodeScreeningSignature,
  screeningEncodingBytes,
} from './screeningIndex.ts';
import { like, randomSignature, seeded as seededRandom } from '../../tests/fixtures/screeningSignatures.ts';
import { sharedDataPath } from '../../tests/fixtures/sharedData.ts';

describe('screening encoding', () => {
  it('is 584 bytes for a 12 × 64 signature at 24 harmonics and decodes to its shape', () => {
    const signature = randomSignature(seededRandom(1));
    const bytes = encodeScreeningSignature(signature);
    expect(bytes.byteLength).toBe(584);
    expect(screeningEncodingBytes({ rings: 12, harmonics: 24 })).toBe(584);
    const decoded = decodeScreeningEncoding(bytes);
    expect([decoded.rings, decoded.harmonics]).toEqual([12, 24]);
    expect(decoded.scale).toBeGreaterThan(0);
    expect(encodeScreeningSignature(signature, { harmonics: 8 }).byteLength).toBe(8 + 12 * 8 * 2);
    // Read from inside a larger buffer (a database driver's pooled Buffer): same result.
    const pooled = new Uint8Array(bytes.byteLength + 13);
    pooled.set(bytes, 13);
    expect(decodeScreeningEncoding(pooled.subarray(13)).codes).toEqual(decoded.codes);
  });

  it('refuses bytes that are not an encoding, with a reason', () => {
    const bytes = encodeScreeningSignature(randomSignature(seededRandom(2)));
    expect(() => decodeScreeningEncoding(bytes.subarray(0, 5))).toThrow(/too short/);
    expect(() => decodeScreeningEncoding(bytes.subarray(0, 580))).toThrow(/580 bytes/);
    expect(() => decodeScreeningEncoding(Uint8Array.of(9, ...bytes.subarray(1)))).toThrow(/version/);
    const nanScale = bytes.slice();
    new DataView(nanScale.buffer).setFloat32(4, NaN, true);
    expect(() => decodeScreeningEncoding(nanScale)).toThrow(/scale/);
    expect(() => decodeScreeningEncoding(new Uint8Array(8))).toThrow(/version/);
    const signature = randomSignature(seededRandom(3));
    expect(() => encodeScreeningSignature(signature, { harmonics: 32 })).toThrow(/harmonics/);
    expect(() => encodeScreeningSignature(signature, { harmonics: 0 })).toThrow(/harmonics/);
  });
});

describe('ScreeningIndex', () => {
  it('scores as compareSignatures does, to within the quantisation, and finds the same rotation', () => {
    const random = seededRandom(7);
    const full = new ScreeningIndex({ harmonics: 31 });
    const kept = new ScreeningIndex();
    let worstFull = 0;
    let worstKept = 0;
    for (let i = 0; i < 60; i++) {
      const query = randomSignature(random);
      const candidate = i % 2 ? randomSignature(random) : like(query, random, i % 64, 0.5);
      full.add('c', candidate);
      kept.add('c', candidate);
      const exact = compareSignatures(query, candidate);
      const [a] = full.query(query).ranked;
      const [b] = kept.query(query).ranked;
      worstFull = Math.max(worstFull, Math.abs(a.score - exact.score));
      worstKept = Math.max(worstKept, Math.abs(b.score - exact.score));
      if (i % 2 === 0) {
        expect(a.angleDeg).toBeCloseTo(exact.angleDeg, 6);
        expect(b.angleDeg).toBeCloseTo(exact.angleDeg, 6);
      }
    }
    expect(full.size).toBe(1);
    expect(worstFull).toBeLessThan(0.02);
    expect(worstFull).toBeGreaterThan(0); // a quantisation, not a copy
    expect(worstKept).toBeLessThan(0.08); // plus the harmonics left out (these rings are rougher than real ones)
  });

  it('ranks the casing like the query first among thousands, whatever its turn', () => {
    const random = seededRandom(11);
    const query = randomSignature(random);
    const index = new ScreeningIndex({ capacity: 16 });
    for (let i = 0; i < 3000; i++) index.add(`other-${i}`, randomSignature(random));
    index.add('same-gun', like(query, random, 17));
    const { ranked, scanned, shortlisted } = index.query(query, { limit: 5, shortlist: 300 });
    expect(shortlisted).toBe(300); // the coarse stage passed 300 of 3001 on to the full score
    expect(index.query(query, { limit: 5 }).shortlisted).toBeNull(); // default: 10 000 and more in two stages
    const exact = index.query(query, { limit: 5, shortlist: Infinity });
    expect(exact.ranked).toEqual(ranked);
    expect(ranked.map((r) => r.id)[0]).toBe('same-gun');
    expect(ranked[0].angleDeg).toBeCloseTo((180 * 17) / 64, 6);
    expect(ranked).toHaveLength(5);
    expect(scanned).toBe(3001);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].score).toBeGreaterThanOrEqual(ranked[i].score);
    expect(exact.pruned).toBeGreaterThan(100); // the bound skips rotation searches that cannot enter the list
  });

  it('prunes exactly: the best k are the first k of the full ranking', () => {
    const random = seededRandom(5);
    const index = new ScreeningIndex();
    const query = randomSignature(random);
    for (let i = 0; i < 1500; i++)
      index.add(`e${i}`, i % 50 ? randomSignature(random) : like(query, random, i % 64, 1.5));
    const all = index.query(query).ranked;
    expect(all).toHaveLength(1500);
    for (const k of [1, 7, 40, 300]) expect(index.query(query, { limit: k }).ranked).toEqual(all.slice(0, k));
  });

  it('adds, replaces, removes and excludes by id; stored encodings screen as signatures do', () => {
    const random = seededRandom(13);
    const signatures = new Map<string, ScreeningSignature>();
    for (let i = 0; i < 40; i++) signatures.set(`s${i}`, randomSignature(random));
    const query = randomSignature(random);
    const fromSignatures = new ScreeningIndex({ capacity: 16 }); // grows twice
    const fromBytes = new ScreeningIndex();
    for (const [id, s] of signatures) {
      fromSignatures.add(id, s);
      fromBytes.addEncoded(id, encodeScreeningSignature(s));
    }
    expect(fromBytes.query(encodeScreeningSignature(query)).ranked).toEqual(fromSignatures.query(query).ranked);

    fromSignatures.add('s3', like(query, random, 0, 0.1)); // replaced, not added
    expect(fromSignatures.size).toBe(40);
    expect(fromSignatures.query(query, { limit: 1 }).ranked[0].id).toBe('s3');
    const excluded = fromSignatures.query(query, { limit: 1, exclude: new Set(['s3']) });
    expect(excluded.ranked[0].id).not.toBe('s3');
    expect(excluded.scanned).toBe(39);

    expect(fromSignatures.remove('s0')).toBe(true);
    expect(fromSignatures.remove('s0')).toBe(false);
    expect(fromSignatures.has('s0')).toBe(false);
    expect(fromSignatures.size).toBe(39);
    const ids = fromSignatures.query(query).ranked.map((r) => r.id);
    expect(ids).toHaveLength(39);
    expect(new Set(ids).size).toBe(39);
    expect(ids).not.toContain('s0');
    expect(fromSignatures.memoryBytes()).toBeGreaterThan(39 * 576);
    expect(new ScreeningIndex().query(query)).toMatchObject({ ranked: [], scanned: 0 });
  });

  it('refuses an encoding of another shape than the index holds', () => {
    const random = seededRandom(17);
    const index = new ScreeningIndex();
    index.add('a', randomSignature(random));
    expect(() => index.addEncoded('b', encodeScreeningSignature(randomSignature(random), { harmonics: 8 }))).toThrow(
      /8 harmonics/,
    );
    expect(() => index.add('c', randomSignature(random, 8, 64))).toThrow(/8 rings/);
    expect(() => index.addEncoded('d', new Uint8Array(584))).toThrow(/version/);
    expect(() => index.query(randomSignature(random, 8, 64))).toThrow(/8 rings/);
    expect(index.size).toBe(1);
    expect(() => new ScreeningIndex({ harmonics: 0 })).toThrow(/harmonics/);
    expect(() => new ScreeningIndex({ coarseHarmonics: 0 })).toThrow(/coarseHarmonics/);
  });

  it('scores the same whether the first stage holds some or all of the harmonics', () => {
    const random = seededRandom(19);
    const query = randomSignature(random);
    const split = new ScreeningIndex({ harmonics: 6, coarseHarmonics: 4 }); // first stage: harmonics 1–4, then 5–6
    const whole = new ScreeningIndex({ harmonics: 6, coarseHarmonics: 6 });
    const few = new ScreeningIndex({ harmonics: 3 }); // fewer harmonics than the first stage's: all in it
    for (let i = 0; i < 200; i++) {
      const s = i % 20 ? randomSignature(random) : like(query, random, i % 64, 0.5);
      for (const index of [split, whole, few]) index.add(`e${i}`, s);
    }
    split.remove('e7'); // the last entry moves into its slot, in both halves
    whole.remove('e7');
    const ranked = split.query(query, { shortlist: Infinity }).ranked;
    expect(ranked).toHaveLength(199);
    expect(whole.query(query, { shortlist: Infinity }).ranked).toEqual(ranked);
    expect(few.query(query, { limit: 3 }).ranked).toHaveLength(3);
    expect(few.coarseHarmonics).toBe(3);
  });

  it('on real Fadul scans, ranks as compareSignatures does', async () => {
    const cv = await loadOpenCv();
    const names = ['1-1', '1-2', '2-1', '3-1', '4-1', '5-1'];
    const signatures = new Map<string, ScreeningSignature>();
    for (const name of names) {
      const { scan } = await loadScan(
        cv,
        { path: sharedDataPath('fadul', `fadul_${name}.x3p`) },
        { ...cmcPreprocessDefaults },
      );
      signatures.set(name, screeningSignature(scan));
    }
    const index = new ScreeningIndex();
    for (const [id, s] of signatures) index.add(id, s);
    for (const [id, query] of signatures) {
      const ranked = index.query(query, { exclude: new Set([id]) }).ranked;
      for (const hit of ranked) {
        const exact = compareSignatures(query, signatures.get(hit.id)!).score;
        expect(Math.abs(hit.score - exact), `${id} × ${hit.id}`).toBeLessThan(0.06);
      }
      if (id === '1-1') expect(ranked[0].id).toBe('1-2');
    }
  }, 120_000);
});
