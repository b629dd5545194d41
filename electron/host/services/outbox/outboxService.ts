// The network outbox inside the host: the worker, the contract's outbox calls and events, the status-bar
// network indicator, and `enqueue` for the acquisition service (called inside its own transaction).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, notFound } from '../../../contract/errors.ts';
import type { HubNoteView, networkCalls, networkEvents, OutboxJobView } from '../../../contract/network.ts';
import { notesFromWire } from '../../../network/protocol.ts';
import type { Session } from '../../../contract/auth.ts';
import type { CallHandlers, EventSources } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { OutboxRepo } from '../../storage/repos/outbox.ts';
import { HitReportsRepo } from '../../storage/repos/hitReportsRepo.ts';
import { enqueueHitReport, theirHitOn, toHitReportView, type HitReportInput } from './hitReports.ts';
import { AcquisitionsRepo } from '../../storage/repos/acquisitionsRepo.ts';
import type { OutboxJob } from '../../../network/outbox/store.ts';
import type { StatusService } from '../statusService.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { readCa, readCredentials } from '../../../network/pki.ts';
import { HubClient } from '../../../network/client.ts';
import {
  OutboxWorker,
  type Connectivity,
  type OutboxEvent,
  type OutboxWorkerOptions,
} from '../../../network/outbox/worker.ts';
import {
  enqueueSubmission,
  stationSigner,
  type StationSigner,
  type SubmissionInput,
} from '../../../network/outbox/enqueue.ts';
import {
  BundleError,
  exportSubmissionBundle,
  importResultsBundle,
  resultsRefusal,
  importSubmissionBundle,
} from '../../../network/bundle.ts';
import { buildAcquisitionSubmission } from './acquisitionSubmission.ts';
import { registerLeadCasing } from './leadCasing.ts';
import type { CasesService } from '../casesService.ts';
import type { AcquisitionService } from '../acquisition/acquisitionService.ts';
import type { SearchService } from '../search/searchService.ts';
import { signatureMediaType } from '../../../analysis/signatureFile.ts';
import type { TransferFolders } from '../transferFolders.ts';
import { Listeners } from '../../../base/listeners.ts';
import type { Log } from '../../../base/log.ts';

export interface OutboxServiceOptions {
  /** Folder with ca.crt and this station's <credentialName>.crt/.key/.sign.key (casebench pki issue). */
  pkiDir: string;
  credentialName?: string;
  /** The hub; absent on an air-gapped station (jobs queue and leave by bundle). */
  hubUrl?: string;
  /** Where artifacts of imported bundles are kept (content-addressed). */
  importDir: string;
  /** The station's exports/imports folders: bundles are written and read there only, by name. */
  transfers?: TransferFolders;
  worker?: Partial<Omit<OutboxWorkerOptions, 'store' | 'client' | 'onEvent'>>;
  /** Where the other casings of leads are kept once downloaded (so the comparison can open them by hash). */
  evidence?: EvidenceStore;
  /** With these, a fetched lead casing also becomes a local acquisition (for the comparison screen). */
  cases?: CasesService;
  acquisitions?: AcquisitionService;
  /** The screening-signature file of a stored topography, sent as the casing's features (SearchService.signatureFile). */
  features?: (topographySha256: string) => Promise<Buffer>;
  now?: () => number;
  /** The host's log: what the worker cannot record on a job, and failing listeners. */
  log?: Log;
}

/**
 * The hub's notes as the screens word them: from the signed statement the job keeps (with each note's code and
 * values from protocol revision 4), else as stored (English text; jobs correlated before statements were kept).
 */
function jobNotes(job: OutboxJob): HubNoteView[] {
  const statement = job.results?.statement;
  return statement ? notesFromWire(statement) : job.correlationNotes.map((text) => ({ text }));
}

