// Verifying a case package without trusting its sender: the zip's structure (base/zip/reader.ts), then the manifest and its
// signature against the receiver's trusted CA, then the member set (nothing missing, nothing extra), then every
// member's size and SHA-256 streamed in slices, then the audit extract's entry hashes. The first problem found is
// named; memory stays bounded whatever the package size.
import { createHash } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { entryHash } from '../../storage/repos/auditRepo.ts';
import { canonicalJson } from '../../../base/canonicalJson.ts';
import { sha256, verifyBytes } from '../../../network/protocol.ts';
import { checkCertificate } from '../../../network/pki.ts';
import {
  auditExtractSchema,
  auditPath,
  caseRecordSchema,
  contentMembers,
  manifestPath,
  manifestSchema,
  maxManifestBytes,
  maxRecordBytes,
  maxSignatureBytes,
  recordPath,
  reportPath,
  signaturePath,
  signatureSchema,
  type AuditExtract,
  type CaseRecord,
  type PackageManifest,
} from './format.ts';
import {
  openZip,
  ZipFormatError,
  type ZipArchive,
  type ZipMember,
  type ZipReadLimits,
} from '../../../base/zip/reader.ts';
import type { Progress } from './exportPackage.ts';
import type { auditEntryFaults, PackageProblemCode, PackageProblemDetail } from '../../../contract/packages.ts';
import { isUnsafeZipName } from '../../../base/zip/names.ts';
import { checkPdfSignature } from './report/pdfSignature.ts';

/** What a case package's zip may hold (a large case: many big scans, but nothing a compressor could fake). */
export const packageZipLimits: ZipReadLimits = {
  maxMembers: 200_000,
  maxDirectoryBytes: 64 * 1024 * 1024,
  maxMemberBytes: 8 * 1024 ** 3,
  maxTotalBytes: 256 * 1024 ** 3,
  maxDeflateRatio: 100,
};

export const problemKinds = [
  'unreadable', // not a zip, truncated, zip slip, symlink, zip bomb, duplicate names …
  'manifest', // manifest missing, malformed, or inconsistent
  'listed_twice',
  'signature', // the signature does not verify
  'untrusted', // signed, but not by a station the receiver's CA vouches for
  'missing',
  'extra',
  'altered',
  'audit', // an audit extract entry does not hash to itself
] as const;
export type ProblemKind = (typeof problemKinds)[number];

export interface VerifyProblem {
  kind: ProblemKind;
  member: string | null;
  message: string;
  /** What it is as a code with values (contract packageProblemCodes), for the screen's words. */
  detail: PackageProblemDetail;
  auditEntry?: { seq: number; fault: (typeof auditEntryFaults)[number]; previous?: number };
}

export interface PackageSigner {
  labId: string;
  stationId: string;
  subject: string;
  issuer: string;
  certificateSha256: string;
}

export interface VerifyResult {
  ok: boolean;
  problem: VerifyProblem | null;
  manifest: PackageManifest | null;
  manifestSha256: string | null;
  signer: PackageSigner | null;
  packageSha256: string;
  size: number;
  membersChecked: number;
  bytesChecked: number;
  audit: { entries: number; verified: number; withheld: number } | null;
  /** report.pdf's own signature (PAdES): by the package's station, absent, or too large to read here. */
  reportSignature: ReportSignature | null;
  tookMs: number;
}

export interface ReportSignature {
  state: 'signed' | 'unsigned' | 'unchecked';
  signer: { labId: string; stationId: string } | null;
  signedAt: string | null;
}

/** A report larger than this is left unchecked (its bytes are covered by the manifest all the same). */
const maxReportCheckBytes = 256 * 1024 * 1024;

/**
 * The report inside travels on its own later (to a court): when it is signed, its signature must verify and be
 * the package's station's. An unsigned report (a package from before reports were signed) is said, not refused.
 */
