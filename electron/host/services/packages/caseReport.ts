// The case report on its own (casebench report, the case page's Report button): the same record a package would
// carry, made into the same PDF; its footer names the SHA-256 of that record instead of a package.
import type { Db } from '../../storage/database.ts';
import type { ExaminationRecords } from '../../../contract/examination.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { PackagesRepo } from '../../storage/repos/packagesRepo.ts';
import { canonicalJson } from '../../../base/canonicalJson.ts';
import { sha256 } from '../../../network/protocol.ts';
import { collectCase } from './collect.ts';
import { auditExtractFormat } from './format.ts';
import { buildReport, type ReportLanguage } from './report/report.ts';
import { verifyAuditTrail } from '../auditVerification.ts';
import type { ExportDeps } from './exportPackage.ts';

export async function caseReport(
  deps: {
    db: Db;
    audit: AuditRepo;
    evidence: EvidenceStore;
    version: string;
    examinationRecords?: (caseId: number) => ExaminationRecords;
    now?: () => Date;
  },
  caseId: number,
  language: ReportLanguage,
  username: string,
  /** The station's signing identity: the report names its lab and station and is signed (PAdES); null: neither. */
  signer: ExportDeps['signer'] | null,
): Promise<{ bytes: Uint8Array; labCaseNumber: string; recordSha256: string }> {
  const collected = collectCase(deps.db, {
    caseId,
    includePersonalData: true,
    softwareVersion: deps.version,
    examination: deps.examinationRecords && (() => deps.examinationRecords!(caseId)),
  });
  const chain = verifyAuditTrail(deps.db, deps.audit);
  const last = new PackagesRepo(deps.db).lastAudit();
  const recordSha256 = sha256(canonicalJson(collected.record));
  const bytes = await buildReport({
    record: collected.record,
    audit: {
      format: auditExtractFormat,
      chain: '',
      stationChain: { entries: chain.checked, intact: chain.ok, lastHash: last?.hash ?? '0'.repeat(64) },
      checkpoint: deps.audit.latestCheckpoint() ?? null,
      entries: collected.audit,
    },
    language,
    packageId: null,
    contentSha256: recordSha256,
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
    reason: null,
    exportedBy: username,
    station: signer ? { labId: signer.labId, stationId: signer.stationId } : null,
    personalDataIncluded: true,
    evidence: (sha) => deps.evidence.read(sha),
    signer: signer && { chain: [signer.certificate, signer.caCertificate], key: signer.certificateKey },
  });
  return { bytes, labCaseNumber: collected.theCase.labCaseNumber, recordSha256 };
}
