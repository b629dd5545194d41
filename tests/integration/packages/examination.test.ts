// Examination records in case packages and reports: a comparison analysed by CMC, annotated, photographed,
// concluded (identification), verified blind by a second examiner; another concluded and amended (the original
// kept). The package carries every record and the snapshot PNG, case.jsonld derives conclusion ← analysis ←
// acquisition files with the examiners' roles, report.pdf shows the AFTE conclusions, bases, verification record,
// snapshot and CMC overlay; the package verifies and imports elsewhere; a partial export leaves out comparisons of
// other items; a manager verifying one of the case's comparisons blind cannot export it.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examinationStation, sampleView, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import { encodePng } from '../../fixtures/png.ts';
import { expectAppError } from '../../fixtures/appError.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { installCredentials, makeNetwork, tempDir, type TestNetwork } from './packageHarness.ts';
import { verifyPackage, type VerifiedPackage } from '../../../electron/host/services/packages/verifyPackage.ts';
import { checkCaseUco } from '../../../electron/host/services/packages/caseUco.ts';
import { readAsJsonLd } from '../../fixtures/packages/jsonLd.ts';

let network: TestNetwork;
let s: ExaminationStation;
const work = tempDir('exam-package');
const keep = process.env.CASEBENCH_KEEP_REPORT; // a folder to copy report.pdf into, to look at it
const scans: Record<string, number> = {};
let identification: { comparisonId: number; analysisId: number; snapshotSha: string; conclusionId: number };
let amendedIds: { original: number; amendment: number };

beforeAll(async () => {
  network = await makeNetwork();
  s = await examinationStation();
  installCredentials(s.dataDir, network.ca.certificate, network.lab1);
  scans.Q1 = await s.fadul('LAB-7', 'Q1', '1-1');
  scans.K1 = await s.fadul('LAB-7', 'K1-TF1', '1-2');
  scans.Q2 = await s.fadul('LAB-7', 'Q2', '2-1');

  // Q1 vs K1: analysed, annotated, photographed, identification, verified blind by examiner2.
  const ws = await s.e1.call('examinations.open', { a: scans.Q1, b: scans.K1, origin: 'case' });
  const { analysis } = await s.e1.call('examinations.analyze', { comparisonId: ws.comparison.id });
  const note = await s.e1.call('annotations.create', {
    comparisonId: ws.comparison.id,
    side: 'a',
    frame: 'topography',
    layer: 'similar',
    shape: {
      kind: 'polygon',
      points: [
        [100, 100],
        [180, 110],
        [150, 190],
      ],
    },
    note: 'parallel breech-face marks at 5 o’clock',
    view: sampleView(),
  });
  const snap = await s.e1.call('snapshots.create', {
    comparisonId: ws.comparison.id,
    png: encodePng(96, 64, 7),
    caption: 'Aligned breech faces, similar marks outlined',
    view: sampleView(),
  });
  const recorded = await s.e1.call('conclusions.record', {
    comparisonId: ws.comparison.id,
    conclusion: 'identification',
    basis: 'Agreement of individual breech-face marks across the annulus, beyond best known non-match.',
    snapshotIds: [snap.id],
    annotationIds: [note.id],
    analysisIds: [analysis.id],
  });
  const verification = recorded.workspace.verification!;
  await s.e2.call('verification.claim', { verificationId: verification.id, version: verification.version });
  const verified = await s.e2.call('conclusions.record', {
    comparisonId: ws.comparison.id,
    conclusion: 'identification',
    basis: 'Independent blind examination: same agreement of breech-face marks.',
  });
  expect(verified.workspace.comparison.state).toBe('verified');
  identification = {
    comparisonId: ws.comparison.id,
    analysisId: analysis.id,
    snapshotSha: snap.sha256,
    conclusionId: recorded.conclusion.id,
  };

  // Q1 vs Q2: inconclusive B, then amended to inconclusive C with a reason (the original stays).
  const other = await s.e1.call('examinations.open', { a: scans.Q1, b: scans.Q2 });
  const first = await s.e1.call('conclusions.record', {
    comparisonId: other.comparison.id,
    conclusion: 'inconclusive_b',
    basis: 'Too little agreement or disagreement of individual marks.',
  });
  const amended = await s.e1.call('conclusions.amend', {
    amends: first.conclusion.id,
    reason: 'Second look under oblique light: some disagreement of the firing pin aperture shear',
    conclusion: 'inconclusive_c',
    basis: 'Some disagreement of individual marks, insufficient for an elimination.',
  });
  amendedIds = { original: first.conclusion.id, amendment: amended.conclusion.id };
}, 300_000);

