// The audit trail is checkable without trusting the database file (issue 10, items 4 and 5). Each test plays a
// person with write access to the SQLite file (the sqlite3 shell: triggers dropped, foreign keys off) and shows
// what `audit verify` and `evidence verify` now report. Before the station key and its checkpoints, a rewritten
// and re-chained entry, entries cut off the end with sqlite_sequence lowered, a dropped trigger, and a direct
// edit of a case all passed `audit verify`.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodePng } from '../../../electron/analysis/calibration/png.ts';
import { verifyAuditTrail } from '../../../electron/host/services/auditVerification.ts';
import { migrations } from '../../../electron/host/storage/migrations/index.ts';
import { openDatabase } from '../../../electron/host/storage/database.ts';
import { AuditRepo, entryHash, GENESIS_HASH } from '../../../electron/host/storage/repos/auditRepo.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { examinationStation } from '../../fixtures/examinationStation.ts';
import { cli } from '../../fixtures/cli.ts';
import { enqueueSubmission, stationSigner } from '../../../electron/network/outbox/enqueue.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import { makeArtifact, makePki, submissionInput } from '../network/harness.ts';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup) await f();
  cleanup = [];
});

async function stationWithCases(n: number) {
  const station = await startSignedIn();
  cleanup.push(station.dispose);
  for (let i = 0; i < n; i++) await station.client.call('cases.create', { labCaseNumber: `K-${i}` });
  return { ...station, dbPath: join(station.dataDir, 'casebench.sqlite') };
}

/** The tamperer's tool: the database file opened directly, protections off. */
function tamper(dbPath: string, work: (db: Database.Database) => void) {
  const db = new Database(dbPath);
  db.pragma('foreign_keys = OFF');
  try {
    work(db);
  } finally {
    db.close();
  }
}

/** Recomputes every hash from `fromSeq` on, as anyone who read the source could. */
function rechain(db: Database.Database, fromSeq: number) {
  const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(fromSeq) as Record<
    string,
    unknown
  >[];
  let prev =
    (db
      .prepare('SELECT hash FROM audit_log WHERE seq = ?')
      .pluck()
      .get(fromSeq - 1) as string | undefined) ?? GENESIS_HASH;
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const hash = entryHash(prev, row as never);
    update.run(prev, hash, row.seq);
    prev = hash;
  }
}

function triggerSql(db: Database.Database, name: string): string {
  return db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(name) as string;
}

const kinds = (result: { problems: { kind: string }[] }) => [...new Set(result.problems.map((p) => p.kind))].sort();

