// Search over a station database holding all 40 Fadul scans as acquisitions (one case per scan): every scan
// searched for once with the top 5 fully scored — cold (signatures computed) for the first, from the signature
// cache afterwards — and the pair view (compare.run with cells and surfaces; both scans are then already prepared
// in a worker, so it measures the comparison and the views, not reading and preprocessing). Reports times, whether the first-ranked
// candidate is a known match (same slide), and how many known matches the screening stage put into the top 5.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../electron/host/createHost.ts';
import { hashPassword } from '../electron/host/services/passwords.ts';
import { sharedDataPath } from '../tests/fixtures/sharedData.ts';
import { seedScans } from '../tests/fixtures/searchData.ts';
import { percentile, writeBenchReport, type BenchRow } from './report.ts';

const topK = 5;
const scans = [
  ...new Map(
    readFileSync(sharedDataPath('fadul', 'scans.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => {
        const [file, , slide] = line.split(',');
        return [file!.slice(6, -4), slide!] as const;
      }),
  ).entries(),
].sort();
const names = scans.map(([n]) => n);
const slideOf = new Map(scans);
const dataDir = mkdtempSync(join(tmpdir(), 'casebench-bench-search-'));
const host = createHost({ dataDir, log: () => {} });
const signal = new AbortController().signal;
try {
  const user = host.auth.createUser(
    { userId: null, username: 'bench' },
    { username: 'bench', displayName: 'Bench', role: 'admin', passwordHash: await hashPassword('bench-password-1') },
  );
  const ids = seedScans(
    host,
    user.id,
    names.map((n) => ({ scan: n, caseNumber: `FADUL-${n}`, exhibit: n })),
  );
  const nameOf = (id: number) => names[ids.indexOf(id)]!;
  const actor = { userId: user.id, username: 'bench' };
  const filters = { calibre: null, dateField: 'acquired' as const, from: null, to: null };
  const times: number[] = [];
  let firstIsMatch = 0;
  let matchesInTop = 0;
  let matchesTotal = 0;
  let allMatchesAboveNonMatches = 0;
  const recallAt = { 10: 0, 20: 0 };
  let cold = { totalMs: 0, signaturesMs: 0, computed: 0 };
  for (const [i, name] of names.entries()) {
    const t0 = performance.now();
    const r = await host.search.search(
      actor,
      { acquisitionId: ids[i]!, filters, topK },
      { signal, progress: () => {} },
    );
    const ms = performance.now() - t0;
    if (i === 0) cold = { totalMs: ms, signaturesMs: r.timing.signaturesMs, computed: r.signatures.computed };
    else times.push(ms);
    const known = (id: number) => slideOf.get(nameOf(id)) === slideOf.get(name);
    if (known(r.results[0]!.acquisitionId)) firstIsMatch++;
    const scored = r.results.filter((c) => c.cmc);
    const matches = r.results.filter((c) => known(c.acquisitionId));
    matchesTotal += matches.length;
    matchesInTop += matches.filter((c) => c.cmc).length;
    for (const k of [10, 20] as const)
      recallAt[k] += matches.filter((c) => c.screeningRank !== null && c.screeningRank <= k).length;
    const lowestMatch = Math.min(...scored.filter((c) => known(c.acquisitionId)).map((c) => c.cmc!.combined));
    const highestOther = Math.max(-1, ...scored.filter((c) => !known(c.acquisitionId)).map((c) => c.cmc!.combined));
    if (matches.every((c) => c.cmc) && lowestMatch > highestOther) allMatchesAboveNonMatches++;
  }
  const c0 = performance.now();
  const pair = await host.search.compare(actor, { a: ids[0]!, b: ids[1]! }, { signal });
  const compareMs = performance.now() - c0;
  const rows: BenchRow[] = [
    {
      metric: `first search, ${names.length - 1} candidates, top ${topK} (cold: ${cold.computed} signatures computed)`,
      value: cold.totalMs / 1000,
      unit: 's',
    },
    { metric: '  of which computing signatures', value: cold.signaturesMs / 1000, unit: 's' },
    { metric: 'later searches (signatures from the cache), median', value: percentile(times, 50) / 1000, unit: 's' },
    { metric: 'later searches, 95th percentile', value: percentile(times, 95) / 1000, unit: 's' },
    { metric: 'searches ranking a known match (same slide) first', value: firstIsMatch, unit: `of ${names.length}` },
    { metric: `known matches the screening put into the top ${topK}`, value: matchesInTop, unit: `of ${matchesTotal}` },
    {
      metric: 'known matches within screening rank 10 (of 39 candidates)',
      value: recallAt[10],
      unit: `of ${matchesTotal}`,
    },
    {
      metric: 'known matches within screening rank 20 (the default top K)',
      value: recallAt[20],
      unit: `of ${matchesTotal}`,
    },
    {
      metric: 'searches with every known match fully scored and above every non-match',
      value: allMatchesAboveNonMatches,
      unit: `of ${names.length}`,
    },
    { metric: 'pair view (compare.run with cells and surfaces)', value: compareMs, unit: 'ms' },
    {
      metric: 'pair view surfaces (both, Float32)',
      value: pair.surfaces.a.heights.byteLength + pair.surfaces.b.heights.byteLength,
      unit: 'B',
    },
  ];
  writeBenchReport('search', rows, { scans: names.length, topK, poolSize: 'min(4, cores)' });
} finally {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
}
