// report.pdf: the case as a lab files it and sends it to court, made from the same case record the package
// carries (so the report and the package cannot disagree), in the language of the person who asked for it.
import type { KeyObject } from 'node:crypto';
import type { AuditExtract, CaseRecord } from '../format.ts';
import { PdfLayout } from './pdfLayout.ts';
import { reportStrings, reportText, type ReportLanguage } from './strings.ts';
import { examinationSection } from './examinationSection.ts';
import { reportReferences, shortTime } from './references.ts';
import { stationWords } from '../../../../contract/words/index.ts';
import type { CalibrationKind } from '../../../../contract/acquisitions.ts';
import { calibrationFindings } from './calibrationFindings.ts';

export type { ReportLanguage } from './strings.ts';
export { reportLanguages } from './strings.ts';

export interface ReportInput {
  record: CaseRecord;
  audit: AuditExtract;
  language: ReportLanguage;
  /** In a package: its id and content hash (the footer prints them). Standalone: null, the record hash is printed. */
  packageId: string | null;
  contentSha256: string;
  createdAt: string;
  reason: string | null;
  exportedBy: string;
  /** The station's network identity; null on a station that has none (the report says so). */
  station: { labId: string; stationId: string } | null;
  personalDataIncluded: boolean;
  /** The station certificate's key and chain: the PDF is signed (PAdES B-B) when given. */
  signer?: { chain: string[]; key: KeyObject } | null;
  /** Reads an evidence file the record names (snapshots, A's topography for the CMC overlay); null when absent. */
  evidence?: (sha256: string) => Promise<Uint8Array | null>;
}