describe('keyed audit trail', () => {
  it('an intact station verifies, keyed, with its latest checkpoint from the file beside the database', async () => {
    const { host, dbPath } = await stationWithCases(3);
    const result = verifyAuditTrail(host.db, host.audit);
    expect(result).toMatchObject({ ok: true, problems: [], keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(result.latestCheckpoint).toMatchObject({ seq: host.audit.count(), source: 'checkpoints file' });
    expect(existsSync(`${dbPath}.audit-key`)).toBe(true);
    const lines = readFileSync(`${dbPath}.checkpoints`, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ seq: host.audit.count(), keyId: result.keyId });
  });

  it('catches an entry rewritten and the chain recomputed', async () => {
    const { host, dbPath } = await stationWithCases(4);
    tamper(dbPath, (db) => {
      db.exec('DROP TRIGGER audit_log_no_update');
      db.prepare(`UPDATE audit_log SET after_json = '{"labCaseNumber":"FORGED"}' WHERE seq = 3`).run();
      rechain(db, 3);
    });
    const result = verifyAuditTrail(host.db, host.audit);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ seq: 3, reason: expect.stringMatching(/station audit key/) });
    expect(result.problems).toContainEqual(expect.objectContaining({ kind: 'unauthenticated', seq: 3 }));
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'trigger', subject: 'trigger audit_log_no_update' }),
    );
    // The checkpoints file vouches for the old hashes.
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint', message: expect.stringMatching(/rewritten/) }),
    );
  });

  it('catches entries cut off the end with sqlite_sequence lowered, through the checkpoints kept outside', async () => {
    const { host, dbPath } = await stationWithCases(4);
    const before = host.audit.count();
    tamper(dbPath, (db) => {
      db.exec('DROP TRIGGER audit_log_no_delete');
      db.prepare('DELETE FROM audit_log WHERE seq > ?').run(before - 2);
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'").run(before - 2);
      db.exec(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`);
      // and the cases those entries created, so nothing is left without its entry
      db.prepare('DELETE FROM cases WHERE lab_case_number IN (?, ?)').run('K-2', 'K-3');
    });
    const result = verifyAuditTrail(host.db, host.audit);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        kind: 'checkpoint',
        seq: before,
        message: expect.stringMatching(new RegExp(`vouches for ${before} entries; the log has only ${before - 2}`)),
      }),
    );
  });

  it('names a dropped, altered or added trigger', async () => {
    const { host, dbPath } = await stationWithCases(1);
    tamper(dbPath, (db) => {
      db.exec('DROP TRIGGER evidence_files_no_delete');
      db.exec('DROP TRIGGER audit_log_no_update');
      db.exec('CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END;');
      db.exec('CREATE TRIGGER sneaky AFTER INSERT ON cases BEGIN SELECT 1; END;');
    });
    const result = verifyAuditTrail(host.db, host.audit);
    expect(result.problems.filter((p) => p.kind === 'trigger').map((p) => [p.subject, p.message])).toEqual([
      ['trigger audit_log_no_update', 'the trigger on audit_log was altered'],
      ['trigger evidence_files_no_delete', 'the trigger on evidence_files is missing (dropped)'],
      ['trigger sneaky', 'an unexpected trigger on cases was added'],
    ]);
  });

  it('finds cases, items and evidence changed or added around the station', async () => {
    const { host, client, dbPath } = await stationWithCases(2);
    const c = (await client.call('cases.list', {})).rows[0];
    const item = await client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '9mm Luger' },
    });
    await client.call('items.update', {
      id: item.id,
      version: item.version,
      fields: { calibre: '.40 S&W' },
      reason: 'typo',
    });
    expect(verifyAuditTrail(host.db, host.audit).ok).toBe(true);
    tamper(dbPath, (db) => {
      db.prepare('UPDATE cases SET agency = ? WHERE id = ?').run('Forged PD', c.id);
      db.prepare('UPDATE items SET calibre = ? WHERE id = ?').run('.45 ACP', item.id);
      db.prepare(
        `INSERT INTO cases (lab_case_number, status, created_at, updated_at, created_by) VALUES ('PLANTED', 'open', 'x', 'x', 1)`,
      ).run();
      db.prepare(
        `INSERT INTO evidence_files (sha256, size, media_type, stored_at) VALUES (?, 1, 'image/png', 'x')`,
      ).run('f'.repeat(64));
    });
    const result = verifyAuditTrail(host.db, host.audit);
    expect(kinds(result)).toEqual(['differs', 'unaudited']);
    const bySubject = Object.fromEntries(result.problems.map((p) => [p.subject, p.message]));
    expect(bySubject[`case ${c.id}`]).toMatch(/agency is "Forged PD" but its audit entries say null/);
    expect(bySubject[`item ${item.id}`]).toMatch(/calibre is ".45 ACP" but its audit entries say ".40 S&W"/);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'unaudited', subject: expect.stringMatching(/^case \d+$/) }),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'unaudited', subject: `evidence ${'f'.repeat(64)}` }),
    );
  });

  it('names a record renamed around the station as the trail recorded it, with both values, on the screen’s call', async () => {
    const { client, dbPath } = await stationWithCases(1);
    const c = (await client.call('cases.list', {})).rows[0];
    const item = await client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1', calibre: '9mm Luger' },
    });
    expect((await client.call('audit.verify', {})).ok).toBe(true);
    // Q1 becomes Q9 in the file, its case is renumbered, a note grows to a megabyte, a checkpoint line is garbage.
    tamper(dbPath, (db) => {
      db.prepare('UPDATE items SET exhibit_number = ?, calibre = ? WHERE id = ?').run('Q9', 'x'.repeat(1e6), item.id);
      db.prepare('UPDATE cases SET lab_case_number = ? WHERE id = ?').run('K-FORGED', c.id);
    });
    writeFileSync(`${dbPath}.checkpoints`, `${readFileSync(`${dbPath}.checkpoints`, 'utf8')}not a checkpoint\n`);
    const result = await client.call('audit.verify', {});
    const ofItem = result.problems.filter((p) => p.finding?.record?.type === 'item');
    expect(ofItem).toContainEqual(
      expect.objectContaining({
        subject: `item ${item.id}`,
        finding: expect.objectContaining({
          code: 'field_changed',
          values: { field: 'exhibitNumber', stored: 'Q9', audited: 'Q1' },
        }),
        // As the audit trail last recorded it, not as the tampered database says; the current name beside it.
        recordLabel: 'K-0 / Q1',
        currentLabel: 'K-FORGED / Q9',
      }),
    );
    const calibre = ofItem.find((p) => p.finding?.values?.field === 'calibre')!;
    expect(calibre.finding?.values).toMatchObject({ audited: '9mm Luger', stored: `${'x'.repeat(120)}…` });
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        finding: expect.objectContaining({
          code: 'field_changed',
          values: { field: 'labCaseNumber', stored: 'K-FORGED', audited: 'K-0' },
        }),
        recordLabel: 'K-0',
        currentLabel: 'K-FORGED',
      }),
    );
    const lines = readFileSync(`${dbPath}.checkpoints`, 'utf8').trim().split('\n').length;
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        finding: { code: 'checkpoint_unreadable', values: { checkpointLine: lines } },
      }),
    );
  });

  it('names records deleted around the station as the trail last recorded them, a calibration by its reference', async () => {
    const { host, client, dbPath } = await stationWithCases(1);
    const c = (await client.call('cases.list', {})).rows[0];
    const item = await client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' },
    });
    // A calibration as the station records one: the row, and its audit entry naming it by its lab reference.
    const made = {
      kind: 'scale' as const,
      rigProfile: 'Bench A',
      deviceSerials: { camera: 'CB-0001' },
      passed: true,
      messages: [],
      expiresAt: '2026-12-31T00:00:00.000Z',
      reportSha256: null,
    };
    const calibrationId = host.db.transaction(() => {
      const id = host.acquisitions.calibrations.insert({
        ...made,
        operatorId: 1,
        performedAt: '2026-11-02T09:00:00.000Z',
        results: { passed: true, messages: [] },
      });
      const reference = host.acquisitions.calibrations.get(id)!.reference;
      host.audit.append(
        { userId: 1, username: 'admin' },
        { action: 'calibration.run', entityType: 'calibration', entityId: id, after: { reference, ...made } },
      );
      return id;
    })();
    expect(host.acquisitions.calibrations.get(calibrationId)?.reference).toBe('CAL-2026-0001');
    expect((await client.call('audit.verify', {})).ok).toBe(true);
    tamper(dbPath, (db) => {
      db.exec('DROP TRIGGER IF EXISTS calibrations_no_update');
      db.prepare('UPDATE calibrations SET rig_profile = ? WHERE id = ?').run('Bench B', calibrationId);
    });
    const changed = (await client.call('audit.verify', {})).problems.find(
      (p) => p.finding?.record?.type === 'calibration',
    );
    expect(changed).toMatchObject({ finding: { code: 'field_changed' }, recordLabel: 'CAL-2026-0001' });
    tamper(dbPath, (db) => {
      db.exec('DROP TRIGGER IF EXISTS calibrations_no_delete');
      db.prepare('DELETE FROM calibrations WHERE id = ?').run(calibrationId);
      db.prepare('DELETE FROM items WHERE id = ?').run(item.id);
      db.prepare('DELETE FROM cases WHERE id = ?').run(c.id);
    });
    const result = await client.call('audit.verify', {});
    const deleted = result.problems
      .filter((p) => p.finding?.code === 'record_deleted')
      .map((p) => [p.finding?.record?.type, p.recordLabel]);
    // Not "case 1", "item 1", "calibration 1": the lab's references as the audit trail last recorded them.
    expect(deleted).toEqual(
      expect.arrayContaining([
        ['case', 'K-0'],
        ['item', 'K-0 / Q1'],
        ['calibration', 'CAL-2026-0001'],
      ]),
    );
  });

  it('finds a conclusion rewritten or removed in the file, even with its trigger put back', async () => {
    const s = await examinationStation();
    cleanup.push(s.dispose);
    const dbPath = join(s.dataDir, 'casebench.sqlite');
    const ws = await s.e1.call('examinations.open', {
      a: await s.fadul('LAB-1', 'Q1', '2-1'),
      b: await s.fadul('LAB-1', 'K1', '2-2'),
    });
    const record = (conclusion: 'identification' | 'elimination') =>
      s.e1.call('conclusions.record', { comparisonId: ws.comparison.id, conclusion, basis: 'Agreement of marks.' });
    const { conclusion } = await record('elimination');
    expect(verifyAuditTrail(s.host.db, s.host.audit).ok).toBe(true);
    tamper(dbPath, (db) => {
      // The tamperer lifts the write-once trigger, rewrites the finding, and puts the trigger back as it was.
      const trigger = triggerSql(db, 'conclusions_no_update');
      db.exec('DROP TRIGGER conclusions_no_update');
      db.prepare("UPDATE conclusions SET conclusion = 'identification', basis = 'Forged.' WHERE id = ?").run(
        conclusion.id,
      );
      db.exec(trigger);
    });
    const result = verifyAuditTrail(s.host.db, s.host.audit);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        kind: 'differs',
        subject: `conclusion ${conclusion.id}`,
        message: expect.stringMatching(/conclusion is "identification" but its audit entry says "elimination"/),
        // What the screen words: the finding, its field, and the record it concerns.
        finding: {
          code: 'field_changed',
          values: { field: 'conclusion', stored: 'identification', audited: 'elimination' },
          // Named by its comparison's two sides, as the lab knows it (not "conclusion {id}").
          record: { type: 'conclusion', id: String(conclusion.id), label: 'LAB-1 / Q1 ↔ LAB-1 / K1' },
        },
      }),
    );
    tamper(dbPath, (db) => {
      const trigger = triggerSql(db, 'conclusions_no_delete');
      db.exec('DROP TRIGGER conclusions_no_delete');
      db.prepare('DELETE FROM conclusions WHERE id = ?').run(conclusion.id);
      db.exec(trigger);
    });
    expect(verifyAuditTrail(s.host.db, s.host.audit).problems).toContainEqual(
      expect.objectContaining({
        kind: 'differs',
        subject: `conclusion ${conclusion.id}`,
        message: expect.stringMatching(/gone/),
        finding: {
          code: 'record_deleted',
          record: { type: 'conclusion', id: String(conclusion.id), label: 'LAB-1 / Q1 ↔ LAB-1 / K1' },
        },
      }),
    );
  });

  it('a missing key stops new entries and is reported, instead of silently starting a new chain', async () => {
    const { host, dbPath } = await stationWithCases(2);
    await host.close();
    rmSync(`${dbPath}.audit-key`);
    const db = openDatabase(dbPath);
    cleanup.unshift(() => db.close());
    const audit = new AuditRepo(db);
    expect(existsSync(`${dbPath}.audit-key`)).toBe(false);
    expect(() =>
      db.transaction(() => audit.append({ userId: null, username: 'x' }, { action: 'a', entityType: 'e' }))(),
    ).toThrow(/audit key .* is missing/);
    expect(verifyAuditTrail(db, audit).problems).toContainEqual(expect.objectContaining({ kind: 'key' }));
  });

  it('a checkpoint carried away (a case package) shows entries cut off even when the checkpoints file is gone too', async () => {
    const { host, client, dataDir, dbPath } = await stationWithCases(2);
    const carried = host.audit.latestCheckpoint()!;
    expect(carried).toMatchObject({ seq: host.audit.count(), keyId: host.audit.keyId });
    const copy = join(mkdtempSync(join(tmpdir(), 'carried-')), 'checkpoint.json');
    writeFileSync(copy, JSON.stringify(carried));
    const forged = join(mkdtempSync(join(tmpdir(), 'forged-')), 'checkpoint.json');
    writeFileSync(forged, JSON.stringify({ ...carried, seq: carried.seq + 5 }));
    await client.call('cases.create', { labCaseNumber: 'LATER' });
    await host.close();
    tamper(dbPath, (db) => {
      db.exec('DROP TRIGGER audit_log_no_delete');
      db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(carried.seq - 1);
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'").run(carried.seq - 2);
      db.exec(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`);
    });
    rmSync(`${dbPath}.checkpoints`);
    const withCopy = await cli('audit', 'verify', '--data-dir', dataDir, '--checkpoint', copy, '--checkpoint', forged);
    expect(withCopy.code).toBe(1);
    expect(withCopy.out).toContain(`vouches for ${carried.seq} entries; the log has only ${carried.seq - 2}`);
    expect(withCopy.out).toMatch(
      /CHECKPOINT entry \d+ .*forged-.*: the checkpoint was not made with the station audit key/,
    );
  });

  it('the checkpoint a network submission carried shows entries cut off, with the checkpoints file gone', async () => {
    const { host, client, dataDir, dbPath } = await stationWithCases(2);
    const pki = await makePki(join(dataDir, 'pki'));
    const signer = stationSigner(pki.lab1, pki.ca.certificate);
    const job = host.db.transaction(() =>
      enqueueSubmission(new OutboxRepo(host.db), signer, {
        ...submissionInput('K-0', 'Q1', [makeArtifact(dataDir, 64)]),
        auditCheckpoint: host.audit.latestCheckpoint(),
      }),
    )();
    expect(job.manifest.auditCheckpoint?.seq).toBe(host.audit.count());
    await client.call('cases.create', { labCaseNumber: 'AFTER' });
    tamper(dbPath, (db) => {
      db.exec('DROP TRIGGER audit_log_no_delete');
      db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(job.manifest.auditCheckpoint!.seq);
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'").run(
        job.manifest.auditCheckpoint!.seq - 1,
      );
    });
    rmSync(`${dbPath}.checkpoints`);
    expect(verifyAuditTrail(host.db, host.audit).problems).toContainEqual(
      expect.objectContaining({ kind: 'checkpoint', subject: `network submission (job ${job.id})` }),
    );
  });

  it('a station from before keyed audit is keyed on upgrade, and its earlier entries stay covered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'legacy-audit-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'casebench.sqlite');
    // A database at schema 52 with three hash-chained entries, as stations wrote them before.
    const old = new Database(dbPath);
    for (const m of migrations.filter((m) => m.version <= 52)) m.up(old);
    old.pragma('user_version = 52');
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const row = {
        seq,
        at: `2025-01-0${seq}T00:00:00.000Z`,
        user_id: null,
        username: 'old',
        action: 'case.note',
        entity_type: 'note',
        entity_id: String(seq),
        case_id: null,
        before_json: null,
        after_json: null,
        reason: null,
      };
      const hash = entryHash(prev, row);
      old
        .prepare(
          `INSERT INTO audit_log (seq, at, user_id, username, action, entity_type, entity_id, case_id, before_json, after_json, reason, prev_hash, hash)
           VALUES (@seq, @at, @user_id, @username, @action, @entity_type, @entity_id, @case_id, @before_json, @after_json, @reason, @prev, @hash)`,
        )
        .run({ ...row, prev, hash });
      prev = hash;
    }
    old.close();

    const db = openDatabase(dbPath);
    const audit = new AuditRepo(db);
    expect(JSON.parse(readFileSync(`${dbPath}.audit-key`, 'utf8')).legacy).toEqual({ count: 3, lastHash: prev });
    expect(verifyAuditTrail(db, audit)).toMatchObject({ ok: true, checked: 3 });
    db.transaction(() => audit.append({ userId: null, username: 'new' }, { action: 'a', entityType: 'note' }))();
    expect(verifyAuditTrail(db, audit)).toMatchObject({ ok: true, checked: 4 });
    db.close();
    // Rewriting an old, unkeyed entry and re-chaining everything is caught by the first keyed entry.
    tamper(dbPath, (raw) => {
      raw.exec('DROP TRIGGER audit_log_no_update');
      raw.prepare(`UPDATE audit_log SET username = 'someone else' WHERE seq = 2`).run();
      rechain(raw, 2);
      raw.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`);
    });
    const again = openDatabase(dbPath);
    cleanup.unshift(() => again.close());
    const result = verifyAuditTrail(again, new AuditRepo(again));
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.kind, p.seq])).toEqual(
      expect.arrayContaining([
        ['chain', 3],
        ['unauthenticated', 4],
      ]),
    );
  });
});

describe('commands that verify never create a station', () => {
  it('audit verify and evidence verify on a mistyped --data-dir say so and leave nothing behind', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'typo-'));
    cleanup.push(() => rmSync(parent, { recursive: true, force: true }));
    const typo = join(parent, 'Casebnech');
    for (const command of [
      ['audit', 'verify'],
      ['evidence', 'verify'],
    ]) {
      const result = await cli(...command, '--data-dir', typo);
      expect(result.code, command.join(' ')).toBe(3);
      expect(result.err).toMatch(/there is no station database at .*Casebnech/);
      expect(existsSync(typo)).toBe(false);
    }
  });
});

describe('evidence verify', () => {
  it('reports a file whose record was deleted while an acquisition still points to it', async () => {
    const station = await startSignedIn();
    cleanup.push(station.dispose);
    const { client, host, dataDir } = station;
    const c = await client.call('cases.create', { labCaseNumber: 'EV-1' });
    const item = await client.call('items.create', {
      caseId: c.id,
      fields: { kind: 'cartridge_case', exhibitNumber: 'Q1' },
    });
    const png = encodePng({ width: 4, height: 4, bitDepth: 8, colour: 'grey', data: new Uint8Array(16).fill(90) });
    const acquisition = await client.call('acquisitions.import', {
      itemId: item.id,
      region: 'whole',
      fileName: 'q1.png',
      bytes: png,
    });
    const sha256 = acquisition.files[0].sha256;
    expect((await client.call('evidence.verify', {})).ok).toBe(true);
    tamper(join(dataDir, 'casebench.sqlite'), (db) => {
      db.exec('DROP TRIGGER evidence_files_no_delete');
      db.prepare('DELETE FROM evidence_files WHERE sha256 = ?').run(sha256);
    });
    rmSync(host.evidence.pathOf(sha256), { force: true });
    const result = await client.call('evidence.verify', {});
    expect(result.ok).toBe(false);
    expect(result.missingRecords).toEqual([
      {
        sha256,
        referencedBy: `acquisition_files.sha256 (acquisition_id ${acquisition.id}, role original)`,
        fileOnDisk: false,
      },
    ]);
    const printed = await cli('evidence', 'verify', '--data-dir', dataDir);
    expect(printed.code).toBe(1);
    expect(printed.out).toContain(`NO RECORD  ${sha256}  referenced by acquisition_files.sha256`);
    // audit verify sees it too: the evidence was stored, and its record is gone.
    expect(verifyAuditTrail(host.db, host.audit).problems).toContainEqual(
      expect.objectContaining({ kind: 'differs', subject: `evidence ${sha256}` }),
    );
  });
});
