// No file path crosses the contract: bundles are written to and read from the station's transfer folders by
// a chosen name only, and an export never replaces a file. Before this, a manager's exportBundle with the
// station's own SQLite file as the path replaced the database with a zip, and importBundle read any path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeCa, writeCredentials } from '../../../electron/network/pki.ts';
import { enqueueSubmission, stationSigner } from '../../../electron/network/outbox/enqueue.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { makeArtifact, makePki, removeDir, submissionInput, tempDir, type TestPki } from './harness.ts';

let dir: string;
let pki: TestPki;
beforeAll(async () => {
  dir = tempDir('confined');
  pki = await makePki(join(dir, 'pki'));
});
afterAll(() => removeDir(dir));

async function stationWithQueuedJob() {
  const dataDir = tempDir('confined-station');
  writeCa(join(dataDir, 'network'), pki.ca);
  writeCredentials(join(dataDir, 'network'), 'station', pki.lab1);
  const station = await startSignedIn({ dataDir });
  const signer = stationSigner(pki.lab1, pki.ca.certificate);
  enqueueSubmission(
    new OutboxRepo(station.host.db),
    signer,
    submissionInput('CF-1', 'Q1', [makeArtifact(dataDir, 2048)]),
  );
  return station;
}

describe('file names instead of host paths', () => {
  it('refuses paths and dot names for every bundle call, whatever the role', async () => {
    const station = await stationWithQueuedJob();
    try {
      const database = join(station.dataDir, 'casebench.sqlite');
      for (const name of [
        database,
        '../casebench.sqlite',
        '..',
        '.',
        '/etc/passwd',
        'exports/x.zip',
        '..\\x.zip',
        '.hidden',
        'NUL',
        'a\u0000b',
        'bundle.zip ',
        '',
        'é'.repeat(150), // 150 characters but 300 bytes: more than a file system takes
      ]) {
        await expect(station.client.call('outbox.exportBundle', { name }), name).rejects.toMatchObject({
          code: 'invalid_input',
        });
        await expect(station.client.call('outbox.importBundle', { name }), name).rejects.toMatchObject({
          code: 'invalid_input',
        });
        await expect(station.client.call('outbox.importResults', { name }), name).rejects.toMatchObject({
          code: 'invalid_input',
        });
      }
      // The database is still a database, and the station still works.
      expect(readFileSync(database).subarray(0, 15).toString()).toBe('SQLite format 3');
      expect((await station.client.call('outbox.list', {})).jobs).toHaveLength(1);
    } finally {
      await station.dispose();
    }
  });

  it('writes a bundle into the exports folder only, never over an existing file', async () => {
    const station = await stationWithQueuedJob();
    try {
      // The database's own name is just a name in the exports folder.
      const made = await station.client.call('outbox.exportBundle', { name: 'casebench.sqlite' });
      expect(made).toMatchObject({ jobs: 1, name: 'casebench.sqlite' });
      const exported = join(station.dataDir, 'exports', 'casebench.sqlite');
      expect(readFileSync(exported).subarray(0, 2).toString()).toBe('PK');
      expect(readFileSync(join(station.dataDir, 'casebench.sqlite')).subarray(0, 15).toString()).toBe(
        'SQLite format 3',
      );

      const listed = await station.client.call('files.list', { area: 'exports' });
      expect(listed.folder).toBe(join(station.dataDir, 'exports'));
      expect(listed.files.map((f) => f.name)).toEqual(['casebench.sqlite']);

      // A second job, exported under a name already taken: refused, the first bundle untouched, the job still queued.
      const signer = stationSigner(pki.lab1, pki.ca.certificate);
      enqueueSubmission(
        new OutboxRepo(station.host.db),
        signer,
        submissionInput('CF-1', 'Q2', [makeArtifact(station.dataDir, 512)]),
      );
      const before = readFileSync(exported);
      await expect(station.client.call('outbox.exportBundle', { name: 'casebench.sqlite' })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/never replaced/),
      });
      expect(readFileSync(exported).equals(before)).toBe(true);
      expect((await station.client.call('outbox.list', { states: ['queued'] })).jobs).toHaveLength(2);
      expect((await station.client.call('outbox.exportBundle', { name: 'second.cbbundle' })).jobs).toBe(1);
      // No temporary file is left behind or listed.
      expect((await station.client.call('files.list', { area: 'exports' })).files.map((f) => f.name).sort()).toEqual([
        'casebench.sqlite',
        'second.cbbundle',
      ]);
    } finally {
      await station.dispose();
    }
  });

  it('reads bundles from the imports folder only; an absent name says so without probing the host', async () => {
    const sender = await stationWithQueuedJob();
    const receiver = await stationWithQueuedJob();
    try {
      await sender.client.call('outbox.exportBundle', { name: 'to-relay.cbbundle' });
      await expect(receiver.client.call('outbox.importBundle', { name: 'to-relay.cbbundle' })).rejects.toMatchObject({
        code: 'not_found',
        message: 'there is no file named "to-relay.cbbundle" in the imports folder',
      });
      mkdirSync(join(receiver.dataDir, 'imports'), { recursive: true });
      copyFileSync(
        join(sender.dataDir, 'exports', 'to-relay.cbbundle'),
        join(receiver.dataDir, 'imports', 'to-relay.cbbundle'),
      );
      expect(await receiver.client.call('outbox.importBundle', { name: 'to-relay.cbbundle' })).toEqual({
        imported: 1,
        alreadyKnown: 0,
      });
      // A link in the imports folder is not followed.
      symlinkSync(join(receiver.dataDir, 'casebench.sqlite'), join(receiver.dataDir, 'imports', 'db-link'));
      await expect(receiver.client.call('outbox.importBundle', { name: 'db-link' })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/not a plain file/),
      });
      expect(statSync(join(receiver.dataDir, 'casebench.sqlite')).size).toBeGreaterThan(0);
    } finally {
      await sender.dispose();
      await receiver.dispose();
    }
  });

  it('the shell calls take names too, and answer unavailable outside the desktop app', async () => {
    const station = await startSignedIn();
    try {
      await expect(
        station.client.call('shell.revealInFolder', { area: 'exports', name: '../casebench.sqlite' }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(station.client.call('shell.revealInFolder', { area: 'exports' })).rejects.toMatchObject({
        code: 'unavailable',
      });
      await expect(
        station.client.call('shell.exportFile', { title: 'Save', name: '/etc/passwd' }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    } finally {
      await station.dispose();
    }
  });
});
