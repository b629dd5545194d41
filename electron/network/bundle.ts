// Air-gapped labs: submissions leave on removable media as a signed bundle, and results come back the same way.
// A bundle is a zip: bundle.json (canonical JSON), artifacts/<sha256> (submission bundles only) and bundle.sig
// ({certificate, signature}: Ed25519 over the exact bytes of bundle.json by the exporting station).
// A bundle comes from outside, so it is read with bounded memory whatever it holds: its zip directory is checked
// first (the one zip reader of electron/base: names, sizes against the limits and the compression ratio, members
// neither overlapping nor truncated), bundle.sig and bundle.json are refused above their caps before anything is
// inflated, the signature is checked, and only then is each artifact streamed, hashed and checked member by member
// (never whole in memory). Bundles are written the same way, artifact by artifact from their files.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { OutboxJob, OutboxStore, StoredResults } from './outbox/store.ts';
import { canonicalJson } from '../base/canonicalJson.ts';
import { parseBoundedJson } from '../contract/boundedJson.ts';
import { commitNewFile, FileExistsError, temporaryPathFor, writeTemporaryFile } from '../base/durableFile.ts';
import { openZip, ZipFormatError, type ZipArchive, type ZipMember, type ZipReadLimits } from '../base/zip/reader.ts';
import { fileChunks, ZipFileWriter } from '../base/zip/writer.ts';
import {
  manifestBytes,
  manifestSchema,
  receiptBytes,
  receiptSchema,
  maxArtifactBytes,
  sha256,
  signBytes,
  signedResultsProblem,
  signedResultsSchema,
  verifyBytes,
  type Receipt,
} from './protocol.ts';
import { checkCertificate, checkHubCertificate } from './pki.ts';
import type { StationSigner } from './outbox/enqueue.ts';

/**
 * What a bundle may hold. bundle.json is parsed in memory, so it has its own cap (some 3,000 jobs: an export that
 * would exceed it takes the oldest jobs that fit and says how many remain) and a nesting limit.
 */
export const bundleLimits = {
  zip: {
    maxMembers: 100_002,
    maxDirectoryBytes: 32 * 1024 * 1024,
    maxMemberBytes: maxArtifactBytes,
    maxTotalBytes: 512 * 1024 ** 3,
    maxDeflateRatio: 100,
  } satisfies ZipReadLimits,
  jsonBytes: 8 * 1024 * 1024,
  jsonDepth: 32,
  signatureBytes: 64 * 1024,
};

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

/**
 * Version 2: leads and notes travel only inside the hub's signed statement (version 1 carried them unsigned, so the
 * relaying station could add or change a lead; it is refused, not read without its leads).
 */
export const resultsBundleFormat = 'casebench-results-bundle/2';

const resultsBundleSchema = z.strictObject({
  format: z.literal(resultsBundleFormat),
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
        /** Null: committed, not correlated yet (as far as the relaying station knows). */
        results: signedResultsSchema.extend({ certificate: pem }).nullable(),
      }),
    )
    .max(100_000),
});

export class BundleError extends Error {
  override name = 'BundleError';
}

/** Writes a bundle to a new file: bundle.json, bundle.sig, then each artifact streamed from its file. */
async function sealBundle(
  signer: StationSigner,
  body: unknown,
  artifacts: { sha256: string; path: string }[],
  outPath: string,
): Promise<void> {
  const json = Buffer.from(canonicalJson(body));
  const signature = { certificate: signer.certificate, signature: signBytes(signer.signingKey, json) };
  if (existsSync(outPath)) throw new FileExistsError(outPath);
  const temp = temporaryPathFor(outPath);
  const zip = await ZipFileWriter.create(temp);
  try {
    await zip.addBytes('bundle.json', json);
    await zip.addBytes('bundle.sig', Buffer.from(JSON.stringify(signature)));
    for (const artifact of artifacts) {
      const written = await zip.addChunks(`artifacts/${artifact.sha256}`, fileChunks(artifact.path));
      if (written.sha256 !== artifact.sha256)
        throw new BundleError(
          `artifact ${artifact.path} no longer matches its SHA-256 ${artifact.sha256}: not exported`,
        );
    }
    await zip.finish();
  } catch (error) {
    await zip.abort();
    throw error;
  }
  // A bundle never takes the place of an existing file (the station's database, say).
  commitNewFile(temp, outPath);
}