export function toJobView(job: OutboxJob): OutboxJobView {
  return {
    id: job.id,
    idempotencyKey: job.idempotencyKey,
    caseRef: job.caseRef,
    itemRef: job.itemRef,
    caseId: job.caseId,
    itemId: job.itemId,
    acquisitionId: job.acquisitionId,
    calibre: job.manifest.specimen.calibre,
    state: job.state,
    bytesTotal: job.bytesTotal,
    bytesSent: job.bytesSent,
    attempts: job.attempts,
    nextAttemptAt: ['queued', 'uploading', 'committed'].includes(job.state)
      ? new Date(job.nextAttemptAt).toISOString()
      : null,
    lastErrorCode: job.lastErrorCode,
    lastError: job.lastError,
    submissionId: job.submissionId,
    committedAt: job.committedAt,
    exportedAt: job.exportedAt,
    source: job.source,
    leads: job.leads,
    correlationNotes: jobNotes(job),
    networkHits: job.networkHits,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

export class OutboxService {
  readonly repo: OutboxRepo;
  readonly hitReports: HitReportsRepo;
  private readonly acquisitionsRepo: AcquisitionsRepo;
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly status: StatusService;
  private options: OutboxServiceOptions;
  private readonly now: () => number;
  // From the network settings; replaced together when the lab manager changes them (reconfigure).
  private signer: StationSigner | undefined;
  private ca: string | undefined;
  private client: HubClient | undefined;
  private worker: OutboxWorker | undefined;
  private started = false;
  private readonly jobListeners: Listeners<OutboxJobView>;
  private readonly progressListeners: Listeners<{ jobId: number; bytesSent: number; bytesTotal: number }>;
  private connectivity: Connectivity | 'unconfigured' = 'unconfigured';
  private connectivityReason: string | null = null;

  constructor(db: Db, audit: AuditRepo, status: StatusService, options: OutboxServiceOptions) {
    this.db = db;
    this.audit = audit;
    this.status = status;
    this.options = options;
    this.now = options.now ?? Date.now;
    const listenerFailed = (error: unknown) =>
      options.log?.('error', 'an outbox listener failed', { error: String(error) });
    this.jobListeners = new Listeners(listenerFailed);
    this.progressListeners = new Listeners(listenerFailed);
    this.repo = new OutboxRepo(db);
    this.hitReports = new HitReportsRepo(db);
    this.acquisitionsRepo = new AcquisitionsRepo(db);
    this.configure(options);
  }

  /** Reads the credentials and hub from the settings; none (or no hub): the station queues without sending. */
  private configure(options: OutboxServiceOptions): void {
    this.options = options;
    this.signer = undefined;
    this.ca = undefined;
    this.client = undefined;
    this.worker = undefined;
    this.connectivity = 'unconfigured';
    this.connectivityReason = null;
    const name = options.credentialName ?? 'station';
    if (existsSync(join(options.pkiDir, 'ca.crt')) && existsSync(join(options.pkiDir, `${name}.crt`))) {
      this.ca = readCa(options.pkiDir).certificate;
      const credentials = readCredentials(options.pkiDir, name);
      this.signer = stationSigner(credentials, this.ca);
      if (options.hubUrl) {
        this.client = new HubClient({ url: options.hubUrl, ca: this.ca, credentials, now: this.now });
        this.worker = new OutboxWorker({
          ...options.worker,
          store: this.repo,
          hitReports: this.hitReports,
          signer: this.signer,
          client: this.client,
          now: this.now,
          onEvent: (e) => this.onWorkerEvent(e),
          log: options.log,
        });
        this.connectivity = 'unknown';
      }
    }
    this.publishStatus();
  }

  /**
   * New network settings (the lab manager installed credentials or changed the hub): the worker lets go of its
   * jobs (each stays resumable where it was) and a new one starts with the new settings. Throws, leaving the
   * station without the network, when the settings are unusable.
   */
  async reconfigure(options: Partial<OutboxServiceOptions>): Promise<void> {
    await this.worker?.stop();
    this.client?.close();
    const next = { ...this.options, ...options, worker: options.worker ?? this.options.worker };
    try {
      this.configure(next);
    } catch (error) {
      this.configure({ ...next, pkiDir: join(next.pkiDir, 'unusable') });
      throw error;
    }
    if (this.started && !this.closed) this.worker?.start();
  }

  start(): void {
    this.started = true;
    this.worker?.start();
  }

  /** Whether acquisitions can be queued for the network (the station has credentials), and if not, why. */
  readiness(): { ready: boolean; hubConfigured: boolean } {
    return { ready: this.signer !== undefined, hubConfigured: this.client !== undefined };
  }

  /** Set at once by close(): work scheduled for later (a wake after an enqueue) then finds the database gone. */
  private closed = false;

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.stop();
    this.client?.close();
  }

  /**
   * Queues an acquisition for the network. Synchronous: call it inside the transaction that stores the acquisition
   * (and its audit entry), so both commit or neither does. The worker looks at it right after.
   */
  enqueue(input: SubmissionInput): OutboxJob {
    if (!this.signer)
      throw new AppError('unavailable', 'this station has no network credentials: ask the lab manager to install them');
    const job = enqueueSubmission(this.repo, this.signer, this.withCheckpoint(input), this.now());
    setImmediate(() => {
      if (this.closed) return;
      this.worker?.wake();
      this.emitJob(job.id);
    });
    return job;
  }

  /**
   * Queues the report of a hit confirmed on a network lead, for the examination service. Synchronous and needs no
   * credentials: call it inside the transaction that confirms the hit; the worker signs and sends it once.
   */
  enqueueHitReport(input: HitReportInput): { id: number; state: string } {
    const report = enqueueHitReport({ jobs: this.repo, reports: this.hitReports }, input, this.now());
    setImmediate(() => {
      if (this.closed) return;
      this.worker?.wake();
      this.emitJob(report.jobId);
    });
    const view = toHitReportView(report);
    return { id: view.id, state: view.state };
  }

  /** Where a hit report stands (for the examination's hit view). */
  hitReport(id: number): { id: number; state: string; lastError: string | null } | undefined {
    const report = this.hitReports.getHitReport(id);
    if (!report) return undefined;
    const view = toHitReportView(report);
    return { id: view.id, state: view.state, lastError: view.lastError };
  }

  private onWorkerEvent(event: OutboxEvent): void {
    if (event.type === 'hitReport') {
      this.emitJob(event.report.jobId);
    } else if (event.type === 'job') {
      this.jobListeners.emit(toJobView(event.job));
      this.publishStatus();
    } else if (event.type === 'progress') {
      this.progressListeners.emit(event);
    } else {
      this.connectivity = event.connectivity;
      this.connectivityReason = event.reason ?? null;
      this.publishStatus();
    }
  }

  private emitJob(id: number): void {
    const job = this.repo.get(id);
    if (job) this.jobListeners.emit(toJobView(job));
    this.publishStatus();
  }

  /** The status-bar network indicator: reachable or not, and how many submissions wait or need a person. */
  private publishStatus(): void {
    const counts = this.repo.counts();
    const waiting = counts.queued + counts.uploading;
    const attention = counts.rejected + counts.dead;
    const parts = [waiting ? `${waiting} waiting` : '', attention ? `${attention} need attention` : '']
      .filter(Boolean)
      .join(', ');
    const network =
      this.connectivity === 'unconfigured'
        ? {
            state: 'offline' as const,
            label: this.signer ? `air-gapped${parts ? ` — ${parts}` : ''}` : 'network not configured',
          }
        : this.connectivity === 'offline'
          ? { state: 'offline' as const, label: `hub unreachable${parts ? ` — ${parts}` : ''}` }
          : {
              state: attention
                ? ('warning' as const)
                : this.connectivity === 'online'
                  ? ('ok' as const)
                  : ('unknown' as const),
              label: `hub ${this.connectivity}${parts ? ` — ${parts}` : ''}`,
            };
    const current = this.status.get().network;
    if (current.state !== network.state || current.label !== network.label) this.status.update({ network });
  }

  private actor(session: Session | null) {
    return { userId: session!.user.id, username: session!.user.username };
  }

  private requireJob(id: number): OutboxJob {
    const job = this.repo.get(id);
    if (!job) throw notFound('outbox_job', `no outbox job ${id}`, { id });
    return job;
  }

  /** Each submission carries the station's audit checkpoint to the hub: a copy of the log's state kept elsewhere. */
  private withCheckpoint(input: SubmissionInput): SubmissionInput {
    return { ...input, auditCheckpoint: input.auditCheckpoint ?? this.audit.latestCheckpoint() };
  }

  private transfers(): TransferFolders {
    if (!this.options.transfers) throw new AppError('unavailable', 'this station has no transfer folders');
    return this.options.transfers;
  }

  private async bundle<T>(work: () => Promise<T>): Promise<T> {
    if (!this.signer || !this.ca) throw new AppError('unavailable', 'this station has no network credentials');
    try {
      return await work();
    } catch (error) {
      if (error instanceof BundleError) throw new AppError('integrity', error.message);
      throw error;
    }
  }

  /**
   * Queues an acquisition once: the job, and its audit entry, in one transaction; a second call finds the first job.
   * The topography's screening signature goes along as the casing's features; computing it (when the search has
   * not cached it yet) happens before the transaction. A topography the engine cannot read still goes, without
   * features, and the audit entry says why.
   */
  async submitAcquisition(
    acquisitionId: number,
    session: Session | null,
    reason?: string,
  ): Promise<{ job: OutboxJob; alreadyQueued: boolean }> {
    if (!this.signer)
      throw new AppError('unavailable', 'this station has no network credentials: ask the lab manager to install them');
    const evidence = this.options.evidence;
    if (!evidence) throw new AppError('unavailable', 'no evidence store to send the acquisition from');
    const queued = this.repo.getByAcquisition(acquisitionId);
    if (queued) return { job: queued, alreadyQueued: true };
    // Checks everything the network needs first (a refusal costs no signature work).
    const topography = buildAcquisitionSubmission(this.db, evidence, acquisitionId).artifacts.find(
      (a) => a.role === 'x3p',
    )!;
    let features: { bytes: Buffer } | { unavailable: string } = {
      unavailable: 'this station computes no screening signatures',
    };
    if (this.options.features) {
      try {
        features = { bytes: await this.options.features(topography.sha256) };
      } catch (error) {
        features = { unavailable: (error as Error).message };
      }
    }
    const actor = this.actor(session);
    const result = this.db.transaction(() => {
      const existing = this.repo.getByAcquisition(acquisitionId);
      if (existing) return { job: existing, alreadyQueued: true };
      const stored =
        'bytes' in features ? evidence.put(features.bytes, { mediaType: signatureMediaType }, actor) : undefined;
      const submission = buildAcquisitionSubmission(this.db, evidence, acquisitionId, stored);
      const job = enqueueSubmission(this.repo, this.signer!, this.withCheckpoint(submission), this.now());
      this.audit.append(actor, {
        action: 'outbox.submitAcquisition',
        entityType: 'outbox_job',
        entityId: job.id,
        caseId: job.caseId,
        after: {
          acquisitionId,
          idempotencyKey: job.idempotencyKey,
          caseRef: job.caseRef,
          itemRef: job.itemRef,
          specimen: job.manifest.specimen,
          artifacts: job.manifest.artifacts.map((a) => `${a.role} ${a.sha256}`),
          ...('unavailable' in features ? { featuresUnavailable: features.unavailable } : {}),
        },
        reason: reason ?? null,
      });
      return { job, alreadyQueued: false };
    })();
    if (!result.alreadyQueued) {
      this.worker?.wake();
      this.emitJob(result.job.id);
    }
    return result;
  }

  /** Our acquisition and the local acquisition of the lead's other casing, when both exist (to open the comparison). */
  private comparePair(job: OutboxJob, lead: NonNullable<OutboxJob['leads']>[number]): { a: number; b: number } | null {
    const x3p = lead.otherArtifacts.find((a) => a.role === 'x3p');
    const theirs = x3p && this.acquisitionsRepo.withTopography(x3p.sha256);
    return job.acquisitionId !== null && theirs !== undefined && theirs !== job.acquisitionId
      ? { a: job.acquisitionId, b: theirs }
      : null;
  }

  handlers(): CallHandlers<typeof networkCalls> {
    return {
      'outbox.submitAcquisition': async (input, ctx) => {
        const { job, alreadyQueued } = await this.submitAcquisition(input.acquisitionId, ctx.session, input.reason);
        return { job: toJobView(job), alreadyQueued };
      },
      'outbox.list': (input) => ({
        jobs: this.repo.list({ states: input.states, limit: input.limit }).map(toJobView),
        counts: this.repo.counts(),
        connectivity: this.connectivity,
        connectivityReason: this.connectivityReason,
      }),
      'outbox.retry': (input, ctx) => {
        const before = this.requireJob(input.id);
        this.db.transaction(() => {
          if (!this.repo.retry(input.id, this.now()))
            throw new AppError('conflict', `a ${before.state} submission cannot be retried`);
          this.audit.append(this.actor(ctx.session), {
            action: 'outbox.retry',
            entityType: 'outbox_job',
            entityId: input.id,
            caseId: before.caseId,
            before: { state: before.state, lastError: before.lastError },
            after: { state: 'queued' },
            reason: input.reason ?? null,
          });
        })();
        this.worker?.wake();
        this.emitJob(input.id);
        return toJobView(this.requireJob(input.id));
      },
      'outbox.cancel': async (input, ctx) => {
        const before = this.requireJob(input.id);
        await this.worker?.letGo(input.id);
        this.db.transaction(() => {
          if (!this.repo.cancel(input.id, this.now()))
            throw new AppError('conflict', `a ${before.state} submission cannot be canceled: the hub has it`);
          this.audit.append(this.actor(ctx.session), {
            action: 'outbox.cancel',
            entityType: 'outbox_job',
            entityId: input.id,
            caseId: before.caseId,
            before: { state: before.state },
            after: { state: 'canceled' },
            reason: input.reason ?? null,
          });
        })();
        this.worker?.wake();
        this.emitJob(input.id);
        return toJobView(this.requireJob(input.id));
      },
      'outbox.hitReports': (input) => this.hitReports.listHitReports(input.limit).map(toHitReportView),
      'outbox.retryHitReport': (input, ctx) => {
        const before = this.hitReports.getHitReport(input.id);
        if (!before) throw notFound('hit_report', `no hit report ${input.id}`, { id: input.id });
        this.db.transaction(() => {
          if (!this.hitReports.retryHitReport(input.id, this.now()))
            throw new AppError('conflict', `a ${before.state} hit report cannot be retried`);
          this.audit.append(this.actor(ctx.session), {
            action: 'outbox.retryHitReport',
            entityType: 'outbox_hit_report',
            entityId: input.id,
            before: { state: before.state, lastError: before.lastError },
            after: { state: 'queued' },
            reason: input.reason ?? null,
          });
        })();
        this.worker?.wake();
        return toHitReportView(this.hitReports.getHitReport(input.id)!);
      },
      'outbox.leads': (input) =>
        this.repo
          .list({ states: ['correlated'], limit: 1000 })
          .filter((job) => input.caseId === undefined || job.caseId === input.caseId)
          .flatMap((job) =>
            (job.leads ?? []).map((lead) => ({
              job: toJobView(job),
              lead,
              fetched:
                this.options.evidence !== undefined &&
                lead.otherArtifacts.every((a) => this.options.evidence!.has(a.sha256)),
              compare: this.comparePair(job, lead),
              report: ((r) => (r ? toHitReportView(r) : null))(this.hitReports.hitReportFor(job.id, lead.leadId)),
              theirHit: theirHitOn(job, lead.leadId, lead.otherSubmissionId),
            })),
          )
          .sort((a, b) => b.lead.score - a.lead.score),
      'outbox.fetchLead': async (input, ctx) => {
        const job = this.requireJob(input.jobId);
        const lead = job.leads?.find((l) => l.leadId === input.leadId);
        if (!lead || !job.submissionId)
          throw notFound('lead', `no lead ${input.leadId} on submission ${input.jobId}`, { id: input.leadId });
        if (!this.client)
          throw new AppError('unavailable', 'this station has no hub connection to fetch the other casing from');
        if (!this.options.evidence) throw new AppError('unavailable', 'no evidence store to keep the other casing in');
        const artifacts = [];
        let topography: { name: string; sha256: string; bytes: Uint8Array } | undefined;
        for (const ref of lead.otherArtifacts) {
          const wanted = ref.role === 'x3p' && !topography && this.options.cases && this.options.acquisitions;
          if (!this.options.evidence.has(ref.sha256) || wanted) {
            let bytes: Buffer;
            try {
              bytes = this.options.evidence.has(ref.sha256)
                ? readFileSync(this.options.evidence.pathOf(ref.sha256))
                : await this.client.leadArtifact(job.submissionId, lead.leadId, ref.sha256, ref.size);
            } catch (error) {
              throw new AppError('network', `could not fetch ${ref.name} from the hub: ${(error as Error).message}`);
            }
            // The casing to compare is stored by its import below, which reads it as an X3P and records the
            // station's own media type: the other lab's label must not decide how this station reads the file.
            if (wanted) topography = { name: ref.name, sha256: ref.sha256, bytes };
            else
              this.options.evidence.put(
                bytes,
                {
                  mediaType: ref.mediaType,
                  originalName: `lead ${lead.otherLabId} ${lead.otherCaseRef}/${lead.otherItemRef}: ${ref.name}`,
                  caseId: job.caseId,
                },
                this.actor(ctx.session),
              );
          }
          artifacts.push({ role: ref.role, name: ref.name, sha256: ref.sha256, size: ref.size });
        }
        // The comparison screen compares acquisitions: the other casing becomes one (see leadCasing.ts).
        const acquisitionId = topography
          ? registerLeadCasing(
              { db: this.db, cases: this.options.cases!, acquisitions: this.options.acquisitions! },
              this.actor(ctx.session),
              lead,
              topography,
            )
          : null;
        return { artifacts, acquisitionId };
      },
      'outbox.exportBundle': (input, ctx) =>
        this.bundle(async () => {
          // Only a new file in the exports folder: never a host path, never over an existing file.
          const result = await this.transfers().writeExport(input.name, (path) =>
            exportSubmissionBundle(this.repo, this.signer!, path, this.now(), (r) =>
              this.audit.append(this.actor(ctx.session), {
                action: 'outbox.exportBundle',
                entityType: 'outbox_bundle',
                entityId: r.bundleId,
                after: { name: input.name, jobs: r.jobs },
              }),
            ),
          );
          return { ...result, name: input.name };
        }),
      'outbox.importBundle': async (input, ctx) => {
        const path = this.transfers().importPath(input.name);
        const result = await this.bundle(() =>
          importSubmissionBundle(
            this.repo,
            this.ca!,
            this.signer!.labId,
            path,
            this.options.importDir,
            this.now(),
            (r) =>
              this.audit.append(this.actor(ctx.session), {
                action: 'outbox.importBundle',
                entityType: 'outbox_bundle',
                entityId: input.name,
                after: r,
              }),
          ),
        );
        this.worker?.wake();
        this.publishStatus();
        return result;
      },
      'outbox.importResults': async (input, ctx) => {
        const path = this.transfers().importPath(input.name);
        const result = await this.bundle(async () => {
          try {
            return await importResultsBundle(
              this.repo,
              this.ca!,
              this.signer!.labId,
              path,
              this.now(),
              { hostname: this.options.hubUrl ? new URL(this.options.hubUrl).hostname : undefined },
              (r) =>
                this.audit.append(this.actor(ctx.session), {
                  action: 'outbox.importResults',
                  entityType: 'outbox_bundle',
                  entityId: input.name,
                  after: r,
                }),
            );
          } catch (error) {
            // A forged or altered results bundle is an event the lab must be able to find later, not only an error.
            if (error instanceof BundleError)
              this.db.transaction(() =>
                this.audit.append(this.actor(ctx.session), resultsRefusal(input.name, error)),
              )();
            throw error;
          }
        });
        this.publishStatus();
        return result;
      },
    };
  }

  eventSources(): EventSources<typeof networkEvents> {
    return {
      'outbox.onJob': (_filter, emit) => this.jobListeners.add(emit),
      'outbox.onProgress': (_filter, emit) => this.progressListeners.add(emit),
    };
  }
}

/** Wires the outbox into a host: its calls, its events, and the worker. The host closes it (createHost). */
export function attachOutbox(
  host: {
    db: Db;
    audit: AuditRepo;
    status: StatusService;
    evidence: EvidenceStore;
    cases?: CasesService;
    acquisitions?: AcquisitionService;
    search?: Pick<SearchService, 'signatureFile'>;
    files?: TransferFolders;
    log?: Log;
    implement(h: object): void;
    implementEvents(s: object): void;
  },
  options: OutboxServiceOptions,
): OutboxService {
  const features = host.search && ((sha: string) => host.search!.signatureFile(sha));
  const service = new OutboxService(host.db, host.audit, host.status, {
    evidence: host.evidence,
    cases: host.cases,
    acquisitions: host.acquisitions,
    features,
    transfers: host.files,
    log: host.log,
    ...options,
  });
  host.implement(service.handlers());
  host.implementEvents(service.eventSources());
  service.start();
  return service;
}
