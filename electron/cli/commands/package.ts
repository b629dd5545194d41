// casebench package export|verify|import and casebench report: signed case packages and the PDF report.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { createHost, packageVersion, type Host } from '../../host/createHost.ts';
import { UsersRepo } from '../../host/storage/repos/usersRepo.ts';
import { CasesRepo } from '../../host/storage/repos/casesRepo.ts';
import { exportPackage } from '../../host/services/packages/exportPackage.ts';
import { importPackage, PackageRefused } from '../../host/services/packages/importPackage.ts';
import { verifyPackage, type VerifyResult } from '../../host/services/packages/verifyPackage.ts';
import { caseReport } from '../../host/services/packages/caseReport.ts';
import {
  examinationRecordsFor,
  loadSigner,
  trustedCas,
  tryStationSigner,
} from '../../host/services/packages/packagesService.ts';
import { reportLanguages, type ReportLanguage } from '../../host/services/packages/report/strings.ts';
import { acquisitionCliError, operatorFor, operatorHelp } from './acquisitionCli.ts';
import { packageStepText, progressLines } from '../progressText.ts';

function openHost(values: { 'data-dir'?: string; db?: string }): Host {
  return createHost({ ...stationConfig(values), log: () => {} });
}

function caseIdOf(host: Host, labCaseNumber: string): number {
  const found = new CasesRepo(host.db).byLabCaseNumber(labCaseNumber);
  if (!found)
    throw Object.assign(new Error(`no case ${labCaseNumber} on this station`), { exitCode: ExitCode.badInput });
  return found.id;
}

function language(value: string | undefined): ReportLanguage {
  if (value === undefined) return 'en';
  if (!(reportLanguages as readonly string[]).includes(value))
    throw new UsageError(`--lang must be one of ${reportLanguages.join(', ')}`);
  return value as ReportLanguage;
}

export const packageExportCommand: Command = {
  name: ['package', 'export'],
  summary: 'write a signed case package (zip) of a case or some of its items',
  help: `Usage: casebench package export --case LABREF --out FILE --reason TEXT [--items K1,Q1] [options]

Writes one zip another lab can verify without trusting this station: manifest.json (every member with its
SHA-256 and size), manifest.sig (Ed25519 by this station's key, with its certificate chain), the case record,
the original X3P and images, calibration records, the case's audit entries with their chain hashes, case.jsonld
(CASE/UCO) and report.pdf. The export is audited. FILE must not exist: nothing is ever replaced.

Options:
  --case LABREF         the lab case number
  --out FILE            where to write the package
  --reason TEXT         why the package is exported (required; kept in the manifest and the audit trail)
  --items K1,Q1         only these exhibits (default: the whole case)
  --personal-data       include personal data (offence, notes, descriptions, recovery place, names); left out by default
  --lang en|fr|es|ar    language of report.pdf (default en)
  --json                print the result as JSON
${operatorHelp}
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values } = parseCommandArgs(argv, {
      ...stationOptions,
      case: { type: 'string' },
      out: { type: 'string' },
      reason: { type: 'string' },
      items: { type: 'string' },
      'personal-data': { type: 'boolean' },
      lang: { type: 'string' },
      operator: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.case) throw new UsageError('give the case with --case LABREF');
    if (!values.out) throw new UsageError('give the package file with --out FILE');
    if (!values.reason?.trim()) throw new UsageError('say why with --reason TEXT');
    const lang = language(values.lang);
    const host = openHost(values);
    try {
      const operator = operatorFor(host, values.operator, 'export.create');
      const user = new UsersRepo(host.db).byId(operator.userId)!;
      const result = await exportPackage(
        {
          db: host.db,
          audit: host.audit,
          evidence: host.evidence,
          signer: loadSigner(host.config.dataDir),
          version: packageVersion(),
          examinationRecords: examinationRecordsFor(host.examination, user),
        },
        { ...operator, displayName: user.displayName, role: user.role },
        {
          caseId: caseIdOf(host, values.case),
          items: values.items
            ? values.items
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : undefined,
          reason: values.reason,
          includePersonalData: values['personal-data'] ?? false,
          outPath: resolve(values.out),
          language: lang,
        },
        { signal, progress: progressLines(stderr, packageStepText) },
      );
      if (values.json) stdout.write(`${JSON.stringify(result)}\n`);
      else
        stdout.write(
          `package ${result.packageId} written to ${result.path}\n${result.members} members, ${result.size} bytes, items ${result.items.join(', ')}\nSHA-256 ${result.packageSha256}\n`,
        );
      return ExitCode.ok;
    } catch (error) {
      throw acquisitionCliError(error);
    } finally {
      await host.close();
    }
  },
};

export const packageVerifyCommand: Command = {
  name: ['package', 'verify'],
  summary: 'check a case package: every member, the manifest and the signature',
  help: `Usage: casebench package verify FILE [--ca CA.crt] [--json] [options]

Checks the archive (no unsafe paths, links, duplicates or zip bombs), the manifest's Ed25519 signature and the
signer's certificate against a CA this station trusts (<data-dir>/network/ca.crt and any --ca), that no member is
missing or extra, each member's size and SHA-256, the hashes of the audit extract's entries, and the report's
own PAdES signature when it has one (it must verify and be the same station's).
Exit 0 when everything checks out; 1 naming the first altered, missing or extra member, or the bad or untrusted
signature. Nothing is written.

Options:
  --ca FILE         also trust this CA certificate (PEM), e.g. the sending network's
  --json            print the result as JSON
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...stationOptions,
      ca: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give one package FILE');
    const { dataDir } = stationConfig(values);
    const extra = (values.ca ?? []).map((p) => readFileSync(resolve(p), 'utf8'));
    const result = await verifyPackage(resolve(positionals[0]), {
      trustedCas: trustedCas(dataDir, extra),
      signal,
      progress: progressLines(stderr, packageStepText),
    });
    const { archive: _a, record: _r, auditExtract: _x, signatureBytes: _s, manifestBytes: _m, ...summary } = result;
    if (values.json) stdout.write(`${JSON.stringify(summary)}\n`);
    else if (result.ok)
      stdout.write(
        `package OK: ${result.membersChecked} members (${result.bytesChecked} bytes) match the manifest signed by ${result.signer!.subject}\ncase ${result.manifest!.case.labCaseNumber}, exported ${result.manifest!.createdAt} by ${result.manifest!.exportedBy.username}: ${result.manifest!.reason}\naudit extract: ${result.audit!.verified} entries verified, ${result.audit!.withheld} withheld\n${reportLine(result.reportSignature)}`,
      );
    else
      stdout.write(
        `PACKAGE REFUSED (${result.problem!.kind}${result.problem!.member ? `: ${result.problem!.member}` : ''}): ${result.problem!.message}\n`,
      );
    return result.ok ? ExitCode.ok : ExitCode.failed;
  },
};