async function checkReportSignature(
  archive: ZipArchive,
  trustedCas: string[],
  packageSigner: PackageSigner | null,
): Promise<ReportSignature | null> {
  const member = archive.get(reportPath);
  if (!member) return null;
  if (member.size > maxReportCheckBytes) return { state: 'unchecked', signer: null, signedAt: null };
  const check = checkPdfSignature(await archive.readAll(member, maxReportCheckBytes), trustedCas);
  if (!check.signed) return { state: 'unsigned', signer: null, signedAt: null };
  if (!check.ok)
    throw new Problem(
      'signature',
      `report.pdf's own signature is bad: ${check.problem}`,
      reportPath,
      said('report_signature_bad'),
    );
  if (
    packageSigner &&
    (check.signer!.labId !== packageSigner.labId || check.signer!.stationId !== packageSigner.stationId)
  )
    throw new Problem(
      'signature',
      `report.pdf is signed by ${check.signer!.labId}/${check.signer!.stationId}, not by the package's station ${packageSigner.labId}/${packageSigner.stationId}`,
      reportPath,
      said('report_other_station', {
        signer: `${check.signer!.labId} / ${check.signer!.stationId}`,
        station: `${packageSigner.labId} / ${packageSigner.stationId}`,
      }),
    );
  return { state: 'signed', signer: check.signer, signedAt: check.signedAt };
}

export interface VerifyOptions {
  /** CA certificates (PEM) the receiver trusts: its network CA, or one named by hand. */
  trustedCas: string[];
  signal?: AbortSignal;
  progress?: Progress;
}

/** What a verified package holds, for import: kept open so members can be streamed from it. */
export interface VerifiedPackage extends VerifyResult {
  archive: ZipArchive | null;
  record: CaseRecord | null;
  audit: VerifyResult['audit'];
  auditExtract: AuditExtract | null;
  signatureBytes: Buffer | null;
  manifestBytes: Buffer | null;
}

/** A problem found: its kind, its English (CLI, logs), the member concerned, and what it is as a code with values. */
class Problem extends Error {
  readonly problem: VerifyProblem;
  constructor(
    kind: ProblemKind,
    message: string,
    member: string | null,
    detail: PackageProblemDetail,
    auditEntry?: VerifyProblem['auditEntry'],
  ) {
    super(message);
    this.problem = { kind, member, message, detail, ...(auditEntry ? { auditEntry } : {}) };
  }
}

const said = (code: PackageProblemCode, values?: PackageProblemDetail['values']): PackageProblemDetail =>
  values ? { code, values } : { code };

function parseJson(bytes: Buffer, what: string, kind: ProblemKind): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Problem(kind, `${what} is not JSON`, what, said('not_json'));
  }
}

