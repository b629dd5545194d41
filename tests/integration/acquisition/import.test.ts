// Import of scans made elsewhere through the contract: originals stored byte for byte, X3P corrections kept,
// previews bounded, the unsuitable judgement audited, permissions enforced, hostile files leave nothing behind.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../fixtures/sharedData.ts';
import { startSignedIn, type StationClient } from '../../fixtures/testHost.ts';
import { expectAppError, refusalOf } from '../../fixtures/appError.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

async function item(client: StationClient) {
  const c = await client.call('cases.create', { labCaseNumber: 'LAB-1' });
  return client.call('items.create', { caseId: c.id, fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' } });
}

async function userClient(station: Awaited<ReturnType<typeof startSignedIn>>, role: 'technician' | 'examiner') {
  await station.client.call('users.create', {
    passwordChangeDue: false, // a test account: no password change at first sign-in
    username: role,
    displayName: role,
    password: 'long enough password',
    role,
  });
  const client = station.connect();
  await client.call('auth.signIn', { username: role, password: 'long enough password' });
  return client;
}

describe('acquisitions.import', () => {
  it('imports an X3P unmodified, reports the corrections, previews it bounded and lists it', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client, host } = station;
    const it1 = await item(client);
    const bytes = new Uint8Array(readFileSync(sharedDataPath('fadul', 'fadul_1-1.x3p')));
    const technician = await userClient(station, 'technician');
    const detail = await technician.call('acquisitions.import', {
      itemId: it1.id,
      region: 'breech_face',
      fileName: 'fadul_1-1.x3p',
      bytes,
      notes: 'from the reference set',
    });
    expect(detail.source).toBe('import');
    expect(detail.operator).toBe('technician');
    expect(detail.files).toHaveLength(1);
    expect(detail.files[0].role).toBe('topography');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(detail.topographySha256).toBe(sha);
    expect(readFileSync(host.evidence.pathOf(sha)).equals(Buffer.from(bytes))).toBe(true);
    expect(detail.width).toBeGreaterThan(100);
    expect(detail.lateralUm).toBeGreaterThan(1);
    expect(detail.settings.format).toBe('x3p');
    expect(Array.isArray(detail.settings.corrections)).toBe(true);

    const preview = await client.call('acquisitions.preview', {
      acquisitionId: detail.id,
      role: 'topography',
      maxSize: 128,
    });
    expect(preview.kind).toBe('topography');
    expect(Math.max(preview.width, preview.height)).toBeLessThanOrEqual(128);
    expect(preview.data.byteLength).toBe(preview.width * preview.height * 4);
    if (preview.kind === 'topography') expect(preview.zMaxUm).toBeGreaterThan(preview.zMinUm);

    const { rows } = await client.call('acquisitions.list', { itemId: it1.id });
    expect(rows.map((r) => r.id)).toEqual([detail.id]);
    const content = await client.call('acquisitions.fileContent', { acquisitionId: detail.id, role: 'topography' });
    expect(createHash('sha256').update(content.bytes).digest('hex')).toBe(sha);
    const audit = host.db
      .prepare("SELECT action, after_json FROM audit_log WHERE action = 'acquisition.import'")
      .all() as { after_json: string }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].after_json).sha256).toBe(sha);
  });

  it('keeps what the reader corrected in a file from another tool', async () => {
    const { client, dispose: d } = await startSignedIn();
    dispose = d;
    const it1 = await item(client);
    const bytes = new Uint8Array(readFileSync(sharedDataPath('x3p-samples', 'KautschukInfiniteFocus.x3p')));
    const detail = await client.call('acquisitions.import', {
      itemId: it1.id,
      region: 'whole',
      fileName: 'k.x3p',
      bytes,
    });
    expect((detail.settings.corrections as string[]).length).toBeGreaterThan(0);
    // Stored as codes too, which the screen words in the user's language.
    expect(detail.settings.correctionNotes).toContainEqual({ code: 'infinite_points', values: { count: 5296 } });
  });

  it('imports a PNG as an image and previews it as 8-bit grey', async () => {
    const { client, dispose: d } = await startSignedIn();
    dispose = d;
    const it1 = await item(client);
    const bytes = new Uint8Array(readFileSync(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png')));
    const detail = await client.call('acquisitions.import', {
      itemId: it1.id,
      region: 'breech_face',
      fileName: 'bf.png',
      bytes,
    });
    expect(detail.files[0].role).toBe('original');
    expect(detail.files[0].mediaType).toBe('image/png');
    expect(detail.topographySha256).toBeNull();
    const preview = await client.call('acquisitions.preview', {
      acquisitionId: detail.id,
      role: 'original',
      maxSize: 64,
    });
    expect(preview.kind).toBe('image');
    expect(preview.data.byteLength).toBe(preview.width * preview.height);
    expect(new Set(preview.data).size).toBeGreaterThan(10);
  });

  it('refuses hostile or wrong files with a clear error and stores nothing', async () => {
    const { client, host, dispose: d } = await startSignedIn();
    dispose = d;
    const it1 = await item(client);
    const evidenceBefore = host.db.prepare('SELECT COUNT(*) FROM evidence_files').pluck().get();
    const good = new Uint8Array(readFileSync(sharedDataPath('x3p-samples', 'ISO5436-sample1_bin.x3p')));
    const truncated = good.slice(0, Math.floor(good.length / 2));
    await expectAppError(
      client.call('acquisitions.import', { itemId: it1.id, region: 'whole', fileName: 'a.x3p', bytes: truncated }),
      'invalid_input',
      /cannot be imported/,
    );
    await expectAppError(
      client.call('acquisitions.import', {
        itemId: it1.id,
        region: 'whole',
        fileName: 'a.txt',
        bytes: new TextEncoder().encode('hello world'),
      }),
      'invalid_input',
      /not an X3P, PNG or TIFF/,
    );
    await expectAppError(
      client.call('acquisitions.import', { itemId: 999, region: 'whole', fileName: 'a.x3p', bytes: good }),
      'not_found',
    );
    expect(host.db.prepare('SELECT COUNT(*) FROM acquisitions').pluck().get()).toBe(0);
    expect(host.db.prepare('SELECT COUNT(*) FROM evidence_files').pluck().get()).toBe(evidenceBefore);
  });
});

