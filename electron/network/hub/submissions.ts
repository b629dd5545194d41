// What the hub does with submissions: create (checked against the origin certificate and idempotency key),
// describe, commit with a signed receipt (then correlation is told), and serve another lab's casing through a lead.
import { randomUUID, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import {
  createSubmissionRequestSchema,
  leadForRevision,
  maxLeadsPerAnswer,
  notesOnWire,
  protocolRevision,
  manifestBytes,
  receiptBytes,
  resultsStatementBytes,
  resultsStatementFormat,
  sha256,
  signBytes,
  verifyBytes,
  type Receipt,
  type ResultsStatement,
  type SubmissionResponse,
} from '../protocol.ts';
import { checkCertificate } from '../pki.ts';
import type { Caller } from './auth.ts';
import { notesForStations } from './notes.ts';
import type { CorrelationQueue } from './correlation.ts';
import { FileBody, RequestError, parseJson, type HandlerResult } from './http.ts';
import type { ArtifactStore, HubRecords, SubmissionRecord } from './storage.ts';
import type { Uploads } from './uploads.ts';

export interface SubmissionDeps {
  hubId: string;
  hubSigningKey: KeyObject;
  /** The network CA (PEM): origin certificates must chain to it. */
  ca: string;
  records: HubRecords;
  artifacts: ArtifactStore;
  uploads: Uploads;
  correlation: CorrelationQueue;
  now: () => number;
  /** The most leads a status answer carries (the rest reach the station through its feed); tests lower it. */
  maxLeadsPerAnswer?: number;
}

export interface Submissions {
  create(caller: Caller, body: Buffer, revision?: number): Promise<HandlerResult>;
  /** The caller's own submission; another lab's is reported as absent. */
  own(id: string, caller: Caller): Promise<SubmissionRecord>;
  /** `revision`: the protocol revision the caller reads (its leads carry only the detail fields it knows; the
   *  results are signed as sent). Absent: the newest. */
  describe(record: SubmissionRecord, revision?: number): Promise<SubmissionResponse>;
  commit(record: SubmissionRecord, revision?: number): Promise<SubmissionResponse>;
  /** An artifact of a lead's other casing, only through a lead on the caller's own submission. */
  leadArtifact(caller: Caller, submissionId: string, leadId: number, sha: string): Promise<FileBody | Buffer>;
}

export function createSubmissions(deps: SubmissionDeps): Submissions {
  const { records, artifacts, now } = deps;

  async function own(id: string, caller: Caller): Promise<SubmissionRecord> {
    const record = await records.get(id);
    // Another lab's submission is reported as absent, not as forbidden: its existence is not ours to reveal.
    if (!record || record.labId !== caller.labId) throw new RequestError(404, 'not_found', `no submission ${id}`);
    return record;
  }

  async function describe(record: SubmissionRecord, revision = protocolRevision): Promise<SubmissionResponse> {
    const response: SubmissionResponse = {
      submissionId: record.id,
      state: record.state,
      missing:
        record.state === 'open'
          ? record.manifest.artifacts.filter((a) => !artifacts.has(a.sha256)).map((a) => a.sha256)
          : [],
    };
    if (record.receipt && record.receiptSignature) {
      response.receipt = record.receipt;
      response.receiptSignature = record.receiptSignature;
    }
    if (record.state === 'correlated' && record.receipt) {
      // The best leads only (records give them best first): every lead reaches the station through its feed too, and
      // an answer holding all the reverse leads of a casing many searches found would pass what a station reads.
      const best = await records.leadsFor(record.id, deps.maxLeadsPerAnswer ?? maxLeadsPerAnswer);
      const leads = best.map((l) => leadForRevision(l, revision));
      // Revision 3 reads how many there are; older stations' strict schemas would refuse the field.
      const leadCount = revision >= 3 ? { leadCount: await records.leadCount(record.id) } : {};
      // English texts for every station; from revision 4 also each note's code and values, worded by the station.
      const notes = notesOnWire(notesForStations(await records.correlationNotes(record.id)), revision);
      response.leads = leads;
      Object.assign(response, leadCount);
      if (notes.correlationNotes.length > 0) Object.assign(response, notes);
      // Signed as described now (leads from later submissions included), with the key that signs receipts.
      const statement: ResultsStatement = {
        format: resultsStatementFormat,
        hubId: deps.hubId,
        submissionId: record.id,
        idempotencyKey: record.idempotencyKey,
        receiptSha256: sha256(receiptBytes(record.receipt)),
        state: 'correlated',
        leads,
        ...leadCount,
        ...notes,
        signedAt: new Date(now()).toISOString(),
      };
      response.results = { statement, signature: signBytes(deps.hubSigningKey, resultsStatementBytes(statement)) };
    }
    return response;
  }

  async function create(caller: Caller, body: Buffer, revision = protocolRevision): Promise<HandlerResult> {
    const parsed = createSubmissionRequestSchema.safeParse(parseJson(body));
    if (!parsed.success)
      throw new RequestError(400, 'invalid_request', 'submission does not follow the protocol', {
        issues: parsed.error.issues.slice(0, 10),
      });
    const { manifest, signature, originCertificate } = parsed.data;
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
        `a station of ${caller.labId} may not relay submissions of ${origin.labId}`,
      );
    if (manifest.lab.labId !== origin.labId || manifest.lab.stationId !== origin.stationId) {
      throw new RequestError(403, 'lab_mismatch', 'manifest lab and station differ from the origin certificate');
    }
    const bytes = manifestBytes(manifest);
    if (!verifyBytes(origin.signingKey, bytes, signature))
      throw new RequestError(
        403,
        'manifest_signature_invalid',
        'manifest signature does not verify with the origin station key',
      );
    const manifestSha256 = sha256(bytes);
    const existing = await records.findByIdempotencyKey(manifest.idempotencyKey);
    if (existing) {
      if (existing.manifestSha256 !== manifestSha256)
        throw new RequestError(409, 'idempotency_conflict', 'this idempotency key was used for a different manifest');
      return { status: 200, body: await describe(existing, revision) };
    }
    const id = randomUUID();
    const record = await records.insert(
      {
        id,
        idempotencyKey: manifest.idempotencyKey,
        labId: origin.labId,
        stationId: origin.stationId,
        caseRef: manifest.caseRef,
        itemRef: manifest.itemRef,
        calibre: manifest.specimen.calibre,
        manifest,
        manifestSha256,
        signature,
        createdAt: new Date(now()).toISOString(),
      },
      originCertificate,
    );
    // Another request with this key may have been inserted between the lookup and the insert (the records answer
    // asynchronously): the stored record decides, as if it had been found above.
    if (record.id !== id) {
      if (record.manifestSha256 !== manifestSha256)
        throw new RequestError(409, 'idempotency_conflict', 'this idempotency key was used for a different manifest');
      return { status: 200, body: await describe(record, revision) };
    }
    return { status: 201, body: await describe(record, revision) };
  }

  async function commit(record: SubmissionRecord, revision = protocolRevision): Promise<SubmissionResponse> {
    if (record.state !== 'open') return describe(record, revision);
    await Promise.all(
      record.manifest.artifacts.filter((a) => !artifacts.has(a.sha256)).map((a) => deps.uploads.settle(record, a)),
    );
    const missing = record.manifest.artifacts.filter((a) => !artifacts.has(a.sha256)).map((a) => a.sha256);
    if (missing.length > 0)
      throw new RequestError(409, 'artifacts_missing', `${missing.length} artifact(s) not yet uploaded`, { missing });
    const receipt: Receipt = {
      hubId: deps.hubId,
      submissionId: record.id,
      idempotencyKey: record.idempotencyKey,
      manifestSha256: record.manifestSha256,
      artifacts: record.manifest.artifacts.map((a) => a.sha256),
      committedAt: new Date(now()).toISOString(),
    };
    const { record: committed, committedNow } = await records.commit(
      record.id,
      receipt,
      signBytes(deps.hubSigningKey, receiptBytes(receipt)),
    );
    if (committedNow) deps.correlation.committed(committed);
    return describe(committed, revision);
  }

  async function leadArtifact(
    caller: Caller,
    submissionId: string,
    leadId: number,
    sha: string,
  ): Promise<FileBody | Buffer> {
    const lead = await records.lead((await own(submissionId, caller)).id, leadId);
    if (!lead) throw new RequestError(404, 'not_found', `no lead ${leadId} on submission ${submissionId}`);
    if (!lead.otherArtifacts.some((a) => a.sha256 === sha) || !artifacts.has(sha))
      throw new RequestError(404, 'not_found', `artifact ${sha} is not part of lead ${leadId}`);
    // Streamed from the store's file (up to 2 GiB each, many stations at once); a store without files gives bytes.
    const path = artifacts.localPath(sha);
    return path ? new FileBody(path, statSync(path).size) : artifacts.read(sha);
  }

  return { create, own, describe, commit, leadArtifact };
}