function reportLine(signature: VerifyResult['reportSignature']): string {
  if (!signature) return '';
  if (signature.state === 'signed')
    return `report.pdf: signed (PAdES) by ${signature.signer!.labId}/${signature.signer!.stationId}, signature checked\n`;
  return `report.pdf: ${signature.state === 'unsigned' ? 'not signed' : 'too large to check its signature'}\n`;
}

export const packageImportCommand: Command = {
  name: ['package', 'import'],
  summary: 'verify a case package, then import it as a case with its provenance',
  help: `Usage: casebench package import FILE [--ca CA.crt] [--json] [options]

Verifies the package first (as "package verify") and writes nothing if anything fails. Imported records keep
their provenance (origin lab and station, package hash); the sender's manifest, signature, case record and audit
extract are kept read-only beside this station's own audit entry for the import. Importing the same package
again is recognised and adds nothing. Exit 0 imported (or already imported), 1 refused.

Options:
  --ca FILE         also trust this CA certificate (PEM)
  --json            print the result as JSON
${operatorHelp}
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...stationOptions,
      ca: { type: 'string', multiple: true },
      operator: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give one package FILE');
    const host = openHost(values);
    try {
      const operator = operatorFor(host, values.operator, 'package.import');
      const extra = (values.ca ?? []).map((p) => readFileSync(resolve(p), 'utf8'));
      const result = await importPackage(
        { db: host.db, audit: host.audit, evidence: host.evidence, trustedCas: trustedCas(host.config.dataDir, extra) },
        operator,
        resolve(positionals[0]),
        { signal, progress: progressLines(stderr, packageStepText) },
      );
      if (values.json) stdout.write(`${JSON.stringify({ ...result, verification: undefined })}\n`);
      else if (result.alreadyImported)
        stdout.write(
          `package ${result.packageId} was already imported as case ${result.labCaseNumber}; nothing added\n`,
        );
      else
        stdout.write(
          `imported package ${result.packageId} as case ${result.labCaseNumber}: ${result.items} items, ${result.acquisitions} acquisitions\n`,
        );
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof PackageRefused) {
        stdout.write(`PACKAGE REFUSED: ${error.verification.problem!.message}; nothing was imported\n`);
        return ExitCode.failed;
      }
      throw acquisitionCliError(error);
    } finally {
      await host.close();
    }
  },
};

export const reportCommand: Command = {
  name: ['report'],
  summary: 'write the PDF report of a case',
  help: `Usage: casebench report --case LABREF --out FILE.pdf [--lang en|fr|es|ar] [options]

The case report a lab files and sends to court: case and items, chain of custody, acquisitions with the
calibration state at capture, algorithm version and parameters, comparisons, the audit extract summary; page
numbers and a footer with the SHA-256 of the case record. Signed (PAdES) with the station certificate when the
station has its network credentials (<data-dir>/network). FILE must not exist.

Options:
  --case LABREF         the lab case number
  --out FILE.pdf        where to write the report
  --lang en|fr|es|ar    language (default en)
${operatorHelp}
${stationOptionsHelp}`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, {
      ...stationOptions,
      case: { type: 'string' },
      out: { type: 'string' },
      lang: { type: 'string' },
      operator: { type: 'string' },
    });
    if (!values.case) throw new UsageError('give the case with --case LABREF');
    if (!values.out) throw new UsageError('give the report file with --out FILE.pdf');
    const lang = language(values.lang);
    const host = openHost(values);
    try {
      const operator = operatorFor(host, values.operator, 'export.create');
      const user = new UsersRepo(host.db).byId(operator.userId)!;
      const report = await caseReport(
        {
          db: host.db,
          audit: host.audit,
          evidence: host.evidence,
          version: packageVersion(),
          examinationRecords: examinationRecordsFor(host.examination, user),
        },
        caseIdOf(host, values.case),
        lang,
        operator.username,
        tryStationSigner(host.config.dataDir),
      );
      try {
        await writeFile(resolve(values.out), report.bytes, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw Object.assign(new Error(`${values.out} exists; nothing was replaced`), { exitCode: ExitCode.badInput });
        throw error;
      }
      stdout.write(
        `report of ${report.labCaseNumber} written to ${resolve(values.out)} (${report.bytes.length} bytes)\n`,
      );
      return ExitCode.ok;
    } catch (error) {
      throw acquisitionCliError(error);
    } finally {
      await host.close();
    }
  },
};
