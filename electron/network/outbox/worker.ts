// The outbox worker: claims due jobs, sends them to the hub (create → resumable chunked upload → commit), verifies
// the hub's signed receipt, polls for leads, and decides per failure whether to retry, wait for the network, or
// stop and show a person the reason. Every state change is one atomic step of its store (store.ts), so it survives SIGKILL.
import { open } from 'node:fs/promises';
import { Listeners } from '../../base/listeners.ts';
import type { Log } from '../../base/log.ts';
import type { OutboxJob, OutboxStore, StoredResults } from './store.ts';
import { canonicalJson } from '../../base/canonicalJson.ts';
import { HubClient, HubError } from '../client.ts';
import {
  manifestBytes,
  receiptBytes,
  sha256,
  signedResultsProblem,
  verifyBytes,
  type Lead,
  type Receipt,
  type SubmissionResponse,
} from '../protocol.ts';
import { BandwidthLimiter, Slots, backoffDelay, defaultBackoff, type BackoffPolicy } from './pacing.ts';
import type { StationSigner } from './enqueue.ts';
import type { HitReportJob, HitReportStore } from './hitReportStore.ts';
import { readFeed, sendHitReport } from './hitReportSender.ts';
import { JobRejected } from './rejection.ts';

export type Connectivity = 'unknown' | 'online' | 'offline';

export type OutboxEvent =
  | { type: 'job'; job: OutboxJob }
  | { type: 'hitReport'; report: HitReportJob }
  | { type: 'progress'; jobId: number; bytesSent: number; bytesTotal: number }
  | { type: 'connectivity'; connectivity: Connectivity; reason?: string };

export interface OutboxWorkerOptions {
  store: OutboxStore;
  client: HubClient;
  /** Hit reports to send and the lab's feed to read; without it the worker sends submissions only. */
  hitReports?: HitReportStore;
  /** Signs hit reports at their first attempt. */
  signer?: StationSigner;
  /** How often the lab's feed (new leads, hits on our casings) is read while online. */
  feedPollMs?: number;
  /**
   * Requests sending artifact bytes at once (upload slots). Twice as many jobs (of different cases; one case is
   * always sent in order) are in flight, so that while some send bytes others create or commit their submission
   * (small requests) and the slots never wait for those round trips.
   */
  concurrency?: number;
  chunkBytes?: number;
  /** Average upload limit over all jobs, bytes per second; unlimited when absent. */
  bandwidthBytesPerSecond?: number;
  /** A job is dead after this many failed attempts the hub could have answered (unreachable hubs do not count). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** How soon after commit, and then how often at most, the hub is asked for leads. */
  leadsPollMs?: { firstMs: number; maxMs: number };
  /** How often an offline station probes the hub, at most. */
  probeMaxMs?: number;
  now?: () => number;
  random?: () => number;
  onEvent?: (event: OutboxEvent) => void;
  /** Where the worker reports what it cannot record on a job (a bug); the host's log. Default: stderr. */
  log?: Log;
}

/** Transport errors that mean "the hub or the path to it is not there", as opposed to a refusal. */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof HubError) return { code: error.code, message: error.message };
  return { code: 'internal', message: (error as Error)?.message ?? String(error) };
}

/**
 * Artifacts of one job in flight at once: while one's bytes go out, another's wait for the hub's answer (hash
 * check, fsync, rename), so a job of many small files does not pause for each answer.
 */
const artifactLanesPerJob = 3;

/**
 * Refusals that say where the upload stands rather than that the job is wrong: the next attempt asks the hub again
 * and sends what is missing (e.g. the hub stopped before it had stored an artifact whose bytes had all arrived).
 */
const resumableRefusals = new Set(['artifacts_missing', 'offset_mismatch']);

/** What becomes of a job or report whose attempt failed. */
type Verdict =
  | { then: 'release' }
  | { then: 'reject' | 'dead'; failure: { code: string; message: string } }
  | { then: 'retry'; at: number; countAttempt: boolean; failure: { code: string; message: string } };