interface OpenedBundle<T> {
  body: T;
  archive: ZipArchive;
}

/**
 * Opens a bundle and checks its signature and signer, reading no more than bundle.json and bundle.sig (each
 * refused above its cap from the zip directory, before inflating). The caller closes `archive`.
 */
async function openBundle<T>(
  path: string,
  caPem: string,
  expectedLabId: string,
  schema: z.ZodType<T>,
  allowedMember: (name: string) => boolean,
  /** Formats no longer read, and why (said instead of the schema's complaint). */
  retiredFormats: Record<string, string> = {},
): Promise<OpenedBundle<T>> {
  if (!existsSync(path)) throw new BundleError(`no bundle at ${path}`);
  let archive: ZipArchive;
  try {
    archive = await openZip(path, bundleLimits.zip);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new BundleError(`not a readable bundle: ${error.message}`);
    throw error;
  }
  try {
    const unexpected = archive.members.find(
      (m) => !['bundle.json', 'bundle.sig'].includes(m.name) && !allowedMember(m.name),
    );
    if (unexpected) throw new BundleError(`the bundle holds "${unexpected.name}", which no bundle holds`);
    const jsonMember = archive.get('bundle.json');
    const sigMember = archive.get('bundle.sig');
    if (!jsonMember || !sigMember) throw new BundleError('bundle lacks bundle.json or bundle.sig');
    const sig = await readSmall(archive, sigMember, bundleLimits.signatureBytes);
    const json = await readSmall(archive, jsonMember, bundleLimits.jsonBytes);
    let signature;
    try {
      signature = signatureFileSchema.parse(
        parseBoundedJson(sig.toString('utf8'), { maxBytes: bundleLimits.signatureBytes, maxDepth: 4 }),
      );
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
    let raw: unknown;
    try {
      raw = parseBoundedJson(json.toString('utf8'), {
        maxBytes: bundleLimits.jsonBytes,
        maxDepth: bundleLimits.jsonDepth,
      });
    } catch (error) {
      throw new BundleError(`bundle.json is not acceptable JSON: ${(error as Error).message}`);
    }
    const format = (raw as { format?: unknown } | null)?.format;
    if (typeof format === 'string' && Object.hasOwn(retiredFormats, format))
      throw new BundleError(retiredFormats[format]);
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new BundleError(
        `bundle.json does not follow the bundle format: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
    return { body: parsed.data, archive };
  } catch (error) {
    await archive.close();
    throw error;
  }
}

/** How many of the entries (their JSON lengths, in order) fit in one bundle.json, with room for the envelope. */
function fittingCount(lengths: number[]): number {
  let total = 4096;
  for (let i = 0; i < lengths.length; i++) {
    total += lengths[i] + 1;
    if (total > bundleLimits.jsonBytes) {
      if (i === 0) throw new BundleError('a single submission is larger than a bundle may hold');
      return i;
    }
  }
  return lengths.length;
}

async function readSmall(archive: ZipArchive, member: ZipMember, maxBytes: number): Promise<Buffer> {
  try {
    return await archive.readAll(member, maxBytes);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new BundleError(`${member.name}: ${error.message}`);
    throw error;
  }
}

const artifactMember = /^artifacts\/[0-9a-f]{64}$/;

/**
 * Exports every unsent, not yet exported job with its artifacts; marks them exported. `record` runs inside the
 * transaction that marks them (the caller's audit entry goes there). The file is written in full first, then
 * given its name (never over an existing file), then the jobs are marked.
 */
export async function exportSubmissionBundle(
  store: OutboxStore,
  signer: StationSigner,
  outPath: string,
  now = Date.now(),
  record?: (result: { bundleId: string; jobs: number; remaining: number }) => void,
): Promise<{ bundleId: string; jobs: number; remaining: number }> {
  const unexported = store
    .list({ states: ['queued', 'uploading'], limit: 100_000 })
    .filter((j) => j.exportedAt === null)
    .reverse();
  if (unexported.length === 0) throw new BundleError('nothing to export: no queued submissions');
  const entries = unexported.map((j) => ({
    manifest: j.manifest,
    signature: j.signature,
    originCertificate: j.originCertificate,
  }));
  const fitting = fittingCount(entries.map((e) => canonicalJson(e).length));
  const jobs = unexported.slice(0, fitting);
  const artifacts = new Map<string, string>();
  for (const job of jobs) for (const file of job.artifactFiles) artifacts.set(file.sha256, file.path);
  const bundleId = randomUUID();
  await sealBundle(
    signer,
    {
      format: 'casebench-submission-bundle/1',
      bundleId,
      createdAt: new Date(now).toISOString(),
      labId: signer.labId,
      stationId: signer.stationId,
      jobs: entries.slice(0, fitting),
    },
    [...artifacts].map(([sha, path]) => ({ sha256: sha, path })),
    outPath,
  );
  const result = { bundleId, jobs: jobs.length, remaining: unexported.length - jobs.length };
  try {
    store.transaction(() => {
      store.markExported(
        jobs.map((j) => j.id),
        now,
      );
      record?.(result);
    });
  } catch (error) {
    await rm(outPath, { force: true }); // the jobs stay queued; no bundle claims them
    throw error;
  }
  return result;
}

/**
 * Imports a submission bundle on a connected station of the same lab: checks the bundle signature, each manifest's
 * signature and origin certificate, and each artifact's size (from the zip directory) and SHA-256 (streamed);
 * stores the artifacts (content-addressed, write-once) under `artifactDir` and queues the jobs under their own
 * idempotency keys, so a second import changes nothing. Nothing is stored or queued unless everything checks:
 * artifacts are staged in temporary files and named only once the last one has been verified. `record` runs in
 * the transaction that queues the jobs.
 */
export async function importSubmissionBundle(
  store: OutboxStore,
  caPem: string,
  labId: string,
  bundlePath: string,
  artifactDir: string,
  now = Date.now(),
  record?: (result: { imported: number; alreadyKnown: number }) => void,
): Promise<{ imported: number; alreadyKnown: number }> {
  const { body, archive } = await openBundle(bundlePath, caPem, labId, submissionBundleSchema, (name) =>
    artifactMember.test(name),
  );
  const staged = new Map<string, string>(); // sha256 → temporary file
  try {
    const needed = new Map<string, number>();
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
        const member = archive.get(`artifacts/${ref.sha256}`);
        if (!member)
          throw new BundleError(
            `submission ${job.manifest.idempotencyKey}: artifact ${ref.sha256} missing from the bundle`,
          );
        // The signed manifest says how large it is: checked against the directory before a byte is read.
        if (member.size !== ref.size)
          throw new BundleError(`artifact ${ref.sha256} in the bundle is not the ${ref.size} bytes its manifest says`);
        needed.set(ref.sha256, ref.size);
      }
    }
    mkdirSync(artifactDir, { recursive: true });
    for (const sha of needed.keys()) {
      const path = join(artifactDir, sha);
      if (existsSync(path)) continue;
      const hash = createHash('sha256');
      const member = archive.get(`artifacts/${sha}`)!;
      let temp: string;
      try {
        temp = await writeTemporaryFile(path, hashing(archive.read(member), hash));
      } catch (error) {
        if (error instanceof ZipFormatError) throw new BundleError(`artifact ${sha}: ${error.message}: bundle damaged`);
        throw error;
      }
      staged.set(sha, temp);
      if (hash.digest('hex') !== sha)
        throw new BundleError(`artifact ${sha} in the bundle does not match its SHA-256: bundle damaged`);
    }
    // Everything checked: only now do the artifacts get their names and the jobs their rows.
    for (const [sha, temp] of staged) {
      try {
        commitNewFile(temp, join(artifactDir, sha));
      } catch (error) {
        if (!(error instanceof FileExistsError)) throw error; // the same bytes arrived meanwhile
      }
      staged.delete(sha);
    }
    return store.transaction(() => {
      let imported = 0;
      for (const job of body.jobs) {
        const inserted = store.insert(
          {
            manifest: job.manifest,
            signature: job.signature,
            originCertificate: job.originCertificate,
            artifactFiles: job.manifest.artifacts.map((ref) => ({
              sha256: ref.sha256,
              size: ref.size,
              path: join(artifactDir, ref.sha256),
            })),
            source: `bundle:${body.bundleId}`,
            now,
          },
          true,
        );
        if (inserted) imported++;
      }
      const result = { imported, alreadyKnown: body.jobs.length - imported };
      record?.(result);
      return result;
    });
  } finally {
    for (const temp of staged.values()) await rm(temp, { force: true });
    await archive.close();
  }
}

async function* hashing(chunks: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>) {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Exports receipts and leads of jobs that came in by bundle (or all delivered ones) for the air-gapped station. */
export async function exportResultsBundle(
  store: OutboxStore,
  signer: StationSigner,
  outPath: string,
  options: { bundleId?: string } = {},
  now = Date.now(),
): Promise<{ results: number }> {
  const delivered = store
    .list({ states: ['committed', 'correlated'], limit: 100_000 })
    .filter((j) => (options.bundleId ? j.source === `bundle:${options.bundleId}` : j.source.startsWith('bundle:')));
  if (delivered.length === 0) throw new BundleError('no delivered submissions from bundles to report');
  // A job correlated before stations kept the hub's signed results goes as committed: its leads cannot be vouched for.
  const results = delivered.map((j: OutboxJob) => ({
    idempotencyKey: j.idempotencyKey,
    receipt: j.receipt!,
    receiptSignature: j.receiptSignature!,
    hubCertificate: j.hubCertificate!,
    results: j.state === 'correlated' ? j.results : null,
  }));
  const fitting = fittingCount(results.map((r) => canonicalJson(r).length));
  // Results are not marked as sent, so they cannot be continued in a next bundle: one bundle per submission bundle.
  if (fitting < results.length)
    throw new BundleError(
      `the results of ${results.length} submissions do not fit in one bundle; export them per submission bundle`,
    );
  await sealBundle(
    signer,
    {
      format: resultsBundleFormat,
      bundleId: randomUUID(),
      createdAt: new Date(now).toISOString(),
      labId: signer.labId,
      results,
    },
    [],
    outPath,
  );
  return { results: results.length };
}

/** The audit record of a refused results bundle (nothing of it applied): which bundle, and why. */
export function resultsRefusal(bundle: string, error: BundleError) {
  return {
    action: 'outbox.importResultsRefused',
    entityType: 'outbox_bundle',
    entityId: bundle,
    after: { refused: error.message.slice(0, 1000) },
  };
}

/** Clock skew tolerated between a hub and this station when checking that a receipt is not from the future. */
const maxClockSkewMs = 10 * 60_000;

/**
 * Applies a results bundle. Each receipt must be signed by the network's hub (not by any certificate the CA
 * issued: a station of the same lab has one too), with a certificate valid when the hub signed, and must describe
 * exactly the local job; leads and notes are taken only from the hub's signed statement about that receipt (checked
 * the same way, with the certificate valid when it was signed). Otherwise nothing of the bundle is applied.
 * `hub.hostname`: the station's hub, when known.
 */
export async function importResultsBundle(
  store: OutboxStore,
  caPem: string,
  labId: string,
  bundlePath: string,
  now = Date.now(),
  hub: { hostname?: string } = {},
  record?: (result: { applied: number; unknown: number }) => void,
): Promise<{ applied: number; unknown: number }> {
  const { body, archive } = await openBundle(bundlePath, caPem, labId, resultsBundleSchema, () => false, {
    'casebench-results-bundle/1':
      'this results bundle was made by an older station and carries leads the hub did not sign: export it again from an updated station',
  });
  await archive.close();
  const checked: { job: OutboxJob; result: (typeof body.results)[number] }[] = [];
  let unknown = 0;
  for (const result of body.results) {
    const job = store.getByKey(result.idempotencyKey);
    if (!job) {
      unknown++;
      continue;
    }
    const key = result.idempotencyKey;
    // A receipt cannot predate the submission it is about (the station dated and signed its manifest), nor leads
    // their receipt: otherwise the key of an expired hub certificate could sign them dated while it was valid.
    const hubKey = hubKeyAt(result.hubCertificate, caPem, result.receipt.committedAt, result.receipt.hubId, now, hub, {
      what: `receipt for ${key}`,
      notBefore: { at: job.manifest.createdAt, what: 'this station made the submission' },
    });
    if (!verifyBytes(hubKey, receiptBytes(result.receipt), result.receiptSignature))
      throw new BundleError(`receipt for ${key}: hub signature does not verify`);
    if (
      result.receipt.idempotencyKey !== job.idempotencyKey ||
      result.receipt.manifestSha256 !== sha256(manifestBytes(job.manifest)) ||
      canonicalJson(result.receipt.artifacts) !== canonicalJson(job.manifest.artifacts.map((a) => a.sha256))
    ) {
      throw new BundleError(`receipt for ${key} describes a different submission`);
    }
    if (result.results) {
      const resultsKey = hubKeyAt(
        result.results.certificate,
        caPem,
        result.results.statement.signedAt,
        result.receipt.hubId,
        now,
        hub,
        { what: `leads for ${key}`, notBefore: { at: result.receipt.committedAt, what: 'the receipt they are about' } },
      );
      const problem = signedResultsProblem(result.results, resultsKey, result.receipt);
      if (problem) throw new BundleError(`leads for ${key}: ${problem}`);
    }
    checked.push({ job, result });
  }
  const outcome = { applied: checked.length, unknown };
  store.transaction(() => {
    for (const { job, result } of checked) {
      if (job.state === 'correlated') {
        // Already correlated: a later statement about the same receipt brings the leads later submissions gave;
        // an older one (or none) never takes the place of what the station holds.
        if (result.results && isLaterStatement(job, result.receipt, result.results))
          store.markCorrelated(job.id, result.results, now);
        continue;
      }
      store.markCommitted(
        job.id,
        result.receipt,
        result.receiptSignature,
        result.hubCertificate,
        result.results,
        now,
        now,
      );
    }
    record?.(outcome);
  });
  return outcome;
}

/** Whether checked results are about the receipt a correlated job holds, and signed after the results it keeps. */
function isLaterStatement(job: OutboxJob, receipt: Receipt, results: StoredResults): boolean {
  if (!job.receipt || canonicalJson(job.receipt) !== canonicalJson(receipt)) return false;
  const kept = job.results ? Date.parse(job.results.statement.signedAt) : -Infinity;
  return Date.parse(results.statement.signedAt) > kept;
}

/**
 * The signing key of a hub certificate, checked to be the named hub's (serverAuth, its hub id, the station's hub
 * name when known), valid at `signedAt`, which may lie neither in the future nor before `notBefore` (what the
 * signature is about came to be then).
 */
function hubKeyAt(
  certificate: string,
  caPem: string,
  signedAt: string,
  hubId: string,
  now: number,
  hub: { hostname?: string },
  { what, notBefore }: { what: string; notBefore: { at: string; what: string } },
) {
  const at = new Date(signedAt);
  if (at.getTime() > now + maxClockSkewMs) throw new BundleError(`${what} is dated in the future (${signedAt})`);
  if (at.getTime() < Date.parse(notBefore.at) - maxClockSkewMs)
    throw new BundleError(`${what} is dated ${signedAt}, before ${notBefore.what} (${notBefore.at})`);
  try {
    return checkHubCertificate(certificate, caPem, { at, hubId, hostname: hub.hostname });
  } catch (error) {
    throw new BundleError(`${what}: ${(error as Error).message}`);
  }
}
