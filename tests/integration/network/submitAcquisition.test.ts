// An acquisition marked for submission: queued in one transaction with its audit entry, sent once however often
// it is marked, carrying the X3P byte for byte and the item's OpenFMC fields but nothing personal; correlated by
// the hub against another lab's casing; refused with a clear reason when the network cannot use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attachOutbox, OutboxService } from '../../../electron/host/services/outbox/outboxService.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { writeCredentials } from '../../../electron/network/pki.ts';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import {
  decodeSignatureFile,
  screeningParamsKey,
  signatureMediaType,
} from '../../../electron/analysis/signatureFile.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { refusalOf } from '../../fixtures/appError.ts';
import {
  enqueue,
  fadulArtifact,
  makePki,
  openStation,
  removeDir,
  startTestHub,
  submissionInput,
  tempDir,
  until,
  type TestPki,
} from './harness.ts';
import { ProblemList } from '../../../electron/host/storage/problemList.ts';

let dir: string;
let pki: TestPki;
let hub: Hub;
let station: Awaited<ReturnType<typeof startSignedIn>>;
let outbox: OutboxService;

beforeAll(async () => {
  dir = tempDir('net-acq');
  pki = await makePki(join(dir, 'pki'));
  writeCredentials(pki.dir, 'station', pki.lab1);
  hub = await startTestHub(pki, join(dir, 'hub'));
  station = await startSignedIn();
  outbox = attachOutbox(station.host, {
    pkiDir: pki.dir,
    hubUrl: hub.url,
    importDir: join(station.dataDir, 'imported'),
    worker: { backoff: { baseMs: 20, maxMs: 200 }, leadsPollMs: { firstMs: 20, maxMs: 200 } },
  });
});
afterAll(async () => {
  await outbox?.close();
  await station?.dispose();
  await hub?.close();
  removeDir(dir);
});

async function importScan(itemId: number, file: string[]) {
  const bytes = new Uint8Array(readFileSync(sharedDataPath(...file)));
  return station.client.call('acquisitions.import', { itemId, region: 'breech_face', fileName: file.at(-1)!, bytes });
}