export class OutboxWorker {
  readonly store: OutboxStore;
  private readonly client: HubClient;
  private readonly concurrency: number;
  private readonly uploadSlots: Slots;
  /** Called whenever a job in flight finishes (drained() listens instead of only polling). */
  private readonly settled = new Listeners<void>();
  private readonly chunkBytes: number;
  private readonly limiter: BandwidthLimiter | undefined;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly leadsPoll: { firstMs: number; maxMs: number };
  private readonly probeMaxMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onEvent: (event: OutboxEvent) => void;
  private readonly log: Log;
  private readonly active = new Map<number, { abort: AbortController; done: Promise<void> }>();
  private readonly hitReports: HitReportStore | undefined;
  private readonly signer: StationSigner | undefined;
  private readonly feedPollMs: number;
  /** Hit reports being sent (their own ids: they are not jobs). */
  private readonly activeReports = new Map<number, Promise<void>>();
  private nextFeedAt = 0;
  /** Jobs whose signed results lack leads the feed brought: fetched again at the next feed read. */
  private readonly staleResults = new Set<number>();
  private feedReading: Promise<void> | undefined;
  /**
   * Chunk buffers of finished artifact uploads, for the next ones: a new buffer per chunk meant allocating every
   * byte sent once more, and about a fifth of the station's time in a drain went to collecting them. There are at
   * most as many as artifacts ever in flight at once.
   */
  private readonly spareChunkBuffers: Buffer[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private offlineSince: number | undefined;
  private probeFailures = 0;
  private nextProbeAt = 0;
  connectivity: Connectivity = 'unknown';
  private lastOfflineReason: string | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.store = options.store;
    this.client = options.client;
    this.hitReports = options.hitReports;
    this.signer = options.signer;
    this.feedPollMs = options.feedPollMs ?? 60_000;
    this.concurrency = options.concurrency ?? 2;
    this.uploadSlots = new Slots(this.concurrency);
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.limiter = options.bandwidthBytesPerSecond ? new BandwidthLimiter(options.bandwidthBytesPerSecond) : undefined;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? defaultBackoff;
    this.leadsPoll = options.leadsPollMs ?? { firstMs: 2_000, maxMs: 10 * 60_000 };
    this.probeMaxMs = options.probeMaxMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onEvent = options.onEvent ?? (() => {});
    this.log =
      options.log ??
      ((level, message, fields) => process.stderr.write(`${JSON.stringify({ level, message, ...fields })}\n`));
  }