function zodMessage(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`)
    .join('; ');
}

export function checkSigner(
  chain: string[],
  trustedCas: string[],
  at: Date,
): PackageSigner & { key: ReturnType<typeof checkCertificate>['signingKey'] } {
  let station: X509Certificate;
  try {
    station = new X509Certificate(chain[0]);
  } catch {
    throw new Problem(
      'untrusted',
      'the signing certificate is not a readable X.509 certificate',
      signaturePath,
      said('certificate_unreadable'),
    );
  }
  const describe = `${station.subject.replace(/\n/g, ', ')}`;
  if (trustedCas.length === 0)
    throw new Problem(
      'untrusted',
      `signed by ${describe}, but this station trusts no certificate authority (no network CA configured; name one with --ca)`,
      signaturePath,
      said('no_trusted_ca', { signer: describe }),
    );
  let lastError = '';
  for (const ca of trustedCas) {
    try {
      const identity = checkCertificate(chain[0], ca, at);
      return {
        labId: identity.labId,
        stationId: identity.stationId,
        subject: describe,
        issuer: station.issuer.replace(/\n/g, ', '),
        certificateSha256: sha256(station.raw),
        key: identity.signingKey,
      };
    } catch (error) {
      lastError = (error as Error).message;
    }
  }
  throw new Problem(
    'untrusted',
    `signed by ${describe} under ${station.issuer.replace(/\n/g, ', ')}: not vouched for by a CA this station trusts (${lastError})`,
    signaturePath,
    said('not_vouched', { signer: describe, issuer: station.issuer.replace(/\n/g, ', ') }),
  );
}

/** Checks each audit extract entry's hash and the links between consecutive entries. */
export function checkAuditExtract(extract: AuditExtract): { entries: number; verified: number; withheld: number } {
  let verified = 0;
  let withheld = 0;
  let previous: AuditExtract['entries'][number] | undefined;
  for (const e of extract.entries) {
    if (previous && e.seq <= previous.seq)
      throw new Problem('audit', `audit extract entry ${e.seq} is out of order`, auditPath, said('audit_entry'), {
        seq: e.seq,
        fault: 'out_of_order',
      });
    if (previous && e.seq === previous.seq + 1 && e.prevHash !== previous.hash)
      throw new Problem(
        'audit',
        `audit extract entry ${e.seq} does not link to entry ${previous.seq}`,
        auditPath,
        said('audit_entry'),
        {
          seq: e.seq,
          fault: 'unlinked',
          previous: previous.seq,
        },
      );
    if (e.withheld) withheld++;
    else {
      const hash = entryHash(e.prevHash, {
        seq: e.seq,
        at: e.at,
        user_id: e.userId,
        username: e.username,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        case_id: e.caseId,
        before_json: e.beforeJson,
        after_json: e.afterJson,
        reason: e.reason,
      });
      if (hash !== e.hash)
        throw new Problem(
          'audit',
          `audit extract entry ${e.seq} does not match its hash (altered)`,
          auditPath,
          said('audit_entry'),
          {
            seq: e.seq,
            fault: 'altered',
          },
        );
      verified++;
    }
    previous = e;
  }
  // The checkpoint names one entry of the station's chain by seq and hash: when the extract holds that entry,
  // the two must agree (an extract and a checkpoint from different chains, or one of them changed).
  const checkpoint = extract.checkpoint;
  const named = checkpoint && extract.entries.find((e) => e.seq === checkpoint.seq);
  if (checkpoint && named && named.hash !== checkpoint.hash)
    throw new Problem(
      'audit',
      `the audit checkpoint names entry ${checkpoint.seq} with another hash than the extract's entry ${checkpoint.seq}`,
      auditPath,
      said('audit_entry'),
      { seq: checkpoint.seq, fault: 'checkpoint_differs' },
    );
  return { entries: extract.entries.length, verified, withheld };
}

/**
 * The case record must hang together, as an import will rely on: exhibit numbers unique, every acquisition of an
 * item the record holds, a test fire's firearm an item of the record, and every file the record names a member of
 * the package with that hash (so nothing the record points at is missing or different).
 */
