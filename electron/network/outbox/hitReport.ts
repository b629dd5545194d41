// A confirmed hit as the station sends it: the report (protocol shape) signed with the station key, like a manifest.
// Built when it is sent, from what was fixed when it was queued (its idempotency key above all).
import {
  hitReportBytes,
  hitReportSchema,
  protocolVersion,
  signBytes,
  type CreateHitRequest,
  type HitReport,
} from '../protocol.ts';
import type { StationSigner } from './enqueue.ts';

/** What is fixed when a hit report is queued; the lab and station are the sender's at sending time. */
export type HitReportFields = Omit<HitReport, 'protocol' | 'lab'>;

export function buildSignedHitReport(signer: StationSigner, fields: HitReportFields): CreateHitRequest {
  const report = hitReportSchema.parse({
    protocol: protocolVersion,
    lab: { labId: signer.labId, stationId: signer.stationId },
    ...fields,
  });
  return {
    report,
    signature: signBytes(signer.signingKey, hitReportBytes(report)),
    originCertificate: signer.certificate,
  };
}
