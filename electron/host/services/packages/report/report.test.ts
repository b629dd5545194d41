// The case report as a reader sees it (pdftotext, poppler-utils): in the asking user's language, every audit
// action in words, the lab's references instead of internal ids, the case status in words, and "not recorded"
// where the record holds no value. Built from a record made here (no station needed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditActionWords } from '../../../../contract/words/index.ts';
import type { AuditExtractEntry, CaseRecord } from '../format.ts';
import { auditExtractFormat, recordFormat } from '../format.ts';
import { buildReport, type ReportLanguage } from './report.ts';
import { reportReferences } from './references.ts';

const work = mkdtempSync(join(tmpdir(), 'casebench-report-words-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha = (c: string) => c.repeat(64);
const at = '2026-03-02T10:15:00.000Z';

const record: CaseRecord = {
  format: recordFormat,
  case: {
    originId: 901,
    labCaseNumber: 'LAB-2026-0142',
    agency: null,
    agencyCaseNumber: null,
    offence: null,
    offenceDate: null,
    receivedDate: null,
    status: 'open',
    notes: null,
    createdAt: at,
    createdBy: 'tech1',
  },
  items: [
    {
      originId: 7301,
      kind: 'cartridge_case',
      exhibitNumber: 'Q7',
      description: null,
      calibre: null,
      origin: 'questioned',
      brand: null,
      headstamp: null,
      primerMaterial: null,
      caseMaterial: null,
      firingPinShape: null,
      breechFaceClass: null,
      recoveryPlace: null,
      recoveryDate: null,
      firearmExhibit: null,
      make: null,
      model: null,
      serialNumber: null,
      firearmType: null,
      createdAt: at,
    },
  ],
  acquisitions: [
    {
      originId: 5501,
      exhibitNumber: 'Q7',
      source: 'import',
      region: 'breech_face',
      operator: 'tech1',
      startedAt: at,
      completedAt: at,
      rigProfile: null,
      devices: [],
      calibrationId: null,
      settings: {},
      quality: null,
      topographySha256: sha('a'),
      lateralUm: 3.125,
      width: 100,
      height: 100,
      unsuitableReason: null,
      regionsOverride: null,
      files: [
        { role: 'topography', sha256: sha('a'), size: 10, mediaType: 'application/x3p', settings: null, path: 'x' },
      ],
      openFmcX3p: null,
    },
    {
      originId: 5502,
      exhibitNumber: 'Q7',
      source: 'capture',
      region: 'firing_pin',
      operator: 'tech1',
      startedAt: at,
      completedAt: at,
      rigProfile: 'Bench A',
      devices: [],
      calibrationId: 6601,
      settings: {},
      quality: { passed: true },
      topographySha256: null,
      lateralUm: 3.125,
      width: 100,
      height: 100,
      unsuitableReason: null,
      regionsOverride: null,
      files: [],
      openFmcX3p: null,
    },
  ],
  // A failed calibration: its problems are codes with figures (worded in the report's language), its messages English.
  calibrations: [
    {
      originId: 6601,
      reference: 'CAL-2026-0003',
      kind: 'scale',
      rigProfile: 'Bench A',
      deviceSerials: {},
      operator: 'tech1',
      performedAt: at,
      expiresAt: '2026-04-01T10:15:00.000Z',
      passed: false,
      messages: ['lens distortion moves the corner by 4.2 px (limit 3.0 px)'],
      results: {
        passed: false,
        problems: [
          { code: 'lens_distortion', value: 4.2, limit: 3 },
          { code: 'non_uniformity', channel: 'ring/2', value: 0.123, limit: 0.1 },
        ],
      },
      report: null,
    },
  ],
  analysis: {
    engine: { name: 'casebench-cmc', version: '4', scorer: 'cmc' },
    parameters: {},
    results: [
      { auditSeq: 5, action: 'search.run', at, by: 'examiner1', acquisitions: [5501], outcome: {} },
      {
        auditSeq: 6,
        action: 'compare.run',
        at,
        by: 'examiner1',
        acquisitions: [5501, 8888],
        outcome: { a: 5501, b: 8888, cmc: { ab: 12, ba: 10, combined: 11 } },
      },
    ],
  },
  examination: null,
  provenance: [],
  people: [],
};

let seq = 0;
const entry = (action: string, entityType: string, entityId: string | null, more: Partial<AuditExtractEntry> = {}) => ({
  seq: ++seq,
  at,
  userId: 3,
  username: 'tech1',
  action,
  entityType,
  entityId,
  caseId: 901,
  beforeJson: null,
  afterJson: null,
  reason: null,
  prevHash: sha('0'),
  hash: sha('1'),
  withheld: false,
  ...more,
});
const entries: AuditExtractEntry[] = [
  entry('case.create', 'case', '901'),
  entry('item.create', 'item', '7301'),
  entry('evidence.store', 'evidence', sha('a')),
  entry('acquisition.import', 'acquisition', '5501'),
  entry('item.update', 'item', '7301', { reason: 'exhibit renumbered' }),
  entry('user.create', 'user', '3', { userId: null, username: null }),
];

async function reportText(
  language: ReportLanguage,
  station: { labId: string; stationId: string } | null,
  reported: CaseRecord = record,
) {
  const bytes = await buildReport({
    record: reported,
    audit: {
      format: auditExtractFormat,
      chain: '',
      stationChain: { entries: entries.length, intact: true, lastHash: sha('1') },
      checkpoint: null,
      entries,
    },
    language,
    packageId: null,
    contentSha256: sha('c'),
    createdAt: at,
    reason: null,
    exportedBy: 'manager1',
    station,
    personalDataIncluded: true,
  });
  const file = join(work, `report-${language}.pdf`);
  writeFileSync(file, bytes);
  // Words wrap in table cells: read the text as one line, without the direction marks pdftotext puts around runs,
  // with marks in canonical order (shadda and fatha come out in either order).
  return execFileSync('pdftotext', [file, '-'])
    .toString()
    .replace(/[\u202a-\u202e]/g, '')
    .replace(/\s+/g, ' ')
    .normalize('NFC');
}

/** Internal ids of the record above, which must never reach the page. */
const internalIds = /\b(901|7301|5501|5502|6601|8888)\b/;

describe('the case report in the reader’s words', () => {
  it('French: actions in words, lab references, status in words, "non renseigné" for what is missing', async () => {
    const text = await reportText('fr', null);
    expect(text).toContain('Rapport de dossier LAB-2026-0142');
    expect(text).toContain('Scellé ajouté : Scellé Q7');
    expect(text).toContain('Fichier de preuve stocké : Fichier de preuve fichier de Q7 · Tranche de culasse');
    expect(text).toContain('Relevé importé : Acquisition Q7 · Tranche de culasse');
    expect(text).toContain('Affaire créée : Affaire LAB-2026-0142');
    expect(text).toContain('(motif : exhibit renumbered)');
    expect(text).toContain('Utilisateur créé : Utilisateur tech1');
    expect(text).toContain('le poste'); // an entry no user made
    expect(text).toMatch(/État\s+Ouverte/);
    expect(text).toMatch(/Service\s+non renseigné/);
    expect(text).toContain('Comparaison de Q7 · Tranche de culasse et une acquisition hors de ce rapport');
    expect(text).toContain('Recherche depuis Q7 · Tranche de culasse');
    expect(text).toContain('sur un poste sans identité réseau');
    // The calibration by its lab reference and kind, what it found in French (figures the French way), not English.
    expect(text).toContain('Étalonnage CAL-2026-0003 (Échelle spatiale), fait le');
    expect(text).toContain('la distorsion de l’objectif déplace le coin de l’image de 4,20 px (limite 3,00 px)');
    expect(text).toContain('Éclairage annulaire, segment 2 : la réponse varie de 12,3 % sur le champ (limite 10,0 %)');
    expect(text).not.toContain('lens distortion moves');
    expect(text).not.toMatch(/evidence\.store|item\.create|acquisition\.import|case\.create/);
    expect(text).not.toMatch(/\bopen\b|—/);
    expect(text).not.toMatch(internalIds);
  });

  it('Arabic: the same words and references, right to left, with the Arabic status', async () => {
    const text = await reportText('ar', { labId: 'LAB-1', stationId: 'ST-1' });
    expect(text).toContain('LAB-2026-0142');
    for (const action of ['case.create', 'item.create', 'evidence.store', 'acquisition.import'])
      for (const word of auditActionWords('ar', action)!.split(' ')) expect(text).toContain(word.normalize('NFC'));
    expect(text).toContain('مفتوحة'); // "open"
    expect(text).toContain('غير مسجَّل'.normalize('NFC')); // "not recorded"
    expect(text).toContain('Q7');
    expect(text).toContain('LAB-1 / ST-1');
    // Lab references and figures inside Arabic keep their order (bidi: isolated, not read as Arabic numbers), and
    // words with the lam-alef ligature copy out as lam then alef.
    expect(text).toContain('CAL-2026-0003');
    expect(text).toContain('LAB-2026-0142');
    expect(text).toMatch(/2026-03-02 \d\d:15/);
    expect(text).not.toMatch(/02-03-2026|0003-2026-CAL/);
    expect(text).toContain('المعايرة'.normalize('NFC'));
    expect(text).toContain('الالتقاط'.normalize('NFC'));
    expect(text).toContain('لا توجد'.normalize('NFC'));
    expect(text).not.toMatch(/evidence\.store|item\.create|acquisition\.import|case\.create/);
    expect(text).not.toMatch(/\bopen\b|—/);
    expect(text).not.toMatch(internalIds);
  });

  it('spells out direction controls in lab text instead of obeying them', async () => {
    // Obeyed, the right-to-left override drew the case number as "LAB-exe.png".
    const disguised = { ...record, case: { ...record.case, labCaseNumber: 'LAB-\u202Egnp.exe' } };
    for (const language of ['en', 'ar'] as const) {
      const text = await reportText(language, null, disguised);
      expect(text).toContain('LAB-[RLO]gnp.exe');
      expect(text).not.toContain('exe.png');
    }
  });

  it('names an action or status this version has no words for by its code, said to be one', () => {
    const refs = reportReferences(record, entries, 'en');
    expect(refs.custody(entry('gadget.polish', 'gadget', '12'))).toBe(
      'code gadget.polish (no words for it in this version): code gadget (no words for it in this version)',
    );
    expect(refs.status('constructor')).toBe('code constructor (no words for it in this version)');
    expect(refs.custody(entry('item.update', 'item', null, { withheld: true }))).toBe(
      'Item amended: Item (content withheld: personal data or an item left out)',
    );
  });
});