export function checkRecordConsistency(record: CaseRecord, manifest: PackageManifest): void {
  const refuse = (message: string, detail: PackageProblemDetail) => {
    throw new Problem('manifest', `case/record.json is inconsistent: ${message}`, recordPath, detail);
  };
  // An acquisition by what the lab knows it by (its exhibit and region), not the sending station's internal id.
  const named = (a: CaseRecord['acquisitions'][number]) => ({ exhibit: a.exhibitNumber, region: a.region });
  const items = new Map<string, CaseRecord['items'][number]>();
  for (const item of record.items) {
    if (items.has(item.exhibitNumber))
      refuse(`exhibit ${item.exhibitNumber} is listed twice`, said('exhibit_twice', { exhibit: item.exhibitNumber }));
    items.set(item.exhibitNumber, item);
  }
  for (const item of record.items)
    if (item.firearmExhibit !== null && items.get(item.firearmExhibit)?.kind !== 'firearm')
      refuse(
        `test fire ${item.exhibitNumber} names firearm ${item.firearmExhibit}, which the record does not hold`,
        said('firearm_missing', { exhibit: item.exhibitNumber, firearm: item.firearmExhibit }),
      );
  const members = new Map(manifest.members.map((m) => [m.path, m]));
  const isMember = (path: string, sha: string) => members.get(path)?.sha256 === sha;
  const acquisitionIds = new Set<number>();
  for (const a of record.acquisitions) {
    if (acquisitionIds.has(a.originId))
      refuse(`acquisition ${a.originId} is listed twice`, said('acquisition_twice', named(a)));
    acquisitionIds.add(a.originId);
    if (!items.has(a.exhibitNumber))
      refuse(
        `acquisition ${a.originId} names exhibit ${a.exhibitNumber}, which it lacks`,
        said('exhibit_missing', named(a)),
      );
    for (const f of a.files)
      if (!isMember(f.path, f.sha256))
        refuse(
          `file ${f.path} of acquisition ${a.originId} is not in the package`,
          said('acquisition_file_missing', { ...named(a), file: f.path }),
        );
    if (a.topographySha256 && !a.files.some((f) => f.sha256 === a.topographySha256))
      refuse(
        `the topography of acquisition ${a.originId} is not among its files`,
        said('topography_not_listed', named(a)),
      );
    if (a.openFmcX3p && !isMember(a.openFmcX3p.path, a.openFmcX3p.sha256))
      refuse(`the Open-FMC copy of acquisition ${a.originId} is not in the package`, said('openfmc_missing', named(a)));
  }
  for (const c of record.calibrations)
    if (c.report && !isMember(c.report.path, c.report.sha256))
      refuse(
        `the report of calibration ${c.reference ?? c.originId} is not in the package`,
        said('calibration_report_missing', { calibration: c.reference ?? c.performedAt }),
      );
  const shas = new Set(manifest.members.map((m) => m.sha256));
  for (const snap of record.examination?.snapshots ?? [])
    if (!shas.has(snap.sha256)) refuse(`snapshot ${snap.id} is not in the package`, said('snapshot_missing'));
}

async function hashMember(
  archive: ZipArchive,
  member: ZipMember,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
  onRaw: (raw: Uint8Array) => void,
) {
  const hash = createHash('sha256');
  for await (const chunk of archive.read(member, signal, onRaw)) {
    hash.update(chunk);
    onBytes(chunk.byteLength);
  }
  return hash.digest('hex');
}

