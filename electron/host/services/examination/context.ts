// What every part of the examination service shares: storage, audit, the clock, who is asking, and change events.
import { AppError, notFound } from '../../../contract/errors.ts';
import { roleAllows, type Role, type Session } from '../../../contract/auth.ts';
import type { Db } from '../../storage/database.ts';
import type { Actor, AuditRecord, AuditRepo } from '../../storage/repos/auditRepo.ts';
import { AcquisitionsRepo } from '../../storage/repos/acquisitionsRepo.ts';
import { CasesRepo } from '../../storage/repos/casesRepo.ts';
import { SearchRepo } from '../../storage/repos/searchRepo.ts';
import { StationSettingsRepo } from '../../storage/repos/stationSettingsRepo.ts';
import { UsersRepo } from '../../storage/repos/usersRepo.ts';
import { ComparisonsRepo, type ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import { AnnotationsRepo } from '../../storage/repos/examination/annotationsRepo.ts';
import { ConclusionsRepo } from '../../storage/repos/examination/conclusionsRepo.ts';
import { HitsRepo } from '../../storage/repos/examination/hitsRepo.ts';
import { TestSetsRepo } from '../../storage/repos/examination/testSetsRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import type { SearchService } from '../search/searchService.ts';

export type ChangeKind = 'comparison' | 'annotation' | 'snapshot' | 'conclusion' | 'verification' | 'hit' | 'analysis';

/** The signed-in user asking, as the rules need them. */
export interface Viewer extends Actor {
  userId: number;
  username: string;
  role: Role;
  /** May set the policy, assign verifiers and arbiters, build test sets, and see test truth. */
  manager: boolean;
}

export function viewerOf(session: Session | null): Viewer {
  if (!session) throw new AppError('unauthenticated', 'sign in first');
  return {
    userId: session.user.id,
    username: session.user.username,
    role: session.user.role,
    manager: roleAllows(session.user.role, 'examination.manage'),
  };
}

/**
 * Hit reports to the network hub (the `hub` helper's outbox job): `enqueue` is called INSIDE the hit's transaction
 * and queues the signed report, sent once by the outbox worker; `state` says where a report stands. Absent on a
 * station without network reporting: a hit on a network lead is then refused and nothing is recorded.
 */
export interface NetworkHitReports {
  enqueue(report: {
    /** Our submission (outbox job) the lead came back on. */
    submissionJobId: number;
    leadId: number;
    /** This station's hit id, as text. */
    hitRef: string;
    conclusion: 'identification';
    confirmedAt: string;
  }): { id: number; state: string };
  state(id: number): { state: string; lastError: string | null } | undefined;
}

export interface ExaminationDeps {
  db: Db;
  audit: AuditRepo;
  evidence: EvidenceStore;
  search: SearchService;
  /** The station's version, written into technical records and analyses. */
  version: string;
  now?: () => Date;
  networkHits?: NetworkHitReports;
}

export class ExamContext {
  readonly db: Db;
  readonly audit: AuditRepo;
  readonly evidence: EvidenceStore;
  readonly search: SearchService;
  readonly version: string;
  readonly networkHits: NetworkHitReports | undefined;
  readonly comparisons: ComparisonsRepo;
  readonly annotations: AnnotationsRepo;
  readonly conclusions: ConclusionsRepo;
  readonly hits: HitsRepo;
  readonly testSets: TestSetsRepo;
  readonly sources: SearchRepo;
  readonly acquisitions: AcquisitionsRepo;
  readonly settings: StationSettingsRepo;
  readonly users: UsersRepo;
  readonly cases: CasesRepo;
  private readonly clock: () => Date;
  private readonly listeners = new Set<(change: { comparisonId: number; what: ChangeKind }) => void>();

  constructor(deps: ExaminationDeps) {
    this.db = deps.db;
    this.audit = deps.audit;
    this.evidence = deps.evidence;
    this.search = deps.search;
    this.version = deps.version;
    this.networkHits = deps.networkHits;
    this.clock = deps.now ?? (() => new Date());
    this.comparisons = new ComparisonsRepo(deps.db);
    this.annotations = new AnnotationsRepo(deps.db);
    this.conclusions = new ConclusionsRepo(deps.db);
    this.hits = new HitsRepo(deps.db);
    this.testSets = new TestSetsRepo(deps.db);
    this.sources = new SearchRepo(deps.db);
    this.acquisitions = new AcquisitionsRepo(deps.db);
    this.settings = new StationSettingsRepo(deps.db);
    this.users = new UsersRepo(deps.db);
    this.cases = new CasesRepo(deps.db);
  }

  now(): string {
    return this.clock().toISOString();
  }

  /**
   * One audit entry; every examination entry names its comparison so a blind verifier's view can leave it out.
   * A test pair's entries stay out of the case histories of its casings (`caseId` null): a test is not casework,
   * and anyone who reads those cases, another participant too, would read the answers there.
   */
  record(actor: Actor, comparisonId: number | null, entry: AuditRecord, at?: string): void {
    const withComparison = (values: Record<string, unknown> | null | undefined) =>
      values && comparisonId !== null ? { comparisonId, ...values } : (values ?? null);
    const caseId = comparisonId !== null && this.isTestPair(comparisonId) ? null : entry.caseId;
    this.audit.append(
      actor,
      { ...entry, caseId, before: withComparison(entry.before), after: withComparison(entry.after) },
      at,
    );
  }

  isTestPair(comparisonId: number): boolean {
    return this.comparison(comparisonId).testPairId !== null;
  }

  comparison(id: number): ComparisonRecord {
    const found = this.comparisons.get(id);
    if (!found) throw notFound('comparison', `comparison ${id} does not exist`, { id });
    return found;
  }

  /** The case an acquisition belongs to. */
  caseOf(acquisitionId: number): number {
    const source = this.sources.acquisition(acquisitionId);
    if (!source) throw notFound('acquisition', `acquisition ${acquisitionId} does not exist`, { id: acquisitionId });
    return source.caseId;
  }

  onChanged(listener: (change: { comparisonId: number; what: ChangeKind }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells subscribers (examinations.changed) after the change has committed. */
  changed(comparisonId: number, what: ChangeKind): void {
    for (const listener of this.listeners) listener({ comparisonId, what });
  }

  /** Runs `work` in one transaction (the record and its audit entries commit together). */
  tx<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}
