// Air-gapped labs: submissions leave on removable media as a signed bundle, and results come back the same way.
// A bundle is a zip: bundle.json (canonical JSON), artifacts/<sha256> (submission bundles only) and bundle.sig
// ({certificate, signature}: Ed25519 over the exact bytes of bundle.json by the exporting station).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import type { OutboxJob, OutboxStore } from './outbox/store.ts';
import { canonicalJson } from '../base/canonicalJson.ts';
import { writeNewFileDurably } from '../base/durableFile.ts';
import {
  leadSchema,
  manifestBytes,
  manifestSchema,
  receiptSchema,
  sha256,
  signBytes,
  submissionResponseSchema,
  verifyBytes,
} from './protocol.ts';
import { checkCertificate, checkHubCertificate } from './pki.ts';
import type { StationSigner } from './outbox/enqueue.ts';

/** Bundles are read whole into memory: refuse anything larger than this rather than exhaust it. */
export const maxBundleBytes = 1024 * 1024 * 1024;

const pem = z.string().max(16_384).startsWith('-----BEGIN CERTIFICATE-----');
const signatureFileSchema = z.strictObject({ certificate: pem, signature: z.string().max(200) });

const submissionBundleSchema = z.strictObject({
  format: z.literal('casebench-submission-bundle/1'),
  bundleId: z.uuid(),
  createdAt: z.iso.datetime(),
  labId: z.string(),
  stationId: z.string(),
  jobs: z
    .array(z.strictObject({ manifest: manifestSchema, signature: z.string().max(200), originCertificate: pem }))
    .max(100_000),
});

const resultsBundleSchema = z.strictObject({
  format: z.literal('casebench-results-bundle/1'),
  bundleId: z.uuid(),
  createdAt: z.iso.datetime(),
  labId: z.string(),
  results: z
    .array(
      z.strictObject({
        idempotencyKey: z.uuid(),
        receipt: receiptSchema,
        receiptSignature: z.string().max(200),
        hubCertificate: pem,
        leads: z.array(leadSchema).nullable(),
        /** The hub's notes on the correlation; optional, so bundles made before stations kept them still import. */
        correlationNotes: submissionResponseSchema.shape.correlationNotes,
      }),
    )
    .max(100_000),
});

export class BundleError extends Error {
  override name = 'BundleError';
}

function sealBundle(signer: StationSigner, body: unknown, extra: Zippable, outPath: string): void {
  const json = Buffer.from(canonicalJson(body));
  const signature = { certificate: signer.certificate, signature: signBytes(signer.signingKey, json) };
  const zipped = zipSync(
    { 'bundle.json': json, 'bundle.sig': Buffer.from(JSON.stringify(signature)), ...extra },
    { level: 0 },
  );
  // A bundle never takes the place of an existing file (the station's database, say).
  writeNewFileDurably(outPath, zipped);
}

