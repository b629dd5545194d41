// The station killed (SIGKILL of a real process) while it saves conclusions and amendments (it never stops on its
// own, so the kill always lands in the middle of writing): after the restart each record is either there with its
// audit entry and its comparison moved on (a verification opened, per the policy), or absent with none of those;
// the audit chain verifies and the database is intact.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from '../../../electron/host/createHost.ts';
import { verifyAuditTrail } from '../../../electron/host/services/auditVerification.ts';
import { startTestHost } from '../../fixtures/testHost.ts';
import { seedScans } from '../../fixtures/searchData.ts';

const station = startTestHost();
afterAll(() => station.dispose());

describe('a station killed while conclusions are saved', () => {
  it('leaves each conclusion committed with its audit entry, or absent', async () => {
    const { host } = station;
    const examiner = host.auth.createUser(
      { userId: null, username: 'setup' },
      { username: 'examiner1', displayName: 'E1', role: 'examiner', passwordHash: 'scrypt$1$1$1$AA==$AA==' },
    );
    // one reference acquisition against 12 others (the same scan, stored once): 12 comparisons to conclude
    const ids = seedScans(host, examiner.id, [
      { scan: '1-1', caseNumber: 'LAB-K', exhibit: 'Q0' },
      ...Array.from({ length: 12 }, (_, i) => ({ scan: '1-2', caseNumber: `LAB-K${i}`, exhibit: 'K1' })),
    ]);
    const viewer = { userId: examiner.id };
    const comparisons = ids.slice(1).map((b) =>
      host.examination.ctx.comparisons.insert({
        a: ids[0],
        b,
        origin: 'manual',
        openedBy: viewer.userId,
        openedAt: new Date().toISOString(),
      }),
    );
    await host.close();

    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, 'conclusions-child.ts'),
        station.dataDir,
        String(examiner.id),
        ...comparisons.map(String),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const saved: number[] = [];
    let buffer = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.startsWith('saved ')) saved.push(Number(line.slice(6)));
      // Killed in full flight: it is writing the next conclusion as this line arrives.
      if (saved.length >= 30 && !child.killed) child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    expect(saved.length).toBeGreaterThanOrEqual(30); // every comparison concluded, and amendments under way

    const after = createHost({ dataDir: station.dataDir, log: () => {} });
    try {
      const db = after.db;
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(verifyAuditTrail(after.db, after.audit).ok).toBe(true);
      const rows = db.prepare('SELECT id, comparison_id FROM conclusions ORDER BY id').all() as {
        id: number;
        comparison_id: number;
      }[];
      // everything the child said it saved is there (and at most the one in flight besides)
      expect(rows.map((r) => r.id).slice(0, saved.length)).toEqual(saved);
      expect(rows.length - saved.length).toBeLessThanOrEqual(1);
      const audited = db
        .prepare(
          "SELECT entity_id FROM audit_log WHERE action IN ('conclusion.record', 'conclusion.amend') ORDER BY seq",
        )
        .pluck()
        .all() as string[];
      expect(audited).toEqual(rows.map((r) => String(r.id)));
      // each amendment names the record before it, so every chain is whole: one record in force per comparison
      const current = db
        .prepare(
          'SELECT comparison_id, count(*) n FROM conclusions k WHERE NOT EXISTS (SELECT 1 FROM conclusions x WHERE x.amends = k.id) GROUP BY comparison_id',
        )
        .all() as { comparison_id: number; n: number }[];
      expect(current.every((c) => c.n === 1)).toBe(true);
      expect(current).toHaveLength(comparisons.length);
      for (const id of comparisons) {
        // the default policy verifies identifications: one verification opened with the first record, none after
        expect(db.prepare('SELECT state FROM comparisons WHERE id = ?').pluck().get(id)).toBe('awaiting_verification');
        expect(db.prepare('SELECT count(*) FROM verifications WHERE comparison_id = ?').pluck().get(id)).toBe(1);
      }
      expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'verification.open'").pluck().get()).toBe(
        comparisons.length,
      );
    } finally {
      after.close();
    }
  }, 120_000);
});
