// Hub-scale benchmark (workload `hub-scale`, issue 14): the hub on PostgreSQL with `casebench hub worker` processes.
//  - screening latency: one new casing correlated against 10⁴ and 10⁵ stored casings of its calibre with 2 workers
//    (synthetic screening signatures for the population; the Fadul casings' real signatures planted among them, and
//    every casing's X3P a real Fadul scan, so the candidates that get full CMC are real comparisons);
//  - a second new casing against 10⁵ once the workers' partition caches are warm;
//  - correlations per second with 1 and 2 workers, for one worker per core (1 analysis thread each: how a hub
//    scales out) and for the default worker (an analysis thread per core), steady state (see throughput()), each
//    with the cores the workers used and their CPU time per correlation (the same with 2 workers as with 1 means no
//    work is duplicated: the wall-clock ratio then measures the cores the machine could give, not the hub), the CPU
//    share the machine gave one and two busy processes just before (cpuShare), and the load before and after — so a
//    run on an idle machine is conclusive and a run on a busy one says it is not;
//  - submissions per second through one and two hub front ends (processes) on one database;
//  - memory per worker, database size per 10⁵ casings, and what that means for 10⁷ casings and 100 workers.
// Run: npm run bench -- hub-scale (all), or npx node bench/hub-scale.bench.ts [section...] (latency, throughput,
// front-ends)
// A run of some sections prints its table but leaves bench/results/hub-scale.json alone.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { writeBenchReport, type BenchRow } from './report.ts';
import { sharedDataPath } from '../tests/fixtures/sharedData.ts';
import { startTestPostgres } from '../tests/fixtures/postgres.ts';
import { randomSignature, seeded } from '../tests/fixtures/screeningSignatures.ts';
import {
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  spawnHub,
  submissionInput,
  tempDir,
} from '../tests/integration/network/harness.ts';
import { freshDatabase, spawnWorker } from '../tests/integration/hubPostgres/pgHarness.ts';
import { seedPopulation, submitCasing } from '../tests/integration/hubPostgres/population.ts';
import { openPostgresPool, type PgPool } from '../electron/network/hub/postgres/connect.ts';
import { migrateHub } from '../electron/network/hub/postgres/migrate.ts';
import { engineAnalysis } from '../electron/network/hub/screening/analysis.ts';
import { encodeScreeningSignature } from '../electron/analysis/index.ts';
import { PartitionCache } from '../electron/network/hub/screening/partitionCache.ts';
import { partitionWindows, summarisePopulation } from '../electron/network/hub/screening/population.ts';

const root = tempDir('bench-hub-scale');
const progress = (line: string) => process.stderr.write(`hub-scale: ${line}\n`);
const cluster = startTestPostgres({ durable: true });
const rows: BenchRow[] = [];
const details: Record<string, unknown> = {};
const calibre = '9mm Luger';
const fadulDir = sharedDataPath('fadul');
const scans = readdirSync(fadulDir)
  .filter((f) => f.endsWith('.x3p'))
  .sort()
  .map((f) => join(fadulDir, f));
/** Known matches in the Fadul set (pairs.csv, truth KM): the same slide fired both. */
const knownMatches = readFileSync(join(fadulDir, 'pairs.csv'), 'utf8')
  .split('\n')
  .map((line) => line.split(','))
  .filter((f) => f[2] === 'KM')
  .map(([a, b]) => [join(fadulDir, a!), join(fadulDir, b!)] as const);
const isMate = (query: string, scan: string) =>
  knownMatches.some(([a, b]) => (a === query && b === scan) || (b === query && a === scan));