/** Verifies a package; with `keepOpen` the archive stays open for import (the caller closes it). */
export async function verifyPackage(
  path: string,
  options: VerifyOptions & { keepOpen?: boolean },
): Promise<VerifiedPackage> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const result: VerifiedPackage = {
    ok: false,
    problem: null,
    manifest: null,
    manifestSha256: null,
    signer: null,
    packageSha256: '',
    size: 0,
    membersChecked: 0,
    bytesChecked: 0,
    audit: null,
    reportSignature: null,
    tookMs: 0,
    archive: null,
    record: null,
    auditExtract: null,
    signatureBytes: null,
    manifestBytes: null,
  };
  let archive: ZipArchive | null = null;
  try {
    progress(0, { step: 'archive' });
    try {
      archive = await openZip(path, packageZipLimits);
    } catch (error) {
      if (error instanceof ZipFormatError)
        throw new Problem('unreadable', error.message, error.member ?? null, said('zip_unsafe'));
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Problem('unreadable', `no file at ${path}`, null, said('no_file'));
      if ((error as NodeJS.ErrnoException).code === 'EISDIR')
        throw new Problem('unreadable', `${path} is a folder, not a package file`, null, said('is_folder'));
      throw error;
    }
    result.size = archive.fileSize;
    const manifestMember = archive.get(manifestPath);
    if (!manifestMember)
      throw new Problem('manifest', 'the package has no manifest.json', manifestPath, said('no_manifest'));
    const signatureMember = archive.get(signaturePath);
    if (!signatureMember)
      throw new Problem(
        'signature',
        'the package has no signature (manifest.sig)',
        signaturePath,
        said('no_signature'),
      );
    const readSmall = async (name: string, max: number, kind: ProblemKind) => {
      try {
        return await archive!.readAll(archive!.get(name)!, max);
      } catch (error) {
        if (error instanceof ZipFormatError) throw new Problem(kind, error.message, name, said('zip_unsafe'));
        throw error;
      }
    };
    const manifestBytes = await readSmall(manifestPath, maxManifestBytes, 'manifest');
    const signatureBytes = await readSmall(signaturePath, maxSignatureBytes, 'signature');
    result.manifestBytes = manifestBytes;
    result.signatureBytes = signatureBytes;
    result.manifestSha256 = sha256(manifestBytes);
    const rawManifest = parseJson(manifestBytes, manifestPath, 'manifest');
    const parsedManifest = manifestSchema.safeParse(rawManifest);
    if (!parsedManifest.success)
      throw new Problem(
        'manifest',
        `manifest.json does not follow the package format: ${zodMessage(parsedManifest.error)}`,
        manifestPath,
        said('manifest_format'),
      );
    const manifest = parsedManifest.data;
    const listed = new Set<string>();
    for (const m of manifest.members) {
      if (listed.has(m.path))
        throw new Problem('listed_twice', `the manifest lists member "${m.path}" twice`, m.path, said('listed_twice'));
      if (m.path === manifestPath || m.path === signaturePath || isUnsafeZipName(m.path))
        throw new Problem(
          'manifest',
          `the manifest lists a member it may not: "${m.path}"`,
          m.path,
          said('member_forbidden'),
        );
      listed.add(m.path);
    }

    progress(0.02, { step: 'signature' });
    const parsedSignature = signatureSchema.safeParse(parseJson(signatureBytes, signaturePath, 'signature'));
    if (!parsedSignature.success)
      throw new Problem(
        'signature',
        `manifest.sig is malformed: ${zodMessage(parsedSignature.error)}`,
        signaturePath,
        said('signature_malformed'),
      );
    const { key, ...signer } = checkSigner(
      parsedSignature.data.certificateChain,
      options.trustedCas,
      new Date(manifest.createdAt),
    );
    if (!verifyBytes(key, manifestBytes, parsedSignature.data.signature))
      throw new Problem(
        'signature',
        `the signature over manifest.json does not verify: the manifest was altered or not signed by ${signer.subject}`,
        signaturePath,
        said('signature_bad', { signer: signer.subject }),
      );
    if (signer.labId !== manifest.station.labId || signer.stationId !== manifest.station.stationId)
      throw new Problem(
        'signature',
        `the manifest names station ${manifest.station.labId}/${manifest.station.stationId} but was signed by ${signer.labId}/${signer.stationId}`,
        signaturePath,
        said('station_mismatch', {
          station: `${manifest.station.labId} / ${manifest.station.stationId}`,
          signer: `${signer.labId} / ${signer.stationId}`,
        }),
      );
    result.signer = signer;
    result.manifest = manifest;
    if (sha256(canonicalJson(contentMembers(manifest.members))) !== manifest.contentSha256)
      throw new Problem(
        'manifest',
        'the manifest content hash does not match its members',
        manifestPath,
        said('content_hash'),
      );

    for (const m of archive.members)
      if (m.name !== manifestPath && m.name !== signaturePath && !listed.has(m.name))
        throw new Problem(
          'extra',
          `member "${m.name}" is in the package but not in the signed manifest`,
          m.name,
          said('extra_member'),
        );
    for (const m of manifest.members) {
      const member = archive.get(m.path);
      if (!member)
        throw new Problem(
          'missing',
          `member "${m.path}" listed in the manifest is missing`,
          m.path,
          said('missing_member'),
        );
      if (member.size !== m.size)
        throw new Problem(
          'altered',
          `member "${m.path}" is ${member.size} bytes, the manifest says ${m.size} (altered)`,
          m.path,
          said('size_differs', { size: member.size, expected: m.size }),
        );
    }

    // One pass over the file in its own order: every member's SHA-256 against the manifest, and the SHA-256 of
    // the whole file (what the receiver records) from the same reads — headers and directory included.
    const total = manifest.members.reduce((n, m) => n + m.size, 0) || 1;
    const whole = createHash('sha256');
    let position = 0;
    const upTo = async (offset: number) => {
      for await (const slice of archive!.readRange(position, offset, options.signal)) whole.update(slice);
      position = offset;
    };
    const inFileOrder = manifest.members
      .map((m) => ({ m, member: archive!.get(m.path)! }))
      .sort((x, y) => x.member.dataStart - y.member.dataStart);
    for (const { m, member } of inFileOrder) {
      options.signal?.throwIfAborted();
      let hash: string;
      try {
        await upTo(member.dataStart);
        hash = await hashMember(
          archive,
          member,
          options.signal,
          (n) => {
            result.bytesChecked += n;
            if (result.bytesChecked % (64 * 1024 * 1024) < n)
              progress(0.03 + 0.9 * (result.bytesChecked / total), {
                step: 'members',
                done: result.bytesChecked,
                total,
              });
          },
          (raw) => whole.update(raw),
        );
        position = member.dataStart + member.compressedSize;
      } catch (error) {
        if (error instanceof ZipFormatError) throw new Problem('altered', error.message, m.path, said('zip_unsafe'));
        throw error;
      }
      if (hash !== m.sha256)
        throw new Problem(
          'altered',
          `member "${m.path}" does not match its SHA-256 in the manifest (altered)`,
          m.path,
          said('hash_differs'),
        );
      result.membersChecked++;
    }
    try {
      await upTo(archive.fileSize);
    } catch (error) {
      if (error instanceof ZipFormatError) throw new Problem('unreadable', error.message, null, said('zip_unsafe'));
      throw error;
    }
    const packageSha256 = whole.digest('hex');

    progress(0.94, { step: 'contents' });
    const recordMember = archive.get(recordPath);
    const auditMember = archive.get(auditPath);
    if (!recordMember || !auditMember)
      throw new Problem('manifest', 'the package lacks case/record.json or case/audit.json', null, said('no_record'));
    const parsedRecord = caseRecordSchema.safeParse(
      parseJson(await archive.readAll(recordMember, maxRecordBytes), recordPath, 'manifest'),
    );
    if (!parsedRecord.success)
      throw new Problem(
        'manifest',
        `case/record.json does not follow the record format: ${zodMessage(parsedRecord.error)}`,
        recordPath,
        said('record_format'),
      );
    const parsedAudit = auditExtractSchema.safeParse(
      parseJson(await archive.readAll(auditMember, maxRecordBytes), auditPath, 'audit'),
    );
    if (!parsedAudit.success)
      throw new Problem(
        'audit',
        `case/audit.json does not follow the audit extract format: ${zodMessage(parsedAudit.error)}`,
        auditPath,
        said('audit_format'),
      );
    checkRecordConsistency(parsedRecord.data, manifest);
    result.record = parsedRecord.data;
    result.auditExtract = parsedAudit.data;
    result.audit = checkAuditExtract(parsedAudit.data);
    result.reportSignature = await checkReportSignature(archive, options.trustedCas, result.signer);
    result.packageSha256 = packageSha256;
    result.ok = true;
    progress(1, { step: 'done' });
  } catch (error) {
    if (!(error instanceof Problem)) {
      await archive?.close();
      throw error;
    }
    result.problem = error.problem;
  }
  result.tookMs = performance.now() - started;
  if (options.keepOpen && result.ok) result.archive = archive;
  else await archive?.close();
  return result;
}