/** Opens a bundle and checks its signature and signer; returns the parsed body and the other files. */
function openBundle<T>(
  path: string,
  caPem: string,
  expectedLabId: string,
  schema: z.ZodType<T>,
): { body: T; files: Record<string, Uint8Array> } {
  if (!existsSync(path)) throw new BundleError(`no bundle at ${path}`);
  if (statSync(path).size > maxBundleBytes) throw new BundleError(`bundle larger than ${maxBundleBytes} bytes`);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(readFileSync(path));
  } catch (error) {
    throw new BundleError(`not a readable bundle (zip): ${(error as Error).message}`);
  }
  const json = files['bundle.json'];
  const sig = files['bundle.sig'];
  if (!json || !sig) throw new BundleError('bundle lacks bundle.json or bundle.sig');
  let signature;
  try {
    signature = signatureFileSchema.parse(JSON.parse(Buffer.from(sig).toString('utf8')));
  } catch {
    throw new BundleError('bundle.sig is malformed');
  }
  let signerLab: string;
  try {
    const signer = checkCertificate(signature.certificate, caPem);
    signerLab = signer.labId;
    if (!verifyBytes(signer.signingKey, json, signature.signature))
      throw new BundleError('bundle signature does not verify: the bundle was altered or not made by its signer');
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError(`bundle signer certificate rejected: ${(error as Error).message}`);
  }
  if (signerLab !== expectedLabId)
    throw new BundleError(`bundle was made by lab ${signerLab}, not by this lab (${expectedLabId})`);
  const parsed = schema.safeParse(JSON.parse(Buffer.from(json).toString('utf8')));
  if (!parsed.success)
    throw new BundleError(
      `bundle.json does not follow the bundle format: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  return { body: parsed.data, files };
}

/** Exports every unsent, not yet exported job (or the given ones) with its artifacts; marks them exported. */
export function exportSubmissionBundle(
  store: OutboxStore,
  signer: StationSigner,
  outPath: string,
  now = Date.now(),
): { bundleId: string; jobs: number } {
  const jobs = store
    .list({ states: ['queued', 'uploading'], limit: 100_000 })
    .filter((j) => j.exportedAt === null)
    .reverse();
  if (jobs.length === 0) throw new BundleError('nothing to export: no queued submissions');
  const artifacts: Zippable = {};
  for (const job of jobs) {
    for (const file of job.artifactFiles) {
      const bytes = readFileSync(file.path);
      if (sha256(bytes) !== file.sha256)
        throw new BundleError(`artifact ${file.path} no longer matches its SHA-256 ${file.sha256}: not exported`);
      artifacts[`artifacts/${file.sha256}`] = bytes;
    }
  }
  const bundleId = randomUUID();
  sealBundle(
    signer,
    {
      format: 'casebench-submission-bundle/1',
      bundleId,
      createdAt: new Date(now).toISOString(),
      labId: signer.labId,
      stationId: signer.stationId,
      jobs: jobs.map((j) => ({ manifest: j.manifest, signature: j.signature, originCertificate: j.originCertificate })),
    },
    artifacts,
    outPath,
  );
  store.markExported(
    jobs.map((j) => j.id),
    now,
  );
  return { bundleId, jobs: jobs.length };
}

/**
 * Imports a submission bundle on a connected station of the same lab: checks the bundle signature, each manifest's
 * signature and origin certificate, and each artifact's hash; stores the artifacts (content-addressed, write-once)
 * under `artifactDir` and queues the jobs under their own idempotency keys, so a second import changes nothing.
 */
export function importSubmissionBundle(
  store: OutboxStore,
  caPem: string,
  labId: string,
  bundlePath: string,
  artifactDir: string,
  now = Date.now(),
): { imported: number; alreadyKnown: number } {
  const { body, files } = openBundle(bundlePath, caPem, labId, submissionBundleSchema);
  for (const job of body.jobs) {
    let origin;
    try {
      origin = checkCertificate(job.originCertificate, caPem, new Date(now));
    } catch (error) {
      throw new BundleError(
        `submission ${job.manifest.idempotencyKey}: origin certificate rejected: ${(error as Error).message}`,
      );
    }
    if (!verifyBytes(origin.signingKey, manifestBytes(job.manifest), job.signature))
      throw new BundleError(`submission ${job.manifest.idempotencyKey}: manifest signature does not verify`);
    for (const ref of job.manifest.artifacts) {
      const bytes = files[`artifacts/${ref.sha256}`];
      if (!bytes)
        throw new BundleError(
          `submission ${job.manifest.idempotencyKey}: artifact ${ref.sha256} missing from the bundle`,
        );
      if (bytes.byteLength !== ref.size || sha256(bytes) !== ref.sha256)
        throw new BundleError(`artifact ${ref.sha256} in the bundle does not match its SHA-256: bundle damaged`);
    }
  }
  // Everything checked: only now is anything written.
  mkdirSync(artifactDir, { recursive: true });
  let imported = 0;
  for (const job of body.jobs) {
    const artifactFiles = job.manifest.artifacts.map((ref) => {
      const path = join(artifactDir, ref.sha256);
      if (!existsSync(path)) writeNewFileDurably(path, files[`artifacts/${ref.sha256}`]);
      return { sha256: ref.sha256, size: ref.size, path };
    });
    const inserted = store.insert(
      {
        manifest: job.manifest,
        signature: job.signature,
        originCertificate: job.originCertificate,
        artifactFiles,
        source: `bundle:${body.bundleId}`,
        now,
      },
      true,
    );
    if (inserted) imported++;
  }
  return { imported, alreadyKnown: body.jobs.length - imported };
}

/** Exports receipts and leads of jobs that came in by bundle (or all delivered ones) for the air-gapped station. */
export function exportResultsBundle(
  store: OutboxStore,
  signer: StationSigner,
  outPath: string,
  options: { bundleId?: string } = {},
  now = Date.now(),
): { results: number } {
  const delivered = store
    .list({ states: ['committed', 'correlated'], limit: 100_000 })
    .filter((j) => (options.bundleId ? j.source === `bundle:${options.bundleId}` : j.source.startsWith('bundle:')));
  if (delivered.length === 0) throw new BundleError('no delivered submissions from bundles to report');
  sealBundle(
    signer,
    {
      format: 'casebench-results-bundle/1',
      bundleId: randomUUID(),
      createdAt: new Date(now).toISOString(),
      labId: signer.labId,
      results: delivered.map((j: OutboxJob) => ({
        idempotencyKey: j.idempotencyKey,
        receipt: j.receipt!,
        receiptSignature: j.receiptSignature!,
        hubCertificate: j.hubCertificate!,
        leads: j.state === 'correlated' ? j.leads : null,
        correlationNotes: j.state === 'correlated' && j.correlationNotes.length > 0 ? j.correlationNotes : undefined,
      })),
    },
    {},
    outPath,
  );
  return { results: delivered.length };
}

/** Clock skew tolerated between a hub and this station when checking that a receipt is not from the future. */
const maxClockSkewMs = 10 * 60_000;

/**
 * Applies a results bundle. Each receipt must be signed by the network's hub (not by any certificate the CA
 * issued: a station of the same lab has one too), with a certificate valid when the hub signed, and must describe
 * exactly the local job; otherwise nothing of the bundle is applied. `hub.hostname`: the station's hub, when known.
 */
export function importResultsBundle(
  store: OutboxStore,
  caPem: string,
  labId: string,
  bundlePath: string,
  now = Date.now(),
  hub: { hostname?: string } = {},
): { applied: number; unknown: number } {
  const { body } = openBundle(bundlePath, caPem, labId, resultsBundleSchema);
  const checked: { job: OutboxJob; result: (typeof body.results)[number] }[] = [];
  let unknown = 0;
  for (const result of body.results) {
    const job = store.getByKey(result.idempotencyKey);
    if (!job) {
      unknown++;
      continue;
    }
    const committedAt = new Date(result.receipt.committedAt);
    if (committedAt.getTime() > now + maxClockSkewMs)
      throw new BundleError(
        `receipt for ${result.idempotencyKey} is dated in the future (${result.receipt.committedAt})`,
      );
    let hubKey;
    try {
      hubKey = checkHubCertificate(result.hubCertificate, caPem, {
        at: committedAt,
        hubId: result.receipt.hubId,
        hostname: hub.hostname,
      });
    } catch (error) {
      throw new BundleError(`receipt for ${result.idempotencyKey}: ${(error as Error).message}`);
    }
    if (!verifyBytes(hubKey, Buffer.from(canonicalJson(result.receipt)), result.receiptSignature))
      throw new BundleError(`receipt for ${result.idempotencyKey}: hub signature does not verify`);
    if (
      result.receipt.idempotencyKey !== job.idempotencyKey ||
      result.receipt.manifestSha256 !== sha256(manifestBytes(job.manifest)) ||
      canonicalJson(result.receipt.artifacts) !== canonicalJson(job.manifest.artifacts.map((a) => a.sha256))
    ) {
      throw new BundleError(`receipt for ${result.idempotencyKey} describes a different submission`);
    }
    checked.push({ job, result });
  }
  store.transaction(() => {
    for (const { job, result } of checked)
      store.markCommitted(
        job.id,
        result.receipt,
        result.receiptSignature,
        result.hubCertificate,
        result.leads,
        result.correlationNotes ?? [],
        now,
        now,
      );
  });
  return { applied: checked.length, unknown };
}