afterAll(() => s?.dispose());

async function exportCase(fileName: string, extra: { items?: string[]; includePersonalData?: boolean } = {}) {
  const exported = await s.manager.call('packages.export', {
    caseId: s.caseId('LAB-7'),
    reason: 'examination records for the court',
    fileName,
    ...extra,
  });
  const verified = await verifyPackage(exported.path, { trustedCas: [network.ca.certificate], keepOpen: true });
  expect(verified.ok, verified.problem?.message).toBe(true);
  return { exported, verified };
}

async function member(verified: VerifiedPackage, path: string): Promise<Buffer> {
  return verified.archive!.readAll(verified.archive!.get(path)!, 1e9);
}

describe('examination records in a case package', () => {
  let verified: VerifiedPackage;
  let path: string;

  beforeAll(async () => {
    ({
      verified,
      exported: { path },
    } = await exportCase('with-examination'));
  }, 120_000);
  afterAll(() => verified?.archive?.close());

  it('carries every record of the case’s comparisons, originals and amendments, and the snapshot PNG', async () => {
    const ex = verified.record!.examination!;
    expect(ex.comparisons).toHaveLength(2);
    expect(ex.analyses.map((a) => a.id)).toEqual([identification.analysisId]);
    expect(ex.annotations).toHaveLength(1);
    expect(ex.annotations[0].revisions.length).toBeGreaterThanOrEqual(1);
    expect(ex.snapshots.map((x) => x.sha256)).toEqual([identification.snapshotSha]);
    const roles = ex.conclusions.map((c) => `${c.comparisonId}:${c.role}:${c.conclusion}:${c.current}`);
    expect(roles).toEqual(
      expect.arrayContaining([
        `${identification.comparisonId}:examination:identification:true`,
        `${identification.comparisonId}:verification:identification:true`,
      ]),
    );
    const original = ex.conclusions.find((c) => c.id === amendedIds.original)!;
    const amendment = ex.conclusions.find((c) => c.id === amendedIds.amendment)!;
    expect(original).toMatchObject({ conclusion: 'inconclusive_b', current: false, amends: null });
    expect(amendment).toMatchObject({ conclusion: 'inconclusive_c', current: true, amends: amendedIds.original });
    expect(ex.verifications).toEqual([
      expect.objectContaining({ comparisonId: identification.comparisonId, state: 'agreed', blind: true }),
    ]);
    const snapshotMember = verified.manifest!.members.find((m) => m.sha256 === identification.snapshotSha);
    expect(snapshotMember).toMatchObject({ path: `evidence/${identification.snapshotSha}.png`, role: 'original' });
    // Personal data left out (the default): people keep their user names only.
    expect(JSON.stringify(ex)).not.toContain('EXAMINER1');
    expect(ex.conclusions[0].examiner).toMatchObject({ username: 'examiner1', displayName: '' });
    const auditActions = verified.auditExtract!.entries.filter((e) => !e.withheld).map((e) => e.action);
    expect(auditActions).toEqual(expect.arrayContaining(['conclusion.record', 'comparison.analyze']));
  });

  it('links conclusion ← analysis ← acquisition files in CASE/UCO, with the examiners’ roles', async () => {
    const doc = JSON.parse((await member(verified, 'case.jsonld')).toString('utf8')) as {
      '@graph': Record<string, unknown>[];
    };
    expect(checkCaseUco(doc)).toEqual([]);
    expect((await readAsJsonLd(doc)).foreign).toEqual([]); // a JSON-LD processor in safe mode reads all of it
    const byId = new Map(doc['@graph'].map((n) => [n['@id'] as string, n]));
    const ids = (value: unknown) => (value as { '@id': string }[]).map((r) => r['@id']);
    const conclusion = [...byId.values()].find((n) =>
      String(n['@id']).endsWith(`conclusion-${identification.conclusionId}`),
    )!;
    expect((conclusion['uco-core:statement'] as string[])[0]).toMatch(/identification\. Basis: Agreement/);
    const derived = ids(conclusion['case-investigation:wasDerivedFrom']);
    const analysis = derived.find((x) => x.endsWith(`cmc-result-${identification.analysisId}`))!;
    expect(analysis).toBeDefined();
    expect(derived.some((x) => x.endsWith(`file-${identification.snapshotSha}`))).toBe(true);
    const inputs = ids(byId.get(analysis)!['case-investigation:wasDerivedFrom']);
    expect(inputs).toHaveLength(2);
    // The topographies are files of the package, with their SHA-256 as a UCO hash.
    const topography = verified.record!.acquisitions.find((a) => a.originId === scans.Q1)!.topographySha256!;
    expect(inputs).toContain([...byId.keys()].find((x) => x.endsWith(`file-${topography}`)));
    // Each conclusion's action is performed by a person with the role they had: examiner, verifier.
    const roleOf = (username: string) =>
      doc['@graph']
        .filter(
          (n) => n['@type'] === 'uco-core:Relationship' && ids(n['uco-core:source'])[0]!.endsWith(`person-${username}`),
        )
        .map((n) => byId.get((n['uco-core:target'] as { '@id': string })['@id'])!['uco-core:name']);
    expect(roleOf('examiner1')).toContain('examiner');
    expect(roleOf('examiner2')).toContain('verifier');
  });

  it('shows comparisons, AFTE conclusions with their basis, the verification, snapshot and CMC overlay in report.pdf', async () => {
    const pdf = join(work, 'report.pdf');
    writeFileSync(pdf, await member(verified, 'report.pdf'));
    if (keep) writeFileSync(join(keep, 'examination-report.pdf'), await member(verified, 'report.pdf'));
    const text = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain('LAB-7 / Q1 and LAB-7 / K1-TF1');
    expect(text).toContain('AFTE range of conclusions');
    expect(text).toContain('■ Identification');
    expect(text).toContain('Agreement of individual breech-face marks across the annulus');
    expect(text).toContain('Verifier: conclusion');
    expect(text).toMatch(/Verification: agreed \(blind\), asked for by the lab’s policy; verifier examiner2/);
    expect(text).toMatch(
      /Amends the conclusion recorded by [^,]*examiner1[^,]*, \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\. Reason: Second look/,
    );
    // Records are named by what they are about, who and when: never by the station's internal ids.
    expect(text).not.toMatch(/(Comparison|conclusion|Snapshot|Hit|Verification|acquisition) \d+\b/);
    expect(text).toContain('kept unchanged as the original record');
    expect(text).toContain('Aligned breech faces, similar marks outlined');
    expect(text).toMatch(/CMC overlay on A: green, the \d+ congruent matching cells of \d+/);
    const images = execFileSync('pdfimages', ['-list', pdf]).toString().trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(2); // the overlay and the snapshot
  });

  it('verifies and imports at another station with the records kept in the imported case record', async () => {
    const receiver = await startSignedIn();
    try {
      installCredentials(receiver.dataDir, network.ca.certificate, network.lab2);
      const bytes = await import('node:fs').then((fs) => fs.readFileSync(path));
      const { uploadId } = await receiver.client.call('packages.uploadStart', {
        fileName: 'x.zip',
        size: bytes.length,
      });
      for (let offset = 0; offset < bytes.length; offset += 8 * 1024 * 1024)
        await receiver.client.call('packages.uploadChunk', {
          uploadId,
          offset,
          bytes: new Uint8Array(bytes.subarray(offset, offset + 8 * 1024 * 1024)),
        });
      const imported = await receiver.client.call('packages.import', { uploadId });
      expect(imported).toMatchObject({ alreadyImported: false, items: 3, acquisitions: 3 });
      const record = await receiver.host.evidence.read(
        verified.manifest!.members.find((m) => m.path === 'case/record.json')!.sha256,
      );
      expect(JSON.parse(Buffer.from(record!).toString()).examination.conclusions).toHaveLength(4);
      expect(await receiver.host.evidence.read(identification.snapshotSha)).not.toBeNull();
      expect(await receiver.client.call('audit.verify', {})).toMatchObject({ ok: true });
    } finally {
      await receiver.dispose();
    }
  });
});

