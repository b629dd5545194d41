// Turning an acquisition into an outbox job: build the manifest, sign it with the station key, insert the job.
// Synchronous on purpose: the caller wraps it in the same transaction as the acquisition record and its audit entry
// (the station's store and its records share one database).
import { randomUUID, type KeyObject } from 'node:crypto';
import type { ArtifactFile, OutboxJob, OutboxStore } from './store.ts';
import {
  manifestBytes,
  manifestSchema,
  protocolVersion,
  signBytes,
  loadPrivateKey,
  type ArtifactRef,
  type Manifest,
  type Specimen,
} from '../protocol.ts';
import { checkCertificate, type Credentials } from '../pki.ts';

/** The station's identity as the CA issued it. */
export interface StationSigner {
  labId: string;
  stationId: string;
  certificate: string;
  signingKey: KeyObject;
}

export function stationSigner(credentials: Credentials, caPem: string): StationSigner {
  const identity = checkCertificate(credentials.certificate, caPem);
  return {
    labId: identity.labId,
    stationId: identity.stationId,
    certificate: credentials.certificate,
    signingKey: loadPrivateKey(credentials.signingKey),
  };
}

export interface SubmissionInput {
  caseRef: string;
  itemRef: string;
  specimen: Specimen;
  /** The mark the topography shows (absent: breech face). */
  region?: Manifest['region'];
  artifacts: (ArtifactRef & { path: string })[];
  caseId?: number;
  itemId?: number;
  acquisitionId?: number;
  /** Normally made here; given only when re-creating a job that already has one. */
  idempotencyKey?: string;
  /** The station's latest audit checkpoint, carried to the hub with the submission. */
  auditCheckpoint?: Manifest['auditCheckpoint'];
}

export function buildSignedManifest(
  signer: StationSigner,
  input: SubmissionInput,
  now: number,
): { manifest: Manifest; signature: string } {
  const manifest = manifestSchema.parse({
    protocol: protocolVersion,
    idempotencyKey: input.idempotencyKey ?? randomUUID(),
    lab: { labId: signer.labId, stationId: signer.stationId },
    createdAt: new Date(now).toISOString(),
    caseRef: input.caseRef,
    itemRef: input.itemRef,
    specimen: input.specimen,
    ...(input.region ? { region: input.region } : {}),
    ...(input.auditCheckpoint ? { auditCheckpoint: input.auditCheckpoint } : {}),
    artifacts: input.artifacts.map(({ role, name, mediaType, sha256, size }) => ({
      role,
      name,
      mediaType,
      sha256,
      size,
    })),
  });
  return { manifest, signature: signBytes(signer.signingKey, manifestBytes(manifest)) };
}

export function enqueueSubmission(
  store: OutboxStore,
  signer: StationSigner,
  input: SubmissionInput,
  now = Date.now(),
): OutboxJob {
  const { manifest, signature } = buildSignedManifest(signer, input, now);
  const artifactFiles: ArtifactFile[] = input.artifacts.map((a) => ({ sha256: a.sha256, size: a.size, path: a.path }));
  return store.insert({
    manifest,
    signature,
    originCertificate: signer.certificate,
    artifactFiles,
    caseId: input.caseId,
    itemId: input.itemId,
    acquisitionId: input.acquisitionId,
    now,
  })!;
}
