// Sending a queued hit report (signed at its first attempt, the same bytes on every retry; recorded only once the
// hub's receipt is signed by the hub and names exactly this report) and reading the lab's feed from where this
// station left it.
import { canonicalJson } from '../../base/canonicalJson.ts';
import type { HubClient } from '../client.ts';
import { hitReportBytes, maxFeedPage, sha256, verifyBytes } from '../protocol.ts';
import type { StationSigner } from './enqueue.ts';
import { buildSignedHitReport } from './hitReport.ts';
import type { HitReportJob, HitReportStore } from './hitReportStore.ts';
import { JobRejected } from './rejection.ts';

export async function sendHitReport(
  client: HubClient,
  store: HitReportStore,
  signer: StationSigner | undefined,
  report: HitReportJob,
  now: () => number,
): Promise<void> {
  let request = report.request;
  if (!request) {
    if (!signer) throw new JobRejected('no_credentials', 'this station has no network credentials to sign the report');
    request = buildSignedHitReport(signer, report.fields);
    store.setHitRequest(report.id, request);
  }
  const { hit } = await client.reportHit(request);
  const hubKey = client.hubSigningKey;
  const hubCertificate = client.hubCertificatePem;
  if (!hubKey || !hubCertificate) throw new JobRejected('receipt_invalid', 'hub certificate unknown');
  if (!verifyBytes(hubKey, Buffer.from(canonicalJson(hit.receipt)), hit.receiptSignature))
    throw new JobRejected(
      'receipt_invalid',
      'the receipt is not signed by the hub certificate the station connected to',
    );
  if (
    hit.receipt.idempotencyKey !== request.report.idempotencyKey ||
    hit.receipt.reportSha256 !== sha256(hitReportBytes(request.report)) ||
    hit.receipt.hitId !== hit.hitId
  )
    throw new JobRejected('receipt_mismatch', 'the hub receipt does not describe this hit report');
  store.markHitRecorded(report.id, hit, hubCertificate, now());
}

/** Reads the feed page by page from the stored position; returns the jobs that changed. */
export async function readFeed(client: HubClient, store: HitReportStore, now: () => number): Promise<number[]> {
  const hub = client.url.origin;
  const changed = new Set<number>();
  for (;;) {
    const page = await client.feed(store.feedPosition(hub), maxFeedPage);
    for (const id of store.applyFeed(hub, page.events, page.next, now())) changed.add(id);
    if (!page.more) return [...changed];
  }
}
