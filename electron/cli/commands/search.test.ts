// casebench search through the CLI dispatcher, on a real station folder holding real Fadul scans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../../tests/fixtures/cli.ts';
import { createHost } from '../../host/createHost.ts';
import { hashPassword } from '../../host/services/passwords.ts';
import { seedScans } from '../../../tests/fixtures/searchData.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'casebench-search-cli-'));
let ids: number[];

beforeAll(async () => {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const admin = host.auth.createUser(
      { userId: null, username: 'setup' },
      {
        username: 'admin',
        displayName: 'Admin',
        role: 'admin',
        passwordHash: await hashPassword('correct horse battery'),
      },
    );
    ids = seedScans(host, admin.id, [
      { scan: '1-1', caseNumber: 'LAB-Q', exhibit: 'Q1' },
      { scan: '2-1', caseNumber: 'LAB-K', exhibit: 'K2', recoveryDate: '2025-03-01' },
      { scan: '1-2', caseNumber: 'LAB-K', exhibit: 'K1', recoveryDate: '2025-03-01' },
      { scan: '3-1', caseNumber: 'LAB-X', exhibit: 'X1', calibre: '.45 ACP' },
    ]);
  } finally {
    await host.close();
  }
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('casebench search', () => {
  it('ranks the known match first by case/exhibit, lists every candidate and says what was done', async () => {
    const r = await cli('search', 'LAB-Q/Q1', '--top', '1', '--calibre', '9 mm Luger', '--data-dir', dataDir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/screened 2 of 2 candidates, fully scored 1 \(top 1\)/);
    expect(r.out).toMatch(/filters: calibre 9 mm Luger; acquired … to …; region breech_face/);
    const rows = r.out.split('\n').filter((l) => /^\s+\d+ {2}LAB-/.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/LAB-K \/ K1/);
    expect(rows[0]).toMatch(/ 0 of 717/);
    expect(rows[1]).toMatch(/not fully scored/);
    expect(r.err).toMatch(/scoring 1\/1/);
  }, 60_000);

  it('prints JSON with the filters applied, by item id and acquisition', async () => {
    const r = await cli(
      'search',
      String(1),
      '--acquisition',
      String(ids[0]),
      '--date-field',
      'recovered',
      '--from',
      '2025-01-01',
      '--top',
      '0',
      '--json',
      '--data-dir',
      dataDir,
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.filters).toMatchObject({ dateField: 'recovered', from: '2025-01-01', to: null });
    expect(result.candidates).toBe(2);
    expect(result.signatures.cached).toBe(3); // computed by the first search, kept in the database
    expect(result.fullyScored).toBe(0);
  }, 60_000);

  it('refuses bad arguments with usage or input errors', async () => {
    expect((await cli('search', '--data-dir', dataDir)).code).toBe(2);
    expect((await cli('search', 'LAB-Q/Q1', '--top', 'many', '--data-dir', dataDir)).code).toBe(2);
    expect((await cli('search', 'LAB-Q/Q1', '--from', '2025-13', '--data-dir', dataDir)).code).toBe(2);
    const missing = await cli('search', 'LAB-NONE/Z9', '--data-dir', dataDir);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/no item "LAB-NONE\/Z9"/);
    const wrong = await cli('search', 'LAB-Q/Q1', '--acquisition', String(ids[1]), '--data-dir', dataDir);
    expect(wrong.code).toBe(3);
  }, 60_000);
});