describe('a file whose name and content disagree, or that is empty', () => {
  it('is refused saying what it really is, and leaves the evidence store and the audit trail as they were', async () => {
    const { client, host, dispose: d } = await startSignedIn();
    dispose = d;
    const it1 = await item(client);
    const count = (sql: string) => host.db.prepare(sql).pluck().get();
    const filesOnDisk = () =>
      readdirSync(host.evidence.root, { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).length;
    const before = {
      evidence: count('SELECT COUNT(*) FROM evidence_files'),
      audit: count('SELECT COUNT(*) FROM audit_log'),
      disk: filesOnDisk(),
    };
    const png = new Uint8Array(readFileSync(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png')));
    const x3p = new Uint8Array(readFileSync(sharedDataPath('x3p-samples', 'ISO5436-sample1_bin.x3p')));
    const importAs = (fileName: string, bytes: Uint8Array) =>
      client.call('acquisitions.import', { itemId: it1.id, region: 'breech_face', fileName, bytes });

    const misnamed = await expectAppError(importAs('breech.x3p', png), 'invalid_input', /named as x3p/);
    expect(misnamed.details).toEqual({
      reason: 'file_refused',
      problem: 'kind_mismatch',
      file: 'breech.x3p',
      found: 'png',
      named: 'x3p',
    });
    expect((await refusalOf(importAs('scan.PNG', x3p))).details).toMatchObject({ found: 'x3p', named: 'png' });
    expect((await refusalOf(importAs('photo.jpg', png))).details).toMatchObject({ found: 'png', named: 'jpeg' });
    expect((await refusalOf(importAs('empty.x3p', new Uint8Array(0)))).details).toEqual({
      reason: 'file_refused',
      problem: 'empty',
      file: 'empty.x3p',
    });
    const pdf = await refusalOf(importAs('report', new TextEncoder().encode('%PDF-1.7 ...')));
    expect(pdf.details).toMatchObject({ problem: 'unrecognised', found: 'pdf' });
    const truncated = await refusalOf(importAs('half.x3p', x3p.slice(0, Math.floor(x3p.length / 2))));
    expect(truncated.details).toMatchObject({ reason: 'file_refused', problem: 'bad_zip', file: 'half.x3p' });
    const missingItem = await expectAppError(
      client.call('acquisitions.import', { itemId: 999, region: 'whole', fileName: 'a.x3p', bytes: x3p }),
      'not_found',
    );
    expect(missingItem.details).toEqual({ reason: 'missing', thing: 'item', id: 999 });

    expect(count('SELECT COUNT(*) FROM acquisitions')).toBe(0);
    expect({
      evidence: count('SELECT COUNT(*) FROM evidence_files'),
      audit: count('SELECT COUNT(*) FROM audit_log'),
      disk: filesOnDisk(),
    }).toEqual(before);

    // The same picture under its own name (or no extension) is imported as what it is: a 2D picture.
    const asItIs = await importAs('breech.png', png);
    expect(asItIs.files[0]).toMatchObject({ role: 'original', mediaType: 'image/png' });
    expect(asItIs.topographySha256).toBeNull();
  });
});

describe('unsuitable (AFTE), an examiner judgement', () => {
  it('examiner marks and clears with reasons audited before/after; technician is refused; stale version conflicts', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client, host } = station;
    const it1 = await item(client);
    const bytes = new Uint8Array(readFileSync(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png')));
    const acq = await client.call('acquisitions.import', {
      itemId: it1.id,
      region: 'breech_face',
      fileName: 'bf.png',
      bytes,
    });
    const technician = await userClient(station, 'technician');
    await expectAppError(
      technician.call('acquisitions.markUnsuitable', { id: acq.id, version: acq.version, reason: 'smeared' }),
      'forbidden',
    );
    const examiner = await userClient(station, 'examiner');
    await expectAppError(
      examiner.call('acquisitions.import', { itemId: it1.id, region: 'whole', fileName: 'x.png', bytes }),
      'forbidden',
    );
    const marked = await examiner.call('acquisitions.markUnsuitable', {
      id: acq.id,
      version: acq.version,
      reason: 'primer smeared, no marks',
    });
    expect(marked.unsuitableReason).toBe('primer smeared, no marks');
    await expectAppError(
      examiner.call('acquisitions.clearUnsuitable', { id: acq.id, version: acq.version, reason: 'stale' }),
      'conflict',
    );
    const cleared = await examiner.call('acquisitions.clearUnsuitable', {
      id: acq.id,
      version: marked.version,
      reason: 'looked again under better light',
    });
    expect(cleared.unsuitableReason).toBeNull();
    const entries = host.db
      .prepare(
        "SELECT action, before_json, after_json, reason FROM audit_log WHERE entity_type = 'acquisition' AND action != 'acquisition.import' ORDER BY seq",
      )
      .all() as { action: string; before_json: string; after_json: string; reason: string }[];
    expect(entries.map((e) => e.action)).toEqual(['acquisition.unsuitable', 'acquisition.suitable']);
    expect(JSON.parse(entries[0].before_json)).toEqual({ unsuitableReason: null });
    expect(JSON.parse(entries[0].after_json)).toEqual({ unsuitableReason: 'primer smeared, no marks' });
    expect(entries[1].reason).toBe('looked again under better light');
  });
});