describe('examination records of a partial package', () => {
  it('keeps only comparisons touching the chosen items, and withholds the others’ audit entries', async () => {
    const { verified } = await exportCase('k1-only', { items: ['K1-TF1'], includePersonalData: true });
    try {
      const ex = verified.record!.examination!;
      expect(ex.comparisons.map((c) => c.id)).toEqual([identification.comparisonId]);
      expect(ex.conclusions.every((c) => c.comparisonId === identification.comparisonId)).toBe(true);
      expect(ex.conclusions[0].examiner.displayName).toBe('EXAMINER1');
      const amendedEntries = verified.auditExtract!.entries.filter(
        (e) => e.action === 'conclusion.amend' || (e.afterJson ?? '').includes(`"comparisonId":${amendedIds.original}`),
      );
      expect(amendedEntries.every((e) => e.withheld)).toBe(true);
    } finally {
      await verified.archive?.close();
    }
  });
});

describe('a manager verifying one of the case’s comparisons blind', () => {
  it('cannot export the case (the first examination would be in it), and is told why', async () => {
    const ws = await s.e1.call('examinations.open', { a: scans.Q2, b: scans.K1 });
    const recorded = await s.e1.call('conclusions.record', {
      comparisonId: ws.comparison.id,
      conclusion: 'elimination',
      basis: 'Different firing pin shapes.',
    });
    const v = recorded.workspace.verification!;
    await s.manager.call('verification.claim', { verificationId: v.id, version: v.version });
    await expectAppError(
      s.manager.call('packages.export', { caseId: s.caseId('LAB-7'), reason: 'r', fileName: 'blind' }),
      'forbidden',
      /verifying comparison \d+ of this case blind/,
    );
    await expectAppError(s.manager.call('reports.case', { caseId: s.caseId('LAB-7') }), 'forbidden');
  });

  it('cannot save a copy of a package another manager exported meanwhile (the desktop Save as), nor can a technician', async () => {
    // The admin exports while the manager's blind verification waits: the package holds the first conclusion.
    await s.admin.call('packages.export', { caseId: s.caseId('LAB-7'), reason: 'court', fileName: 'pending.zip' });
    const session = await s.connect().call('auth.signIn', { username: 'manager1', password: 'long enough password' });
    const destination = join(work, 'usb-copy.zip');
    expect(() => s.host.files.copyOut('pending.zip', destination, session)).toThrow(
      /verifying comparison \d+ of this case blind/,
    );
    const tech = await s.connect().call('auth.signIn', { username: 'tech1', password: 'long enough password' });
    expect(() => s.host.files.copyOut('pending.zip', destination, tech)).toThrow(/export/);
    expect(existsSync(destination)).toBe(false);
  });
});
