// Correlation notes as the SQLite hub keeps them: English strings in correlation_notes (what a hub front end of the
// previous release reads and passes to stations that take strings only) and the codes beside them, read back together
// by this release. The PostgreSQL store is pinned the same way in postgres/migrate.test.ts (0008).
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubNote, notesFromStore } from './notes.ts';
import { openSqliteRecords } from './sqliteRecords.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const id = '11111111-1111-4111-8111-111111111111';
const submission = {
  id,
  idempotencyKey: id,
  labId: 'LAB-1',
  stationId: 'ST-1',
  caseRef: 'C',
  itemRef: 'I',
  calibre: '9mm Luger',
  manifest: {
    protocol: 'casebench-exchange/1' as const,
    idempotencyKey: id,
    lab: { labId: 'LAB-1', stationId: 'ST-1' },
    createdAt: new Date(0).toISOString(),
    caseRef: 'C',
    itemRef: 'I',
    specimen: { calibre: '9mm Luger' },
    artifacts: [
      { role: 'x3p' as const, name: 'a.x3p', mediaType: 'application/x3p+zip', sha256: 'a'.repeat(64), size: 1 },
    ],
  },
  manifestSha256: 'b'.repeat(64),
  signature: 'c',
  createdAt: new Date(0).toISOString(),
};

describe('stored correlation notes (SQLite hub)', () => {
  it('keeps English strings where older front ends read them, and the codes beside them for this release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-notes-'));
    dirs.push(dir);
    const path = join(dir, 'hub.sqlite');
    const records = openSqliteRecords(path);
    const notes = [hubNote('no_topography'), { text: 'an uncoded note' }, hubNote('more_notes', { count: 3 })];
    try {
      records.insert(submission, 'cert');
      records.saveCorrelation(id, [], notes, new Date(1_000).toISOString());
      expect(records.correlationNotes(id)).toEqual(notes);
    } finally {
      records.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      const row = db.prepare('SELECT correlation_notes FROM submissions WHERE id = ?').get(id) as {
        correlation_notes: string;
      };
      expect(JSON.parse(row.correlation_notes)).toEqual(notes.map((note) => note.text)); // strings only
    } finally {
      db.close();
    }
  });

  it('reads rows from before codes, and rows of an interim build that stored note objects', () => {
    expect(notesFromStore(['old English'], null)).toEqual([{ text: 'old English' }]);
    expect(notesFromStore([{ code: 'no_topography', values: {}, text: 'x' }], null)).toEqual([
      { code: 'no_topography', values: {}, text: 'x' },
    ]);
    // Codes that do not line up with the texts (an older worker correlated again and rewrote the texts only) are not
    // guessed at.
    expect(notesFromStore(['a', 'b'], [{ code: 'no_topography', values: {}, text: 'a' }])).toEqual([
      { text: 'a' },
      { text: 'b' },
    ]);
    expect(notesFromStore(['newer text'], [{ code: 'no_topography', values: {}, text: 'older text' }])).toEqual([
      { text: 'newer text' },
    ]);
    expect(notesFromStore(null, null)).toEqual([]);
  });
});