export async function buildReport(input: ReportInput): Promise<Uint8Array> {
  const { record, audit, language } = input;
  const s = reportStrings[language];
  const words = stationWords[language];
  const t = (key: Parameters<typeof reportText>[1], values?: Record<string, string | number>) =>
    reportText(language, key, values);
  const refs = reportReferences(record, audit.entries, language);
  /** A value, or the plain "not recorded" where the record holds none (never a dash a reader must interpret). */
  const calibrationKindWords = (kind: string) =>
    (Object.hasOwn(words.calibrationKind, kind) && words.calibrationKind[kind as CalibrationKind]) || kind;
  const shown = (v: string | number | null | undefined) =>
    v === null || v === undefined || v === '' ? s.notRecorded : String(v);
  const acquisitionNamed = (id: number | undefined) =>
    id === undefined ? s.notRecorded : (refs.acquisition(id) ?? s.otherAcquisition);
  const layout = await PdfLayout.create({
    rtl: language === 'ar',
    title: `${s.title} ${record.case.labCaseNumber}`,
    language,
    createdAt: new Date(input.createdAt),
  });

  layout.paragraph(`${s.title} ${record.case.labCaseNumber}`, { size: 18, bold: true });
  layout.paragraph(s.subtitle, { size: 11, colour: [0.3, 0.3, 0.3] });
  layout.space(6);
  layout.paragraph(
    input.station
      ? t('generated', {
          at: shortTime(input.createdAt),
          user: input.exportedBy,
          lab: input.station.labId,
          station: input.station.stationId,
        })
      : t('generatedNoStation', { at: shortTime(input.createdAt), user: input.exportedBy }),
  );
  if (input.reason) layout.paragraph(t('reason', { reason: input.reason }));
  layout.paragraph(
    input.personalDataIncluded ? s.personalIncluded : t('personalOmitted', { fields: s.personalFields }),
  );

  layout.heading(s.sectionCase);
  const c = record.case;
  layout.fields([
    [s.labCaseNumber, c.labCaseNumber],
    [s.agency, shown(c.agency)],
    [s.agencyCaseNumber, shown(c.agencyCaseNumber)],
    [s.offence, shown(c.offence)],
    [s.offenceDate, shown(c.offenceDate)],
    [s.receivedDate, shown(c.receivedDate)],
    [s.status, refs.status(c.status)],
    [s.createdBy, `${c.createdBy}, ${shortTime(c.createdAt)}`],
  ]);

  layout.heading(s.sectionItems);
  layout.table(
    [
      { title: s.exhibit, fraction: 0.14 },
      { title: s.kind, fraction: 0.2 },
      { title: s.calibre, fraction: 0.16 },
      { title: s.details, fraction: 0.5 },
    ],
    record.items.map((i) => [
      i.exhibitNumber,
      i.kind === 'firearm'
        ? s.firearm
        : `${s.cartridgeCase}${i.origin === 'test_fire' && i.firearmExhibit ? `, ${t('testFireFrom', { exhibit: i.firearmExhibit })}` : i.origin === 'questioned' ? `, ${s.questioned}` : ''}`,
      shown(i.calibre),
      [
        i.brand,
        i.headstamp,
        i.make,
        i.model,
        i.serialNumber,
        i.firingPinShape,
        i.breechFaceClass,
        i.recoveryDate,
        i.recoveryPlace,
        i.description,
      ]
        .filter(Boolean)
        .join(' · ') || s.notRecorded,
    ]),
  );

  layout.heading(s.sectionCustody);
  layout.table(
    [
      { title: s.when, fraction: 0.24 },
      { title: s.who, fraction: 0.16 },
      { title: s.what, fraction: 0.6 },
    ],
    audit.entries.map((e) => [shortTime(e.at), e.username ?? s.byStation, refs.custody(e)]),
  );

  layout.heading(s.sectionAcquisitions);
  const calibrations = new Map(record.calibrations.map((k) => [k.originId, k]));
  for (const a of record.acquisitions) {
    layout.paragraph(
      t('acquisition', {
        reference: refs.acquisition(a.originId)!,
        source: a.source === 'capture' ? s.capture : s.import,
        operator: a.operator,
        at: shortTime(a.completedAt),
      }),
      { bold: true },
    );
    if (a.width && a.height)
      layout.paragraph(
        t('geometry', { width: a.width, height: a.height, spacing: (a.lateralUm ?? 0).toFixed(3) }),
        {},
        12,
      );
    const quality = a.quality as { passed?: boolean } | null;
    layout.paragraph(t('quality', { result: quality ? (quality.passed ? s.passed : s.failed) : s.notRun }), {}, 12);
    if (a.unsuitableReason) layout.paragraph(t('unsuitable', { reason: a.unsuitableReason }), {}, 12);
    if (a.topographySha256)
      layout.paragraph(t('topography', { hash: a.topographySha256 }), { size: 8, breakAnywhere: true }, 12);
    layout.paragraph(t('files', { count: a.files.length }), {}, 12);
    const calibration = a.calibrationId === null ? undefined : calibrations.get(a.calibrationId);
    if (!calibration) layout.paragraph(s.noCalibration, {}, 12);
    else {
      const state = !calibration.passed
        ? s.calibrationFailed
        : a.completedAt <= calibration.expiresAt
          ? s.calibrationValid
          : s.calibrationExpired;
      layout.paragraph(
        t('calibrationAtCapture', {
          reference: calibration.reference ?? s.notRecorded,
          kind: calibrationKindWords(calibration.kind),
          performed: shortTime(calibration.performedAt),
          operator: calibration.operator,
          expires: shortTime(calibration.expiresAt),
          state,
        }),
        {},
        12,
      );
      for (const line of calibrationFindings(language, calibration)) layout.paragraph(`· ${line}`, { size: 8.5 }, 18);
      if (calibration.report)
        layout.paragraph(
          t('calibrationReport', { hash: calibration.report.sha256 }),
          { size: 8, breakAnywhere: true },
          12,
        );
    }
    layout.space(4);
  }

  layout.heading(s.sectionAnalysis);
  const engine = record.analysis.engine;
  layout.paragraph(t('engine', { name: engine.name, version: engine.version, scorer: engine.scorer }));
  layout.paragraph(s.parameters, { bold: true });
  const flat: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    else flat.push([prefix, Array.isArray(value) ? value.join(', ') : String(value)]);
  };
  walk('', record.analysis.parameters);
  layout.fields(flat);
  if (record.analysis.results.length === 0) layout.paragraph(s.noAnalysis);
  for (const run of record.analysis.results) {
    const o = run.outcome as { a?: number; b?: number; cmc?: { ab?: number; ba?: number; combined?: number } };
    layout.paragraph(
      run.action === 'compare.run'
        ? t('comparison', {
            a: acquisitionNamed(o.a),
            b: acquisitionNamed(o.b),
            by: run.by ?? s.byStation,
            at: shortTime(run.at),
            ab: shown(o.cmc?.ab),
            ba: shown(o.cmc?.ba),
            combined: shown(o.cmc?.combined),
          })
        : t('search', { a: acquisitionNamed(run.acquisitions[0]), by: run.by ?? s.byStation, at: shortTime(run.at) }),
    );
  }

  layout.heading(s.sectionExamination);
  if (!record.examination) layout.paragraph(s.noExamination);
  else await examinationSection(layout, record.examination, language, input.evidence ?? (async () => null));

  layout.heading(s.sectionAudit);
  layout.paragraph(
    t('auditEntries', { count: audit.entries.length, withheld: audit.entries.filter((e) => e.withheld).length }),
  );
  layout.paragraph(
    t('auditChain', {
      entries: audit.stationChain.entries,
      state: audit.stationChain.intact ? s.intact : s.broken,
      hash: audit.stationChain.lastHash,
    }),
    { breakAnywhere: false },
  );
  layout.paragraph(
    audit.checkpoint
      ? t('auditCheckpoint', { seq: audit.checkpoint.seq, hash: audit.checkpoint.hash, keyId: audit.checkpoint.keyId })
      : s.auditNoCheckpoint,
    { breakAnywhere: false },
  );
  layout.paragraph(s.auditHow, { size: 8.5 });

  return layout.finish(
    (page, pages) =>
      input.packageId
        ? t('footer', { page, pages, packageId: input.packageId, hash: input.contentSha256 })
        : t('footerNoPackage', { page, pages, hash: input.contentSha256 }),
    input.signer
      ? {
          ...input.signer,
          name: input.station ? `${input.station.labId}/${input.station.stationId}` : input.exportedBy,
          reason: input.reason ?? s.subtitle,
          signedAt: new Date(input.createdAt),
        }
      : undefined,
  );
}
