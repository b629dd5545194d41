// Hit reports and the labs' feeds: a lab reports that its examiners confirmed a lead as an identification; the hub
// records it once (by idempotency key), linked to both submissions, signs a receipt, and the other lab learns of
// it through its feed — with the new leads that later submissions gave its earlier ones.
import { randomUUID, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../base/canonicalJson.ts';
import {
  createHitRequestSchema,
  hitReportBytes,
  leadForRevision,
  maxFeedPage,
  sha256,
  signBytes,
  verifyBytes,
  type FeedResponse,
  type HitReceipt,
  type HitResponse,
} from '../protocol.ts';
import { checkCertificate } from '../pki.ts';
import type { Caller } from './auth.ts';
import { RequestError, parseJson, type HandlerResult } from './http.ts';
import type { HitRecord, HubRecords } from './storage.ts';
import type { Submissions } from './submissions.ts';

export interface HitDeps {
  hubId: string;
  hubSigningKey: KeyObject;
  ca: string;
  records: HubRecords;
  submissions: Pick<Submissions, 'own'>;
  now: () => number;
}

export interface Hits {
  report(caller: Caller, body: Buffer): Promise<HandlerResult>;
  /** `revision`: the protocol revision the caller reads (its leads carry only the detail fields it knows). */
  feed(caller: Caller, after: number, limit: number, revision: number): Promise<FeedResponse>;
}

const answer = (hit: HitRecord): HitResponse => ({
  hitId: hit.id,
  state: 'recorded',
  receipt: hit.receipt,
  receiptSignature: hit.receiptSignature,
});

export function createHits(deps: HitDeps): Hits {
  const { records, now } = deps;

  async function report(caller: Caller, body: Buffer): Promise<HandlerResult> {
    const parsed = createHitRequestSchema.safeParse(parseJson(body));
    if (!parsed.success)
      throw new RequestError(400, 'invalid_request', 'hit report does not follow the protocol', {
        issues: parsed.error.issues.slice(0, 10),
      });
    const { report, signature, originCertificate } = parsed.data;
    let origin;
    try {
      origin = checkCertificate(originCertificate, deps.ca, new Date(now()));
    } catch (error) {
      throw new RequestError(
        403,
        'origin_certificate_rejected',
        `origin certificate rejected: ${(error as Error).message}`,
      );
    }
    if (origin.labId !== caller.labId)
      throw new RequestError(
        403,
        'lab_mismatch',
        `a station of ${caller.labId} may not relay reports of ${origin.labId}`,
      );
    if (report.lab.labId !== origin.labId || report.lab.stationId !== origin.stationId)
      throw new RequestError(403, 'lab_mismatch', 'report lab and station differ from the origin certificate');
    const bytes = hitReportBytes(report);
    if (!verifyBytes(origin.signingKey, bytes, signature))
      throw new RequestError(
        403,
        'manifest_signature_invalid',
        'hit report signature does not verify with the origin station key',
      );
    const reportSha256 = sha256(bytes);
    const judge = (stored: HitRecord) => {
      if (stored.reportSha256 !== reportSha256)
        throw new RequestError(409, 'idempotency_conflict', 'this idempotency key was used for a different report');
      return { status: 200, body: answer(stored) };
    };
    const existing = await records.findHitByIdempotencyKey(report.idempotencyKey);
    if (existing) return judge(existing);
    // Only a lab's own submission, and only a lead the hub gave it, can be reported.
    const submission = await deps.submissions.own(report.submissionId, caller);
    const lead = await records.lead(submission.id, report.leadId);
    if (!lead) throw new RequestError(404, 'not_found', `no lead ${report.leadId} on submission ${submission.id}`);
    if (lead.otherSubmissionId !== report.otherSubmissionId)
      throw new RequestError(400, 'invalid_request', `lead ${report.leadId} is not about ${report.otherSubmissionId}`);
    const id = randomUUID();
    const recordedAt = new Date(now()).toISOString();
    const receipt: HitReceipt = {
      hubId: deps.hubId,
      hitId: id,
      idempotencyKey: report.idempotencyKey,
      reportSha256,
      recordedAt,
    };
    const stored = await records.insertHit(
      {
        id,
        idempotencyKey: report.idempotencyKey,
        labId: origin.labId,
        stationId: origin.stationId,
        submissionId: submission.id,
        leadId: report.leadId,
        otherSubmissionId: report.otherSubmissionId,
        report,
        reportSha256,
        signature,
        receipt,
        receiptSignature: signBytes(deps.hubSigningKey, Buffer.from(canonicalJson(receipt))),
        recordedAt,
      },
      originCertificate,
    );
    // Another request with this key may have been recorded between the lookup and the insert: the stored one decides.
    if (stored.id !== id) return judge(stored);
    return { status: 201, body: answer(stored) };
  }

  async function feed(caller: Caller, after: number, limit: number, revision: number): Promise<FeedResponse> {
    const page = Math.min(Math.max(1, limit), maxFeedPage);
    // One more than asked tells whether more wait.
    const events = await records.feed(caller.labId, after, page + 1);
    const shown = events
      .slice(0, page)
      .map((e) => (e.kind === 'lead' ? { ...e, lead: leadForRevision(e.lead, revision) } : e));
    return { events: shown, next: shown.at(-1)?.seq ?? after, more: events.length > page };
  }

  return { report, feed };
}
