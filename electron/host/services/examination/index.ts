// The examination domain in the host (issue 12): the workspace's comparisons, annotations, snapshots,
// conclusions, verification, hits and testing mode. Wired by createHost; rules in access.ts, records in
// storage/repos/examination.
import type { examinationCalls, examinationEvents } from '../../../contract/examination.ts';
import type { CallHandlers, EventSources } from '../../rpc/handlers.ts';
import { ExamContext, viewerOf, type ExaminationDeps, type Viewer } from './context.ts';
import { analyzeComparison, getComparison, listComparisons, openComparison } from './comparisons.ts';
import {
  amendAnnotation,
  annotationHistory,
  createAnnotation,
  createSnapshot,
  snapshotContent,
} from './annotations.ts';
import { amendConclusion, recordConclusion } from './conclusions.ts';
import { currentPolicy, setPolicy } from './policy.ts';
import { assignArbiter, assignVerifier, requestVerification, verificationCandidates } from './verification.ts';
import { confirmHit, hitsForCase } from './hits.ts';
import { closeTestSet, createTestSet, examiners, getTestSet, listTestSets, testResults } from './testSets.ts';
import { worklist } from './worklist.ts';
import { auditShownTo, recordsForCase, type AuditEntryLike } from './records.ts';

export type { ExaminationDeps, NetworkHitReports, Viewer } from './context.ts';

export class ExaminationService {
  readonly ctx: ExamContext;

  constructor(deps: ExaminationDeps) {
    this.ctx = new ExamContext(deps);
  }

  /** Every examination record touching a case (packages, reports); refuses a viewer verifying one of them blind. */
  recordsForCase(caseId: number, viewer: Viewer | null) {
    return recordsForCase(this.ctx, caseId, viewer);
  }

  /** The audit entries this user may read (what they verify blind is left out); being shown the first examination
   * of a comparison there is remembered, as in the workspace. */
  auditShownTo<E extends AuditEntryLike>(viewer: { userId: number; username: string }, entries: E[]): E[] {
    return auditShownTo(this.ctx, viewer, entries);
  }

  handlers(): CallHandlers<typeof examinationCalls> {
    const ctx = this.ctx;
    return {
      'examinations.open': (input, c) => openComparison(ctx, viewerOf(c.session), input),
      'examinations.get': (input, c) => getComparison(ctx, viewerOf(c.session), input.comparisonId),
      'examinations.list': (input, c) => listComparisons(ctx, viewerOf(c.session), input),
      'examinations.analyze': (input, c) => analyzeComparison(ctx, viewerOf(c.session), input.comparisonId, c.signal),
      'examinations.worklist': (_input, c) => worklist(ctx, viewerOf(c.session)),
      'examinations.records': (input, c) => recordsForCase(ctx, input.caseId, viewerOf(c.session)),
      'annotations.create': (input, c) => createAnnotation(ctx, viewerOf(c.session), input),
      'annotations.amend': (input, c) => amendAnnotation(ctx, viewerOf(c.session), input),
      'annotations.withdraw': (input, c) => amendAnnotation(ctx, viewerOf(c.session), input, true),
      'annotations.history': (input, c) => annotationHistory(ctx, viewerOf(c.session), input.id),
      'snapshots.create': (input, c) => createSnapshot(ctx, viewerOf(c.session), input),
      'snapshots.content': (input, c) => snapshotContent(ctx, viewerOf(c.session), input.id),
      'conclusions.record': (input, c) => recordConclusion(ctx, viewerOf(c.session), input),
      'conclusions.amend': (input, c) => amendConclusion(ctx, viewerOf(c.session), input),
      'verification.policy': () => currentPolicy(ctx),
      'verification.setPolicy': (input, c) => setPolicy(ctx, viewerOf(c.session), input.policy, input.reason),
      'verification.request': (input, c) => requestVerification(ctx, viewerOf(c.session), input),
      'verification.candidates': (input) => verificationCandidates(ctx, input),
      'verification.assign': (input, c) => assignVerifier(ctx, viewerOf(c.session), input, false),
      'verification.claim': (input, c) => {
        const viewer = viewerOf(c.session);
        return assignVerifier(ctx, viewer, { ...input, verifierId: viewer.userId }, true);
      },
      'verification.assignArbiter': (input, c) => assignArbiter(ctx, viewerOf(c.session), input),
      'hits.confirm': (input, c) => confirmHit(ctx, viewerOf(c.session), input),
      'hits.forCase': (input, c) => hitsForCase(ctx, viewerOf(c.session), input.caseId),
      'testSets.create': (input, c) => createTestSet(ctx, viewerOf(c.session), input),
      'examinations.examiners': () => examiners(ctx),
      'testSets.list': () => listTestSets(ctx),
      'testSets.get': (input, c) => getTestSet(ctx, viewerOf(c.session), input.id),
      'testSets.close': (input, c) => closeTestSet(ctx, viewerOf(c.session), input),
      'testSets.results': (input, c) => testResults(ctx, viewerOf(c.session), input.id),
    };
  }

  eventSources(): EventSources<typeof examinationEvents> {
    return {
      'examinations.changed': (filter, emit) =>
        this.ctx.onChanged((change) => {
          if (filter.comparisonId === undefined || filter.comparisonId === change.comparisonId) emit(change);
        }),
    };
  }
}

export function attachExamination(
  host: { implement(h: object): void; implementEvents(s: object): void },
  deps: ExaminationDeps,
): ExaminationService {
  const service = new ExaminationService(deps);
  host.implement(service.handlers());
  host.implementEvents(service.eventSources());
  return service;
}
