// Correlation: a committed submission's casing compared with other labs' casings of its calibre and region, its
// leads stored both ways. `correlateSubmission` is the work; a `CorrelationQueue` decides where and when it runs —
// here in the hub's own process (the embedded default), or as durable jobs run by separate workers (PostgreSQL).
import { hubNote } from './notes.ts';
import type { CorrelationNote } from '../protocol.ts';
import { manifestRegion } from '../protocol.ts';
import type { CasingScorer, Correlation, ScorerCasing } from './scorer.ts';
import type { ArtifactStore, HubRecords, SubmissionRecord } from './storage.ts';
import type { UploadActivity } from './uploads.ts';

/** Where correlation happens; the front end tells it of each commit and waits for it when asked. */
export interface CorrelationQueue {
  /**
   * A submission has just committed. A durable queue has already written its job in the commit's own transaction
   * and has nothing to do here; the in-process queue schedules it.
   */
  committed(record: SubmissionRecord): void;
  /** Resolves when every submission committed so far has been correlated (tests, benchmarks). */
  idle(): Promise<void>;
  /** Stops correlating; work cut short is correlated again later (at the next start, or by another worker). */
  close(): Promise<void>;
}

export interface CorrelationDeps {
  records: Pick<HubRecords, 'candidates' | 'saveCorrelation'>;
  artifacts: Pick<ArtifactStore, 'localPath'>;
  scorer: CasingScorer;
  /** Leads kept per submission. */
  maxLeads: number;
  now: () => number;
}

export function asCasing(artifacts: Pick<ArtifactStore, 'localPath'>, record: SubmissionRecord): ScorerCasing {
  const x3p = record.manifest.artifacts.find((a) => a.role === 'x3p');
  const features = record.manifest.artifacts.find((a) => a.role === 'features');
  return {
    submissionId: record.id,
    manifest: record.manifest,
    topographyPath: x3p && artifacts.localPath(x3p.sha256),
    featuresPath: features && artifacts.localPath(features.sha256),
  };
}

/**
 * A committed submission's declared X3P that the store does not hold is the infrastructure's fault (a shared volume
 * not mounted on this machine, a lost file), not the station's: the correlation fails and is tried again, instead of
 * being recorded as "no topography".
 */
export function checkStored(artifacts: Pick<ArtifactStore, 'localPath'>, record: SubmissionRecord): void {
  const x3p = record.manifest.artifacts.find((a) => a.role === 'x3p');
  if (x3p) storedX3p(artifacts, record.id, x3p.sha256);
}

/** The path of a committed submission's X3P in the store; throws (as checkStored) when the store does not hold it. */
export function storedX3p(artifacts: Pick<ArtifactStore, 'localPath'>, submissionId: string, sha256: string): string {
  const path = artifacts.localPath(sha256);
  if (!path)
    throw new Error(
      `the artifact store does not hold X3P ${sha256} of committed submission ${submissionId} ` +
        '(is the shared artifact volume mounted here?)',
    );
  return path;
}

/** The leads and notes of one submission (nothing stored); throws when the work could not be done. */
export async function computeCorrelation(
  deps: Omit<CorrelationDeps, 'records'> & { records: Pick<HubRecords, 'candidates'> },
  record: SubmissionRecord,
  signal: AbortSignal,
): Promise<Correlation> {
  const { artifacts } = deps;
  checkStored(artifacts, record);
  // Like with like: a breech face is compared with breech faces, a firing pin with firing pins.
  const region = manifestRegion(record.manifest);
  const others = (await deps.records.candidates(record.calibre, record.labId)).filter(
    (c) => manifestRegion(c.manifest) === region,
  );
  // A candidate whose X3P the store lost is left out with the reason: one missing file must not cost every lead.
  const present = others.filter((c) => {
    const x3p = c.manifest.artifacts.find((a) => a.role === 'x3p');
    return !x3p || artifacts.localPath(x3p.sha256) !== undefined;
  });
  const leftOut = others
    .filter((c) => !present.includes(c))
    .map((c) => missingCandidateNote(c.id, c.manifest.artifacts.find((a) => a.role === 'x3p')!.sha256));
  for (const note of leftOut) console.error(`hub: correlation of ${record.id}: ${note.text}`);
  const correlation = await deps.scorer.correlate(
    asCasing(deps.artifacts, record),
    present.map((c) => asCasing(deps.artifacts, c)),
    deps.maxLeads,
    signal,
  );
  return leftOut.length > 0 ? { ...correlation, notes: [...correlation.notes, ...leftOut] } : correlation;
}

/** The correlation note (also logged for the operator) of another lab's casing left out for its missing X3P. */
export function missingCandidateNote(candidateId: string, sha256: string): CorrelationNote {
  return hubNote('candidate_missing_x3p', { candidate: candidateId, sha256 });
}

/** Correlates one submission and stores its leads (both ways) and notes; throws when the work could not be done. */
export async function correlateSubmission(
  deps: CorrelationDeps,
  record: SubmissionRecord,
  signal: AbortSignal,
): Promise<void> {
  const { leads, notes } = await computeCorrelation(deps, record, signal);
  await deps.records.saveCorrelation(record.id, leads, notes, new Date(deps.now()).toISOString());
}

/**
 * The embedded hub's queue: one submission at a time in this process, off the request path (the scorer's heavy
 * work runs in its worker pool). Its durable state is the submission's own: one left 'committed' (the hub stopped
 * or the work failed) is correlated at the next start.
 */
export function createInProcessCorrelation(
  deps: CorrelationDeps & {
    records: Pick<HubRecords, 'committedUncorrelated'>;
    /** Correlation waits for a pause in these uploads (see below). */
    uploads: UploadActivity;
  },
): CorrelationQueue & { start(): Promise<void> } {
  const queue: SubmissionRecord[] = [];
  const stop = new AbortController();
  let running: Promise<void> | undefined;

  const schedule = (record: SubmissionRecord) => {
    queue.push(record);
    if (running) return;
    running = (async () => {
      while (queue.length > 0 && !stop.signal.aborted) {
        await new Promise((r) => setImmediate(r));
        // Correlation waits for a pause in the uploads (none for 50 ms), at most 2 s: its signature work and its
        // durable write would otherwise take CPU and event-loop time from the bytes arriving (the receipt is
        // already out; leads come a moment later). The 2 s cap keeps a hub that never pauses correlating.
        await deps.uploads.quiet(50, 2_000, stop.signal);
        if (stop.signal.aborted) break;
        const next = queue.shift()!;
        try {
          await correlateSubmission(deps, next, stop.signal);
        } catch (error) {
          // Stays 'committed': correlated again at the next start.
          if (!stop.signal.aborted) console.error(`hub: correlation of ${next.id} failed: ${(error as Error).message}`);
        }
      }
      running = undefined;
    })();
  };

  return {
    /** Schedules what an earlier run left committed; the first call into the records, so a bad file stops here. */
    async start() {
      for (const record of await deps.records.committedUncorrelated()) schedule(record);
    },
    committed: schedule,
    async idle() {
      while (running) await running;
    },
    async close() {
      stop.abort(new Error('the hub is stopping'));
      while (running) await running;
    },
  };
}