// CMC on real scans takes seconds, more on a loaded machine.
describe('outbox.submitAcquisition', { timeout: 120_000 }, () => {
  it('queues an acquisition once with its audit entry, sends its X3P and OpenFMC fields only, and brings back a CMC lead', async () => {
    // Another lab holds the known-matching casing of the same calibre.
    const other = openStation(pki, pki.lab2, hub.url, tempDir('other'));
    enqueue(other, submissionInput('L2-9', 'Q-1', [fadulArtifact('fadul_10-2.x3p')], '9mm Luger'));
    other.worker.start();
    await other.worker.drained();
    await other.close();

    const c = await station.client.call('cases.create', {
      labCaseNumber: 'ACQ-1',
      agency: 'City Police',
      offence: 'Robbery at 12 Elm Street',
    });
    const item = await station.client.call('items.create', {
      caseId: c.id,
      fields: {
        kind: 'cartridge_case',
        exhibitNumber: 'Q1',
        calibre: '9mm Luger',
        origin: 'questioned',
        brand: 'Ruger',
        headstamp: 'WIN 9MM LUGER',
        firingPinShape: 'hemispherical',
        description: 'found by J. Smith under the car',
        recoveryPlace: '12 Elm Street',
        recoveryDate: '2026-11-01',
      },
    });
    const acquisition = await importScan(item.id, ['fadul', 'fadul_10-1.x3p']);

    const first = await station.client.call('outbox.submitAcquisition', {
      acquisitionId: acquisition.id,
      reason: 'cross-lab search',
    });
    expect(first.alreadyQueued).toBe(false);
    expect(first.job).toMatchObject({
      acquisitionId: acquisition.id,
      caseId: c.id,
      itemId: item.id,
      caseRef: 'ACQ-1',
      itemRef: 'Q1',
      calibre: '9mm Luger',
    });
    const again = await station.client.call('outbox.submitAcquisition', { acquisitionId: acquisition.id });
    expect(again).toMatchObject({ alreadyQueued: true, job: { id: first.job.id } });

    const audit = await station.client.call('audit.forCase', { caseId: c.id });
    const entries = audit.filter((e) => e.action === 'outbox.submitAcquisition');
    expect(entries).toHaveLength(1); // the second mark changed nothing
    expect(entries[0]).toMatchObject({ entityId: String(first.job.id), reason: 'cross-lab search' });

    await until(() => outbox.repo.get(first.job.id)!.state === 'correlated', 'correlation', 60_000);
    const job = outbox.repo.get(first.job.id)!;
    const sent = (await hub.records.findByIdempotencyKey(job.idempotencyKey))!;
    expect(await hub.records.countByIdempotencyKey()).toEqual({ total: 2, distinct: 2 }); // the other lab's and ours, once
    expect(sent.manifest.artifacts).toEqual([
      expect.objectContaining({ role: 'x3p', sha256: acquisition.topographySha256 }),
      expect.objectContaining({ role: 'features', mediaType: signatureMediaType }),
    ]);
    // The station's screening signature of this topography went along, and the hub's own agrees with it.
    const features = decodeSignatureFile(hub.artifacts.read(sent.manifest.artifacts[1]!.sha256));
    expect(features).toMatchObject({ topographySha256: acquisition.topographySha256, paramsKey: screeningParamsKey });
    expect(await hub.records.correlationNotes(sent.id)).toEqual([]);
    expect(
      hub.artifacts.read(acquisition.topographySha256!).equals(readFileSync(sharedDataPath('fadul', 'fadul_10-1.x3p'))),
    ).toBe(true);
    expect(sent.manifest.specimen).toEqual({
      calibre: '9mm Luger',
      origin: 'questioned',
      brand: 'Ruger',
      headstamp: 'WIN 9MM LUGER',
      firingPinShape: 'hemispherical',
      recoveryDate: '2026-11-01',
    });
    const wire = JSON.stringify(sent.manifest);
    for (const personal of ['Smith', 'Elm Street', 'Robbery', 'City Police']) expect(wire).not.toContain(personal);
    expect(sent.manifest.lab).toEqual({ labId: 'LAB-1', stationId: 'ST-1' });
    // The hub holds the station's audit checkpoint of that moment (its receipt covers the manifest): a copy of
    // the log's state kept outside the station, which the station's own audit verify checks.
    expect(sent.manifest.auditCheckpoint).toMatchObject({ keyId: station.host.audit.keyId });
    expect(station.host.audit.checkCheckpoint(sent.manifest.auditCheckpoint!, 'hub', new ProblemList())).toBe(true);

    const leads = await station.client.call('outbox.leads', { caseId: c.id });
    expect(leads).toHaveLength(1);
    expect(leads[0]!.lead).toMatchObject({
      otherLabId: 'LAB-2',
      otherCaseRef: 'L2-9',
      scorer: expect.stringMatching(/^cmc\//),
    });
    expect(leads[0]!.lead.score).toBeGreaterThanOrEqual(8);
    expect(leads[0]!.compare).toBeNull(); // the other casing is not here yet

    // Fetched, the other casing becomes an acquisition of the NETWORK-LEADS reference case, and the pair opens in the comparison.
    const fetched = await station.client.call('outbox.fetchLead', { jobId: job.id, leadId: leads[0]!.lead.leadId });
    expect(fetched.acquisitionId).toEqual(expect.any(Number));
    const theirs = await station.client.call('acquisitions.get', { id: fetched.acquisitionId! });
    expect(theirs.topographySha256).toBe(leads[0]!.lead.otherArtifacts[0]!.sha256);
    // Stored as this station stores an X3P (whatever media type the other lab declared), so it previews and opens.
    const preview = await station.client.call('acquisitions.preview', {
      acquisitionId: fetched.acquisitionId!,
      role: 'topography',
      maxSize: 64,
    });
    expect(preview).toMatchObject({ kind: 'topography' });
    const reference = (await station.client.call('cases.list', { query: 'NETWORK-LEADS' })).rows[0]!;
    expect(reference.labCaseNumber).toBe('NETWORK-LEADS');
    expect((await station.client.call('cases.get', { id: reference.id })).items.map((i) => i.exhibitNumber)).toEqual([
      'LAB-2/L2-9/Q-1',
    ]);
    const fetchedAgain = await station.client.call('outbox.fetchLead', {
      jobId: job.id,
      leadId: leads[0]!.lead.leadId,
    });
    expect(fetchedAgain.acquisitionId).toBe(fetched.acquisitionId); // fetched twice, registered once
    const [listed] = await station.client.call('outbox.leads', { caseId: c.id });
    expect(listed!.compare).toEqual({ a: acquisition.id, b: fetched.acquisitionId });
    const comparison = await station.client.call('compare.run', listed!.compare!);
    expect(comparison.cmc.combined).toBeGreaterThanOrEqual(8);
  });

  it('refuses what the network cannot use, with the reason, and queues nothing', async () => {
    const c = await station.client.call('cases.create', { labCaseNumber: 'ACQ-2' });
    const before = outbox.repo.counts();
    const total = () => Object.values(outbox.repo.counts()).reduce((a, b) => a + b, 0);
    const startTotal = Object.values(before).reduce((a, b) => a + b, 0);

    const firearm = await station.client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'firearm', exhibitNumber: 'F1', calibre: '9mm Luger', make: 'Ruger' },
    });
    const ofFirearm = await importScan(firearm.id, ['fadul', 'fadul_9-1.x3p']);
    expect(
      (await refusalOf(station.client.call('outbox.submitAcquisition', { acquisitionId: ofFirearm.id }))).message,
    ).toMatch(/firearm; the network correlates cartridge cases only/);

    const noCalibre = await station.client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q2' },
    });
    const ofNoCalibre = await importScan(noCalibre.id, ['fadul', 'fadul_9-1.x3p']);
    expect(
      (await refusalOf(station.client.call('outbox.submitAcquisition', { acquisitionId: ofNoCalibre.id }))).message,
    ).toMatch(/has no calibre; enter it on the item first/);

    const caseItem = await station.client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q3', calibre: '9mm Luger' },
    });
    const image = await importScan(caseItem.id, ['nbide-2d', 'NBIDE_R_BF_118.png']);
    expect(
      (await refusalOf(station.client.call('outbox.submitAcquisition', { acquisitionId: image.id }))).message,
    ).toMatch(/no X3P topography/);

    const unsuitable = await importScan(caseItem.id, ['fadul', 'fadul_9-2.x3p']);
    await station.client.call('acquisitions.markUnsuitable', {
      id: unsuitable.id,
      version: unsuitable.version,
      reason: 'primer smeared',
    });
    const refused = await refusalOf(station.client.call('outbox.submitAcquisition', { acquisitionId: unsuitable.id }));
    expect(refused).toMatchObject({ code: 'invalid_input' });
    expect(refused.message).toMatch(/marked unsuitable \(primer smeared\)/);

    expect((await refusalOf(station.client.call('outbox.submitAcquisition', { acquisitionId: 999_999 }))).code).toBe(
      'not_found',
    );
    expect(total()).toBe(startTotal);
    expect(
      (await station.client.call('audit.forCase', { caseId: c.id })).filter(
        (e) => e.action === 'outbox.submitAcquisition',
      ),
    ).toEqual([]);
  });

  it('lets a canceled submission be submitted again, as a new job', async () => {
    const c = await station.client.call('cases.create', { labCaseNumber: 'ACQ-3' });
    const item = await station.client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '.22 LR' },
    });
    const acquisition = await importScan(item.id, ['fadul', 'fadul_8-2.x3p']);
    await outbox.close(); // hold the worker so the job stays queued
    const first = await station.client.call('outbox.submitAcquisition', { acquisitionId: acquisition.id });
    expect((await station.client.call('outbox.cancel', { id: first.job.id, reason: 'wrong exhibit' })).state).toBe(
      'canceled',
    );
    const second = await station.client.call('outbox.submitAcquisition', { acquisitionId: acquisition.id });
    expect(second.alreadyQueued).toBe(false);
    expect(second.job.id).not.toBe(first.job.id);
  });

  it('names the region of the acquisition in the manifest (a firing pin goes as a firing pin)', async () => {
    const c = await station.client.call('cases.create', { labCaseNumber: 'ACQ-5' });
    const item = await station.client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '.22 LR' },
    });
    const bytes = new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_7-1.x3p')));
    const firingPin = await station.client.call('acquisitions.import', {
      itemId: item.id,
      region: 'firing_pin',
      fileName: 'fp.x3p',
      bytes,
    });
    const { job } = await station.client.call('outbox.submitAcquisition', { acquisitionId: firingPin.id });
    expect(outbox.repo.get(job.id)!.manifest.region).toBe('firing_pin');
  });

  it('sends a topography without features when the station cannot make its signature, and the audit entry says why', async () => {
    const c = await station.client.call('cases.create', { labCaseNumber: 'ACQ-4' });
    const item = await station.client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '.22 LR' },
    });
    const acquisition = await importScan(item.id, ['fadul', 'fadul_8-1.x3p']);
    const engineDown = new OutboxService(station.host.db, station.host.audit, station.host.status, {
      pkiDir: pki.dir,
      importDir: join(station.dataDir, 'imported-2'),
      evidence: station.host.evidence,
      features: () => Promise.reject(new Error('the analysis engine is not available')),
    });
    try {
      const admin = { user: { id: 1, username: 'admin' } } as Parameters<OutboxService['submitAcquisition']>[1];
      const { job } = await engineDown.submitAcquisition(acquisition.id, admin);
      expect(job.manifest.artifacts.map((a) => a.role)).toEqual(['x3p']);
      const [entry] = (await station.client.call('audit.forCase', { caseId: c.id })).filter(
        (e) => e.action === 'outbox.submitAcquisition',
      );
      expect(entry!.after).toMatchObject({ featuresUnavailable: 'the analysis engine is not available' });
    } finally {
      await engineDown.close();
    }
  });
});