  /** Starts the loop. Jobs a killed process held are released first (running → pending). */
  start(): void {
    if (this.running) return;
    this.store.releaseAll();
    this.hitReports?.releaseHitReports();
    // Leads the feed brought before a stop, whose signed statement was not fetched yet.
    if (this.hitReports) for (const id of this.store.correlatedWithUnsignedLeads()) this.staleResults.add(id);
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming, aborts jobs in flight (they stay resumable) and waits for them. */
  async stop(): Promise<void> {
    this.running = false;
    for (const { abort } of this.active.values()) abort.abort();
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
    await Promise.allSettled([...this.activeReports.values(), this.feedReading]);
  }

  /** New work or a person's retry: look again now instead of at the next due time. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops work on a job in flight (it stays resumable) and resolves once the worker has let go of it. */
  async letGo(id: number): Promise<void> {
    const inFlight = this.active.get(id);
    if (inFlight) {
      inFlight.abort.abort();
      await inFlight.done;
    }
  }

  /** Cancels a job; a job in flight is aborted first. False when it is already committed (that cannot be undone). */
  async cancel(id: number): Promise<boolean> {
    await this.letGo(id);
    const canceled = this.store.cancel(id, this.now());
    this.emitJob(id);
    return canceled;
  }

  retry(id: number): boolean {
    const retried = this.store.retry(id, this.now());
    this.emitJob(id);
    this.wake();
    return retried;
  }

  /** Resolves when nothing is left to send (and, with `leads`, every committed job has its leads). */
  async drained(options: { leads?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    while (
      this.store.pendingCount(options.leads ?? false) > 0 ||
      this.active.size > 0 ||
      (this.hitReports?.pendingHitReports() ?? 0) > 0 ||
      this.activeReports.size > 0
    ) {
      if (options.signal?.aborted) throw new Error('canceled');
      // Looks again when a job finishes, or after 20 ms (jobs also change outside this worker: retry, import).
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          stopListening();
          resolve();
        };
        const timer = setTimeout(done, 20);
        const stopListening = this.settled.add(done);
      });
    }
  }

  private emitJob(id: number): void {
    const job = this.store.get(id);
    if (job) this.onEvent({ type: 'job', job });
  }

  private setConnectivity(next: Connectivity, reason?: string): void {
    if (next === this.connectivity && reason === this.lastOfflineReason) return;
    this.connectivity = next;
    this.lastOfflineReason = reason;
    this.onEvent({ type: 'connectivity', connectivity: next, reason });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const now = this.now();
      if (this.connectivity === 'offline' && now >= this.nextProbeAt) await this.probe();
      const sendAllowed = this.connectivity !== 'offline';
      // Twice the upload slots: while some jobs send bytes, others create or commit their submission.
      const inFlightLimit = 2 * this.concurrency;
      const claimed = sendAllowed ? this.store.claimDue(now, inFlightLimit - this.active.size) : [];
      for (const job of claimed) {
        const abort = new AbortController();
        // process() records every failure on the job itself; what escapes is a closed database at shutdown
        // (the job stays resumable) or a bug, which is reported while running.
        const done = this.process(job, abort.signal)
          .catch((error: unknown) => {
            if (this.running)
              this.log('error', 'outbox job failed unexpectedly', {
                job: job.id,
                error: (error as Error)?.stack ?? String(error),
              });
          })
          .finally(() => {
            this.active.delete(job.id);
            this.wake();
            this.settled.emit();
          });
        this.active.set(job.id, { abort, done });
      }
      if (claimed.length > 0) continue;
      if (sendAllowed && this.hitReports) {
        const reports = this.hitReports.claimDueHitReports(now, inFlightLimit - this.activeReports.size);
        for (const report of reports) this.startReport(report);
        if (now >= this.nextFeedAt && !this.feedReading) this.startFeedRead();
        if (reports.length > 0) continue;
      }
      if (sendAllowed && this.active.size >= inFlightLimit) {
        // Full: nothing can be claimed until a job finishes, which wakes the loop (no polling meanwhile).
        await this.sleep(1000);
        continue;
      }
      const nextDue = this.store.nextDueAt();
      const nextReport = this.hitReports?.nextHitReportDueAt();
      const until = Math.min(
        nextDue === undefined ? Infinity : nextDue,
        nextReport === undefined ? Infinity : nextReport,
        this.hitReports && this.connectivity !== 'offline' ? this.nextFeedAt : Infinity,
        this.connectivity === 'offline' ? this.nextProbeAt : Infinity,
      );
      await this.sleep(Math.max(5, Math.min(1000, until - this.now())));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Asks the hub whether it is there; on the way back online every waiting job becomes due at once. */
  private async probe(): Promise<boolean> {
    try {
      await this.client.health();
      this.probeFailures = 0;
      this.offlineSince = undefined;
      this.setConnectivity('online');
      return true;
    } catch (error) {
      this.probeFailures++;
      this.offlineSince ??= this.now();
      this.nextProbeAt =
        this.now() +
        Math.min(
          this.probeMaxMs,
          backoffDelay(this.probeFailures, { baseMs: 500, maxMs: this.probeMaxMs }, this.random),
        );
      this.setConnectivity('offline', failureOf(error).message);
      return false;
    }
  }

  private async process(job: OutboxJob, signal: AbortSignal): Promise<void> {
    try {
      if (job.state === 'committed') await this.pollLeads(job);
      else await this.send(job, signal);
      this.setConnectivity('online');
    } catch (error) {
      await this.handleFailure(job, error, signal);
    }
    this.emitJob(job.id);
  }

  /** What a failed attempt means: a refusal stops it, an unreachable hub waits, anything else retries until dead. */
  private async verdict(error: unknown, attempts: number, signal?: AbortSignal): Promise<Verdict> {
    const now = this.now();
    const failure = failureOf(error);
    if (signal?.aborted) return { then: 'release' };
    if (error instanceof JobRejected) return { then: 'reject', failure: { code: error.code, message: error.message } };
    if (error instanceof HubError && !error.transient && !resumableRefusals.has(error.code))
      return { then: 'reject', failure };
    // Unreachable, or unavailable for a while (503: its database restarting, read-only): if its health probe says
    // so too, the station waits for it without spending an attempt.
    if (error instanceof HubError && (error.transport || error.status === 503) && !(await this.probe()))
      return { then: 'retry', at: now + backoffDelay(1, this.backoff, this.random), countAttempt: false, failure };
    if (attempts + 1 >= this.maxAttempts)
      return {
        then: 'dead',
        failure: {
          code: failure.code,
          message: `gave up after ${attempts + 1} attempts; last error: ${failure.message}`,
        },
      };
    return {
      then: 'retry',
      at: now + backoffDelay(attempts + 1, this.backoff, this.random),
      countAttempt: true,
      failure,
    };
  }

  private async handleFailure(job: OutboxJob, error: unknown, signal: AbortSignal): Promise<void> {
    const now = this.now();
    if (job.state === 'committed' && !signal.aborted) {
      // Leads polling never fails a job: it is delivered; ask again later.
      this.store.reschedule(job.id, now + this.leadsPoll.maxMs / 4, failureOf(error), false, now);
      return;
    }
    const verdict = await this.verdict(error, job.attempts, signal);
    if (verdict.then === 'release') this.store.release(job.id);
    else if (verdict.then === 'reject') this.store.markFailed(job.id, 'rejected', verdict.failure, now);
    else if (verdict.then === 'dead') {
      this.store.reschedule(job.id, now, verdict.failure, true, now);
      this.store.markFailed(job.id, 'dead', verdict.failure, now);
    } else if (verdict.then === 'retry')
      this.store.reschedule(job.id, verdict.at, verdict.failure, verdict.countAttempt, now);
  }

  private startReport(report: HitReportJob): void {
    const store = this.hitReports!;
    const done = (async () => {
      try {
        await sendHitReport(this.client, store, this.signer, report, this.now);
        this.setConnectivity('online');
      } catch (error) {
        const now = this.now();
        const verdict = await this.verdict(error, report.attempts);
        if (verdict.then === 'reject' || verdict.then === 'dead') {
          if (verdict.then === 'dead') store.rescheduleHitReport(report.id, now, verdict.failure, true, now);
          store.markHitReportFailed(report.id, verdict.then === 'reject' ? 'rejected' : 'dead', verdict.failure, now);
        } else if (verdict.then === 'retry')
          store.rescheduleHitReport(report.id, verdict.at, verdict.failure, verdict.countAttempt, now);
      }
      const stored = store.getHitReport(report.id);
      if (stored) this.onEvent({ type: 'hitReport', report: stored });
    })()
      .catch((error: unknown) => {
        if (this.running)
          this.log('error', 'outbox hit report failed unexpectedly', {
            hitReport: report.id,
            error: (error as Error)?.stack ?? String(error),
          });
      })
      .finally(() => {
        this.activeReports.delete(report.id);
        this.wake();
        this.settled.emit();
      });
    this.activeReports.set(report.id, done);
  }

  /** Reads the lab's feed in the background; a failure only means asking again at the next poll. */
  private startFeedRead(): void {
    this.feedReading = readFeed(this.client, this.hitReports!, this.now)
      .then(async (changed) => {
        changed.forEach((id) => this.emitJob(id));
        changed.forEach((id) => this.staleResults.add(id));
        for (const id of await this.refreshResults()) this.emitJob(id);
      })
      .catch(() => {})
      .finally(() => {
        this.nextFeedAt = this.now() + this.feedPollMs;
        this.feedReading = undefined;
      });
  }

  /** Reads the feed at the next turn of the loop (after a correlation, or when a person asks). */
  readFeedSoon(): void {
    this.nextFeedAt = 0;
    this.wake();
  }

  private async send(job: OutboxJob, signal: AbortSignal): Promise<void> {
    const { created: fresh, submission: created } = await this.client.createSubmission({
      manifest: job.manifest,
      signature: job.signature,
      originCertificate: job.originCertificate,
    });
    if (created.state !== 'open') return this.finishCommitted(job, created);
    const missing = new Set(created.missing);
    const sent = job.artifactFiles.filter((a) => !missing.has(a.sha256)).reduce((n, a) => n + a.size, 0);
    this.store.markUploading(job.id, created.submissionId, sent, this.now());
    // Each missing artifact once, even if the manifest lists the same bytes twice.
    const toSend = [
      ...new Map(job.artifactFiles.filter((a) => missing.has(a.sha256)).map((a) => [a.sha256, a])).values(),
    ];
    await this.upload(job, created.submissionId, fresh, toSend, sent, signal);
    await this.finishCommitted(job, await this.client.commit(created.submissionId));
  }

  /**
   * Sends the missing artifacts of a created submission, a few at once, each chunk by chunk from where the hub
   * says. The first failure stops the job's other artifacts and is what the job records.
   */
  private async upload(
    job: OutboxJob,
    submissionId: string,
    fresh: boolean,
    toSend: OutboxJob['artifactFiles'],
    sentBefore: number,
    signal: AbortSignal,
  ): Promise<void> {
    const acknowledged = new Map<string, number>();
    let lastStoredProgress = performance.now();
    const progress = (sha: string, offset: number) => {
      acknowledged.set(sha, offset);
      const bytesSent = sentBefore + [...acknowledged.values()].reduce((n, b) => n + b, 0);
      this.onEvent({ type: 'progress', jobId: job.id, bytesSent, bytesTotal: job.bytesTotal });
      // Live progress goes out as events; the stored figure (for the queue view after a restart) at most twice a second.
      if (performance.now() - lastStoredProgress > 500) {
        this.store.setProgress(job.id, bytesSent);
        lastStoredProgress = performance.now();
      }
    };
    const stop = new AbortController();
    const stopAll = () => stop.abort();
    signal.addEventListener('abort', stopAll, { once: true });
    const queue = [...toSend];
    let failure: { error: unknown } | undefined;
    const lane = async () => {
      for (let artifact = queue.shift(); artifact && !stop.signal.aborted; artifact = queue.shift()) {
        try {
          await this.uploadArtifact(submissionId, fresh, artifact, stop.signal, progress);
        } catch (error) {
          failure ??= { error };
          stop.abort();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(artifactLanesPerJob, toSend.length) }, lane));
    } finally {
      signal.removeEventListener('abort', stopAll);
    }
    if (failure) throw failure.error;
    if (signal.aborted) throw new Error('canceled');
  }

  /** Sends one artifact chunk by chunk, resuming where the hub says; reports each offset the hub acknowledges. */
  private async uploadArtifact(
    submissionId: string,
    fresh: boolean,
    artifact: OutboxJob['artifactFiles'][number],
    signal: AbortSignal,
    progress: (sha: string, offset: number) => void,
  ): Promise<void> {
    // A submission the hub has just created holds no bytes yet; otherwise resume where the hub says.
    let offset = fresh ? 0 : await this.client.artifactOffset(submissionId, artifact.sha256);
    let file;
    try {
      file = await open(artifact.path, 'r');
    } catch (error) {
      throw new JobRejected(
        'artifact_unreadable',
        `artifact ${artifact.sha256} cannot be read from ${artifact.path}: ${(error as Error).message}`,
      );
    }
    // One chunk buffer, reused: the next chunk is read into it only after the hub accepted the last (so all of its
    // bytes had been sent).
    let buffer = this.spareChunkBuffers.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes);
    try {
      while (offset < artifact.size) {
        if (signal.aborted) throw new Error('canceled');
        const length = Math.min(this.chunkBytes, artifact.size - offset);
        const chunk = buffer.subarray(0, length);
        const { bytesRead } = await file.read(chunk, 0, length, offset);
        if (bytesRead !== length)
          throw new JobRejected(
            'artifact_unreadable',
            `artifact ${artifact.path} is shorter than its recorded ${artifact.size} bytes`,
          );
        await this.limiter?.take(length, signal);
        // A slot is held only while the chunk's bytes go out, not while the hub hashes, fsyncs and renames them:
        // the next chunk (of this job or another) flows meanwhile.
        const release = await this.uploadSlots.acquire(signal);
        try {
          const answer = await this.client.putChunk(
            submissionId,
            artifact.sha256,
            offset,
            artifact.size,
            chunk,
            release,
          );
          offset = answer.complete ? artifact.size : answer.offset;
        } catch (error) {
          // A refused or broken request may still be sending from the buffer: it is left to it, not reused.
          buffer = Buffer.allocUnsafeSlow(this.chunkBytes);
          // The hub holds a different amount than we thought (an earlier chunk half-arrived): continue from there.
          if (error instanceof HubError && error.code === 'offset_mismatch') {
            offset = Number(
              (error.details as { offset?: unknown })?.offset ??
                (await this.client.artifactOffset(submissionId, artifact.sha256)),
            );
            continue;
          }
          throw error;
        } finally {
          release();
        }
        progress(artifact.sha256, offset);
      }
    } finally {
      this.spareChunkBuffers.push(buffer);
      await file.close();
    }
  }

  /** Keeps the hub's receipt only after checking it is signed by the hub and is about exactly this manifest. */
  private async finishCommitted(job: OutboxJob, answer: SubmissionResponse): Promise<void> {
    const { receipt, receiptSignature } = answer;
    if (!receipt || !receiptSignature)
      throw new HubError(502, 'invalid_response', 'hub reported a commit without a receipt');
    const hubKey = this.client.hubSigningKey;
    const hubCertificate = this.client.hubCertificatePem;
    if (!hubKey || !hubCertificate) throw new HubError(502, 'invalid_response', 'hub certificate unknown');
    if (!verifyBytes(hubKey, receiptBytes(receipt), receiptSignature)) {
      throw new JobRejected(
        'receipt_invalid',
        'the receipt is not signed by the hub certificate the station connected to',
      );
    }
    const expectedArtifacts = job.manifest.artifacts.map((a) => a.sha256);
    if (
      receipt.idempotencyKey !== job.idempotencyKey ||
      receipt.manifestSha256 !== sha256(manifestBytes(job.manifest)) ||
      canonicalJson(receipt.artifacts) !== canonicalJson(expectedArtifacts)
    ) {
      throw new JobRejected('receipt_mismatch', 'the hub receipt does not describe this submission');
    }
    // Results that do not check leave the job committed: the leads poll asks again and says why.
    let results: StoredResults | null = null;
    try {
      if (answer.state === 'correlated') results = this.checkedResults(answer, receipt);
    } catch {
      results = null;
    }
    const now = this.now();
    this.store.markCommitted(
      job.id,
      receipt,
      receiptSignature,
      hubCertificate,
      results,
      now,
      now + this.leadsPoll.firstMs,
    );
  }

  /** The hub's signed results of a correlated answer, checked with the key of the hub this station is connected to. */
  private checkedResults(answer: SubmissionResponse, receipt: Receipt): StoredResults {
    const hubKey = this.client.hubSigningKey;
    const certificate = this.client.hubCertificatePem;
    if (!answer.results)
      throw new HubError(502, 'results_unsigned', 'the hub sent leads without its signed results (a hub too old?)');
    const problem =
      hubKey && certificate ? signedResultsProblem(answer.results, hubKey, receipt) : 'hub certificate unknown';
    if (problem) throw new HubError(502, 'results_invalid', problem);
    return { ...answer.results, certificate: certificate! };
  }

  private async pollLeads(job: OutboxJob): Promise<void> {
    const answer = await this.client.status(job.submissionId ?? job.receipt!.submissionId);
    const now = this.now();
    if (answer.state === 'correlated') {
      this.store.markCorrelated(job.id, this.checkedResults(answer, job.receipt!), now);
      return;
    }
    const sinceCommit = now - Date.parse(job.committedAt ?? new Date(now).toISOString());
    const wait = Math.min(this.leadsPoll.maxMs, Math.max(this.leadsPoll.firstMs, sinceCommit));
    this.store.reschedule(job.id, now + wait, null, false, now);
  }

  /**
   * A lead from the feed is shown at once, but what the station keeps to relay is the hub's signed statement: the
   * jobs the feed gave leads the statement does not hold yet ask the hub for it again. A failure leaves them for
   * the next feed read.
   */
  private async refreshResults(): Promise<number[]> {
    const refreshed = [];
    for (const id of [...this.staleResults]) {
      const job = this.store.get(id);
      if (!job || job.state !== 'correlated' || !job.receipt || !hasUnsignedLeads(job)) {
        this.staleResults.delete(id);
        continue;
      }
      try {
        const answer = await this.client.status(job.receipt.submissionId);
        if (answer.state !== 'correlated') continue;
        this.store.markCorrelated(id, this.checkedResults(answer, job.receipt), this.now());
        refreshed.push(id);
        this.staleResults.delete(id);
      } catch (error) {
        if (error instanceof HubError && error.transport) break; // the hub is away: all wait for the next read
      }
    }
    return refreshed;
  }
}

/**
 * The job shows leads (from the feed) that a fresh signed statement would hold and the kept one does not. A statement
 * carries only the best leads when the hub holds more (its `leadCount`, revision 3): a lead below its lowest is not
 * asked for again, or a casing many searches found would fetch its statement at every feed read.
 */
function hasUnsignedLeads(job: OutboxJob): boolean {
  const statement = job.results?.statement;
  const signed = new Set(statement?.leads.map((l) => l.leadId) ?? []);
  const partial = statement?.leadCount !== undefined && statement.leadCount > statement.leads.length;
  const lowest = statement?.leads.at(-1);
  const wouldBeSigned = (l: Lead) =>
    !partial || !lowest || l.score > lowest.score || (l.score === lowest.score && l.leadId < lowest.leadId);
  return (job.leads ?? []).some((l) => !signed.has(l.leadId) && wouldBeSigned(l));
}