/** The real screening signature of every Fadul scan, as the engine stores it (computed once here). */
async function realEncodings(): Promise<{ encodings: Map<string, Buffer>; paramsKey: string; msPerScan: number }> {
  const engine = engineAnalysis({ workers: 2 });
  const t = performance.now();
  const encodings = new Map<string, Buffer>();
  const controller = new AbortController();
  await Promise.all(
    scans.map(async (path) => encodings.set(path, Buffer.from(await engine.encoding(path, controller.signal)))),
  );
  const msPerScan = (performance.now() - t) / scans.length;
  progress(`${scans.length} real signatures in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await engine.close();
  return { encodings, paramsKey: engine.paramsKey, msPerScan };
}

interface Network {
  url: string;
  shared: string;
  pool: PgPool;
  population: number;
}

/**
 * A database with `count` stored casings of other labs: the real Fadul signatures planted at the start (all but the
 * queries), synthetic ones for the rest, each casing's X3P a link to a real Fadul scan.
 */
async function network(
  name: string,
  count: number,
  real: Awaited<ReturnType<typeof realEncodings>>,
  queries: string[],
): Promise<Network> {
  const db = freshDatabase(cluster, name);
  const shared = join(root, name);
  const pool = openPostgresPool(db.url, { max: 4 });
  await migrateHub(pool);
  const planted = scans.filter((s) => !queries.includes(s));
  // The synthetic casings' scans (compared in full when one screens high): never a query's own scan or one of its
  // known matches, whose comparison would pass for a real match.
  const fillers = planted.filter((s) => !queries.some((q) => isMate(q, s)));
  const random = seeded(count);
  const t = performance.now();
  await seedPopulation(pool, {
    count,
    calibre,
    labs: ['LAB-2', 'LAB-3', 'LAB-4', 'LAB-5'],
    artifactsDir: join(shared, 'artifacts'),
    fileFor: (i) => (i < planted.length ? planted[i]! : fillers[i % fillers.length]!),
    encodingFor: (i) =>
      i < planted.length
        ? real.encodings.get(planted[i]!)!
        : Buffer.from(encodeScreeningSignature(randomSignature(random))),
    paramsKey: real.paramsKey,
    dateFor: (i) => (i % 5 === 0 ? null : `20${10 + (i % 16)}-0${1 + (i % 9)}-15`),
  });
  await pool.query('VACUUM ANALYZE submissions');
  await pool.query('VACUUM ANALYZE signatures');
  details[`seed-${name}`] = { casings: count, seconds: (performance.now() - t) / 1000 };
  progress(`${name}: ${count} casings stored in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { url: db.url, shared, pool, population: count };
}

/** A committed submission of LAB-1 whose X3P is `scan`, and its correlation job (as a commit makes them). */
const submit = (net: Network, scan: string, ref: string) =>
  submitCasing(net.pool, {
    artifactsDir: join(net.shared, 'artifacts'),
    scan,
    calibre,
    caseRef: ref,
    recoveryDate: '2020-06-01',
  });

async function waitCorrelated(pool: PgPool, ids: string[], timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: r } = await pool.query<{ n: string; dead: string }>(
      `SELECT count(*) FILTER (WHERE s.state = 'correlated') AS n,
         (SELECT count(*) FROM correlation_jobs j WHERE j.submission_id = ANY($1) AND j.state = 'dead') AS dead
       FROM submissions s WHERE s.id = ANY($1)`,
      [ids],
    );
    if (Number(r[0]!.dead) > 0) {
      const dead = await pool.query('SELECT kind, last_error FROM correlation_jobs WHERE state = $1', ['dead']);
      throw new Error(`a correlation job died: ${JSON.stringify(dead.rows)}`);
    }
    if (Number(r[0]!.n) === ids.length) return;
    if (Date.now() > deadline) throw new Error('correlations did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** CPU seconds (user + system) a process used so far, all its threads included. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Peak resident memory of a process (its analysis threads included). */
function peakMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
}

async function startWorkers(net: Network, n: number, args: string[]) {
  return Promise.all(Array.from({ length: n }, () => spawnWorker({ ...cluster, url: net.url }, net.shared, args)));
}

async function leadOf(pool: PgPool, id: string) {
  const { rows: leads } = await pool.query<{ other: string; score: number; detail: Record<string, unknown> }>(
    `SELECT l.other_submission_id AS other, l.score, l.detail FROM leads l WHERE l.submission_id = $1 ORDER BY l.score DESC`,
    [id],
  );
  return leads;
}

/** The machine's load (1-minute average) and cores, said beside every timing: the machine is shared. */
const load = () => `load ${loadavg()[0]!.toFixed(1)} on 2 cores`;

interface JobTiming {
  kind: string;
  part: number;
  createdS: number;
  finishedS: number;
  result: { stats?: { cached: boolean; rowsRead: number; readMs: number; screenMs: number }; ms?: number } | null;
}

async function jobTimings(pool: PgPool, id: string): Promise<JobTiming[]> {
  return (
    await pool.query<JobTiming>(
      `SELECT kind, part, extract(epoch FROM created_at - t0)::float8 AS "createdS",
         extract(epoch FROM finished_at - t0)::float8 AS "finishedS", CASE WHEN kind <> 'correlate' THEN result END AS result
       FROM correlation_jobs, (SELECT min(created_at) AS t0 FROM correlation_jobs WHERE submission_id = $1) first
       WHERE submission_id = $1 ORDER BY id`,
      [id],
    )
  ).rows;
}

/** Time to correlate one new casing against 10⁴ and 10⁵ stored casings with 2 workers, phase by phase. */
async function latency(real: Awaited<ReturnType<typeof realEncodings>>): Promise<void> {
  const share = await cpuShare();
  progress(`CPU share before latency: one busy process ${share.one.toFixed(2)} cores, two ${share.two.toFixed(2)}`);
  rows.push({
    metric: `CPU this bench got before the latency runs: two busy processes together (one alone ${share.one.toFixed(2)}; ${load()})`,
    value: share.two,
    unit: 'cores',
  });
  details.cpuShareLatency = share;
  const query = scans.find((s) => s.endsWith('fadul_1-1.x3p'))!;
  const second = scans.find((s) => s.endsWith('fadul_2-1.x3p'))!;
  for (const count of [10_000, 100_000]) {
    const net = await network(`latency_${count}`, count, real, [query, second]);
    const workers = await startWorkers(net, 2, ['--partition-size', '25000']);
    const loadBefore = load();
    const cpuBefore = workers.map((w) => cpuSeconds(w.child.pid!));
    const t = performance.now();
    const id = await submit(net, query, `LAT-${count}`);
    await waitCorrelated(net.pool, [id]);
    const seconds = (performance.now() - t) / 1000;
    const cpu = workers.map((w, i) => cpuSeconds(w.child.pid!) - cpuBefore[i]!).reduce((a, b) => a + b);
    progress(`latency against ${count}: ${seconds.toFixed(1)} s (${loadBefore})`);
    const jobs = await jobTimings(net.pool, id);
    const leads = await leadOf(net.pool, id);
    const files = await net.pool.query<{ id: string; sha: string }>(
      'SELECT id, x3p_sha256 AS sha FROM submissions WHERE id = ANY($1)',
      [leads.map((l) => l.other)],
    );
    const scanOf = (submissionId: string) => {
      const sha = files.rows.find((f) => f.id === submissionId)!.sha;
      return readlinkSync(join(net.shared, 'artifacts', sha.slice(0, 2), sha));
    };
    const mateRank = leads.findIndex((l) => isMate(query, scanOf(l.other))) + 1;
    rows.push({
      metric: `correlate one new casing against ${count.toLocaleString('en')} stored casings, 2 workers (signature, screening, registration check of the best 40, full CMC of the best 10; ${loadBefore})`,
      value: seconds,
      unit: 's',
      ...(count === 100_000 ? { target: '≤ 10 s', pass: seconds <= 10 } : {}),
    });
    rows.push(
      { metric: '  the workers’ CPU time for it (all threads)', value: cpu, unit: 's' },
      { metric: '  CPU the workers got while it ran (cores)', value: cpu / seconds, unit: 'cores' },
    );
    details[`latency-${count}`] = {
      seconds,
      jobs,
      leads: leads.map((l) => ({ score: l.score, detail: l.detail })),
      /** The first known match's place among the leads (0: none among them). */
      mateRank,
      load: loadBefore,
    };
    if (count === 100_000) {
      const screens = jobs.filter((j) => j.kind === 'screen');
      const registers = jobs.filter((j) => j.kind === 'register');
      const compares = jobs.filter((j) => j.kind === 'compare');
      const planned = Math.min(...screens.map((j) => j.createdS));
      const screened = Math.max(...screens.map((j) => j.finishedS));
      const registered = Math.max(...registers.map((j) => j.finishedS));
      const compared = Math.max(...compares.map((j) => j.finishedS));
      const pairsRegistered = (leads[0]?.detail.registered as number | undefined) ?? 0;
      const finished = jobs.find((j) => j.kind === 'correlate')!.finishedS;
      const pairSeconds = compares.map((j) => (j.result?.ms ?? 0) / 1000);
      const registerSeconds = registers.map((j) => (j.result?.ms ?? 0) / 1000);
      rows.push(
        { metric: '  of which: the new casing’s signature and the plan (one worker)', value: planned, unit: 's' },
        {
          metric: `  of which: screening 10⁵ in ${screens.length} partitions (both workers, caches cold)`,
          value: screened - planned,
          unit: 's',
        },
        {
          metric: `  of which: registration check of the signature's best ${pairsRegistered} on real scans, ${registers.length} jobs (both workers, 2 threads each)`,
          value: registered - screened,
          unit: 's',
        },
        {
          metric: `  of which: full CMC of the best ${compares.length} by registration on real scans, one job per pair (both workers, 2 threads each)`,
          value: compared - registered,
          unit: 's',
        },
        { metric: '  of which: the leads written (finishing step)', value: finished - compared, unit: 's' },
        {
          metric: '  one pair’s full CMC, median of the pairs (one analysis thread)',
          value: pairSeconds.sort((a, b) => a - b)[Math.floor(pairSeconds.length / 2)]!,
          unit: 's',
        },
        {
          metric: `  one register job (${Math.ceil(pairsRegistered / Math.max(1, registers.length))} pairs), median of the jobs`,
          value: registerSeconds.sort((a, b) => a - b)[Math.floor(registerSeconds.length / 2)] ?? 0,
          unit: 's',
        },
        {
          metric: '  the lead’s expected miss rate at this cut (Fadul references; an order of magnitude at this size)',
          value: (leads[0]?.detail.expectedMissRate as number | undefined) ?? NaN,
          unit: '',
        },
      );
      // A second new casing: the workers now hold the partitions they screened.
      const loadWarm = load();
      const cpuWarm = workers.map((w) => cpuSeconds(w.child.pid!));
      const t2 = performance.now();
      const id2 = await submit(net, second, `LAT2-${count}`);
      await waitCorrelated(net.pool, [id2]);
      const warmSeconds = (performance.now() - t2) / 1000;
      const warmCpu = workers.map((w, i) => cpuSeconds(w.child.pid!) - cpuWarm[i]!).reduce((a, b) => a + b);
      const warmJobs = await jobTimings(net.pool, id2);
      const warmScreens = warmJobs.filter((j) => j.kind === 'screen');
      progress(`second casing against ${count}: ${warmSeconds.toFixed(1)} s (${loadWarm})`);
      rows.push(
        {
          metric: `correlate a second new casing against 10⁵, 2 workers, partition caches warm (${loadWarm})`,
          value: warmSeconds,
          unit: 's',
          target: '≤ 10 s',
          pass: warmSeconds <= 10,
        },
        { metric: '  the workers’ CPU time for it (all threads)', value: warmCpu, unit: 's' },
        {
          metric: `  of which: screening 10⁵ in ${warmScreens.length} partitions from the workers’ caches`,
          value: Math.max(...warmScreens.map((j) => j.finishedS)) - Math.min(...warmScreens.map((j) => j.createdS)),
          unit: 's',
        },
      );
      details['latency-100000-warm'] = { seconds: warmSeconds, jobs: warmJobs, load: loadWarm };
    }
    const peaks = workers.map((w) => peakMiB(w.child.pid!));
    rows.push({
      metric: `peak memory per worker (2 analysis threads, partition cache, population ${count.toLocaleString('en')})`,
      value: Math.max(...peaks),
      unit: 'MiB',
    });
    for (const w of workers) await w.stop();
    details[`latency-${count}`] = {
      ...(details[`latency-${count}`] as object),
      peakMiB: peaks,
      workerLogs: workers.map((w) =>
        w
          .output()
          .split('\n')
          .filter((l) => l.includes('stopped')),
      ),
    };
    if (count === 100_000) {
      await screeningRate(net, real.paramsKey);
      await databaseSize(net);
    }
    await net.pool.end();
  }
}

/**
 * One worker's screening of one partition, step by step: read the encodings from PostgreSQL and decode them into the
 * index (a cold cache), screen; then the same partition again from the cache (only what changed is read).
 */
async function screeningRate(net: Network, paramsKey: string): Promise<void> {
  const spec = { calibre, region: 'breech_face', exceptLabId: 'LAB-1', paramsKey, dates: null };
  const summary = await summarisePopulation(net.pool, spec);
  const [range] = await partitionWindows(net.pool, spec, summary, 25_000);
  const query = encodeScreeningSignature(randomSignature(seeded(7)));
  const cache = new PartitionCache();
  const cold = await cache.screen(net.pool, spec, range!, query, 20);
  const warm = await cache.screen(net.pool, spec, range!, query, 20);
  const memory = cache.stats();
  rows.push(
    {
      metric: `read one partition of ${cold.screened.toLocaleString('en')} encodings from PostgreSQL and decode them (cache cold)`,
      value: cold.stats.readMs,
      unit: 'ms',
    },
    {
      metric: `the same partition from the worker's cache (${warm.stats.rowsRead} rows changed since)`,
      value: warm.stats.readMs,
      unit: 'ms',
    },
    { metric: 'screen it (all 64 rotations, two stages)', value: warm.stats.screenMs, unit: 'ms' },
    {
      metric: 'casings screened per second by one worker, cache cold → warm',
      value: cold.screened / ((cold.stats.readMs + cold.stats.screenMs) / 1000),
      unit: '/s',
    },
    {
      metric: '  … with the partition in the cache',
      value: warm.screened / ((warm.stats.readMs + warm.stats.screenMs) / 1000),
      unit: '/s',
    },
    { metric: 'cache memory per casing', value: memory.bytes / memory.casings, unit: 'B' },
  );
}

async function databaseSize(net: Network): Promise<void> {
  const sizes = (
    await net.pool.query<{ submissions: string; signatures: string; database: string }>(
      `SELECT pg_total_relation_size('submissions') AS submissions, pg_total_relation_size('signatures') AS signatures,
         pg_database_size(current_database()) AS database`,
    )
  ).rows[0]!;
  const perCasing = (Number(sizes.submissions) + Number(sizes.signatures)) / net.population;
  rows.push({
    metric: 'database size per 10⁵ casings (submissions + signatures, with indexes)',
    value: (perCasing * 100_000) / 2 ** 20,
    unit: 'MiB',
  });
  rows.push({
    metric: 'of which screening signatures per 10⁵ casings',
    value: Number(sizes.signatures) / 2 ** 20,
    unit: 'MiB',
  });
  details.databaseSize = {
    population: net.population,
    submissionsBytes: Number(sizes.submissions),
    signaturesBytes: Number(sizes.signatures),
    databaseBytes: Number(sizes.database),
    bytesPerCasing: perCasing,
    note: 'synthetic manifests are shorter than a real one (about 1 KiB more per casing with real lab, case and artifact fields)',
  };
}

/**
 * The CPU this machine gives us right now: one busy process, then two at once (cores each got). When two together
 * get no more than one alone, no number of workers can go faster here, whatever the hub does.
 */
async function cpuShare(): Promise<{ one: number; two: number }> {
  const busy = () =>
    promisify(execFile)(process.execPath, [
      '-e',
      'const t=Date.now();let x=0;while(Date.now()-t<4000)x+=Math.sqrt(x+1);const u=process.cpuUsage();console.log((u.user+u.system)/4e6)',
    ]).then((r) => Number(r.stdout));
  const one = await busy();
  const two = (await Promise.all([busy(), busy()])).reduce((a, b) => a + b);
  return { one, two };
}

/** Jobs a worker took that were meant for another (its stop line): pairs whose query scan it prepared again. */
const helpedOf = (log: string) => Number(/(\d+) of them meant for another worker/.exec(log)?.[1] ?? NaN);

/** A way to run workers: its name in the table, and the `hub worker` arguments. */
interface WorkerConfig {
  name: string;
  args: string[];
  /** Measure with 2 workers too (else 1 only). */
  pair: boolean;
  /** The 2 workers / 1 ratio is the target (≥ 1.7). */
  target: boolean;
}

/**
 * Correlations per second with 1 and 2 workers, population 10⁴, in each of the ways an operator may run them:
 *  - one worker per core (1 analysis thread each): how a hub scales out, one process per core or machine — the
 *    issue's 2-workers-vs-1 target is read on this one;
 *  - the default worker (one analysis thread per core, here 2): one such worker already uses both cores, so a
 *    second on the same machine can add little — the row says what the machine capped it at;
 *  - one worker per core with V8's parallel GC (--parallel-gc, 1 worker only): what single-threaded GC saves.
 * Each row says the cores the workers used. Measured in a steady state, as a long-running worker works: each worker
 * has its engine started (before it says so) and has done one correlation before the clock starts (its partition of
 * the population read and decoded). Each analysis thread keeps 24 MiB of prepared scans (about four): the query of
 * the correlation in hand stays, but candidates are prepared afresh for each correlation, as in a network where the
 * best candidates of one casing are rarely those of the next — here the same 40 real scans stand behind every
 * casing, and a worker that kept them all would be measured doing less work than it would do in service (and one
 * worker's cache would favour one worker).
 */
async function throughput(real: Awaited<ReturnType<typeof realEncodings>>): Promise<void> {
  const queries = scans.filter((s) => /fadul_[1-5]-1\.x3p$/.test(s));
  const warmUps = scans.filter((s) => /fadul_(7|8)-1\.x3p$/.test(s));
  const measured = [...queries, ...queries]; // 10 correlations (each submission its own casing and file)
  const net = await network('throughput', 10_000, real, [...queries, ...warmUps]);
  const share = await cpuShare();
  progress(`CPU share: one busy process ${share.one.toFixed(2)} cores, two together ${share.two.toFixed(2)}`);
  rows.push(
    { metric: `CPU this bench got: one busy process (${load()})`, value: share.one, unit: 'cores' },
    { metric: '  two busy processes at once, together', value: share.two, unit: 'cores' },
  );
  details.cpuShare = share;
  // What the machine allowed: two busy processes against one (1.0 when the cores are taken by others).
  const allowed = share.two / share.one;
  const configs: WorkerConfig[] = [
    {
      name: 'one worker per core (1 analysis thread each)',
      args: ['--analysis-workers', '1', '--scan-cache-mib', '24'],
      pair: true,
      target: true,
    },
    { name: 'default worker (2 analysis threads each)', args: ['--scan-cache-mib', '24'], pair: true, target: false },
    {
      name: 'one worker per core with V8 parallel GC (--parallel-gc)',
      args: ['--analysis-workers', '1', '--scan-cache-mib', '24', '--parallel-gc'],
      pair: false,
      target: false,
    },
  ];
  let tag = 0;
  for (const config of configs) {
    const rates: Record<number, number> = {};
    const cpuPer: Record<number, number> = {};
    const cores: Record<number, number> = {};
    for (const n of config.pair ? [1, 2] : [1]) {
      tag++;
      const workers = await startWorkers(net, n, config.args);
      // One correlation per worker before the clock starts (both idle workers are woken together and take one each).
      const warm: string[] = [];
      for (const [i, q] of warmUps.slice(0, n).entries()) warm.push(await submit(net, q, `WARM${tag}-${i}`));
      await waitCorrelated(net.pool, warm);
      const loadBefore = load();
      const cpuBefore = workers.map((w) => cpuSeconds(w.child.pid!));
      const t = performance.now();
      const ids: string[] = [];
      for (const [i, q] of measured.entries()) ids.push(await submit(net, q, `TP${tag}-${i}`));
      await waitCorrelated(net.pool, ids);
      const seconds = (performance.now() - t) / 1000;
      rates[n] = measured.length / seconds;
      const cpu = workers.map((w, i) => cpuSeconds(w.child.pid!) - cpuBefore[i]!);
      cpuPer[n] = cpu.reduce((a, b) => a + b) / measured.length;
      cores[n] = cpu.reduce((a, b) => a + b) / seconds;
      const loadAfter = load();
      progress(
        `throughput, ${config.name}, ${n} worker(s): ${measured.length} correlations in ${seconds.toFixed(1)} s, ` +
          `${cpuPer[n]!.toFixed(2)} CPU-s each, ${cores[n]!.toFixed(2)} cores (${loadBefore} before, ${loadAfter} after)`,
      );
      const peaks = workers.map((w) => peakMiB(w.child.pid!));
      for (const w of workers) await w.stop();
      const stopLines = workers.map((w) =>
        w
          .output()
          .split('\n')
          .filter((l) => l.includes('stopped'))
          .join(' '),
      );
      const helped = stopLines.map(helpedOf).reduce((a, b) => a + b);
      rows.push(
        {
          metric: `correlations per second, ${n} worker${n > 1 ? 's' : ''}, ${config.name} (10⁴ casings; registration check of 40, full CMC of the best 10; ${loadBefore} before, ${loadAfter} after)`,
          value: rates[n],
          unit: '/s',
        },
        { metric: '  worker CPU time per correlation (all threads)', value: cpuPer[n], unit: 's' },
        { metric: `  cores the worker${n > 1 ? 's' : ''} used while they worked`, value: cores[n], unit: 'cores' },
      );
      if (n > 1)
        rows.push({
          metric:
            '  jobs a worker took that were meant for the other (its query scan prepared again; warm-up included)',
          value: helped,
          unit: 'jobs',
        });
      details[`throughput-${tag}`] = {
        config: config.name,
        args: config.args,
        workers: n,
        correlations: measured.length,
        seconds,
        cpuSeconds: cpu,
        cores: cores[n],
        load: [loadBefore, loadAfter],
        peakMiB: peaks,
        helped,
        workerLogs: stopLines,
      };
    }
    if (!config.pair) continue;
    const ratio = rates[2]! / rates[1]!;
    // Two workers can at most use the cores the machine gives two busy processes; one already used cores[1].
    const cap = Math.min(2, share.two) / cores[1]!;
    rows.push(
      {
        metric: `${config.name}: worker CPU time per correlation, 2 workers / 1 (1.00 = nothing done twice)`,
        value: cpuPer[2]! / cpuPer[1]!,
        unit: '×',
      },
      {
        metric: `${config.name}: the most 2 workers could give here (cores two busy processes got / cores one worker used)`,
        value: cap,
        unit: '×',
      },
      {
        metric: `${config.name}: correlation throughput, 2 workers / 1 (${allowed >= 1.8 ? 'conclusive: the machine gave two processes two cores' : 'NOT conclusive: the machine did not give two processes two cores'})`,
        value: ratio,
        unit: '×',
        ...(config.target ? { target: '≥ 1.7', pass: ratio >= 1.7 } : {}),
      },
    );
    details[`throughputVerdict ${config.name}`] = {
      ratio,
      allowed,
      cap,
      cpuPerCorrelation: cpuPer,
      cores,
      conclusive: allowed >= 1.8,
      note: 'the ratio is bounded by min(2 cores, what two processes got) / (cores one worker used), and by CPU per correlation 2 workers / 1',
    };
  }
  await net.pool.end();
}

/** Submissions per second through one hub front end, then two, on one database (no workers: the front ends only). */
async function frontEnds(): Promise<void> {
  const pki = await makePki(join(root, 'pki'));
  const perStation = 150;
  const rates: Record<number, number> = {};
  for (const n of [1, 2]) {
    const db = freshDatabase(cluster, `front_${n}`);
    const shared = join(root, `front-${n}`);
    const hubs = await Promise.all(Array.from({ length: n }, () => spawnHub(pki.dir, shared, ['--db', db.url])));
    const stations = [pki.lab1, pki.lab2].map((credentials, i) =>
      openStation(pki, credentials, hubs[i % n]!.url, tempDir('bench-st'), { concurrency: 4 }),
    );
    for (const [s, station] of stations.entries()) {
      const artifact = makeArtifact(station.dir, 64 * 1024, 'x3p');
      for (let i = 0; i < perStation; i++) enqueue(station, submissionInput(`FE${s}-${i}`, 'Q1', [artifact]));
    }
    const pool = openPostgresPool(db.url, { max: 1 });
    const total = perStation * stations.length;
    const t = performance.now();
    for (const station of stations) station.worker.start();
    // Until the hub holds every submission committed (no workers run: nothing gets correlated).
    for (;;) {
      const { rows: r } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM submissions WHERE state = 'committed'`,
      );
      if (Number(r[0]!.n) === total) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - t) / 1000;
    await pool.end();
    rates[n] = total / seconds;
    progress(`front ends ${n}: ${total} submissions in ${seconds.toFixed(1)} s`);
    rows.push({
      metric: `submissions per second through ${n} front end${n > 1 ? 's' : ''} (2 stations, 64 KiB X3P each)`,
      value: rates[n],
      unit: '/s',
    });
    for (const station of stations) await station.close();
    for (const hub of hubs) await hub.stop();
  }
  rows.push({ metric: 'submissions per second, 2 front ends / 1', value: rates[2]! / rates[1]!, unit: '×' });
}

const sections = { latency: 'latency', throughput: 'throughput', 'front-ends': 'front-ends' } as const;
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in sections));
if (unknown.length > 0)
  throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
const runs = wanted.length > 0 ? wanted : Object.keys(sections);
try {
  const real = runs.some((r) => r !== 'front-ends') ? await realEncodings() : undefined;
  if (real) {
    rows.push({
      metric: 'screening signature of one real scan (engine, 2 threads)',
      value: real.msPerScan,
      unit: 'ms',
    });
    details.signatureBytes = real.encodings.values().next().value?.byteLength;
  }
  for (const name of runs) {
    if (name === 'latency') await latency(real!);
    if (name === 'throughput') await throughput(real!);
    if (name === 'front-ends') await frontEnds();
  }
  if (wanted.length === 0) writeBenchReport('hub-scale', rows, details);
  else {
    console.table(
      rows.map((r) => ({
        metric: r.metric,
        value: Math.round(r.value * 1000) / 1000,
        unit: r.unit,
        target: r.target ?? '',
        pass: r.pass ?? '',
      })),
    );
    console.log(JSON.stringify(details, null, 1));
  }
} finally {
  cluster.destroy();
  removeDir(root);
}
