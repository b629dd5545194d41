// A child process that writes cases as fast as it can through the host services, printing each committed
// lab case number; the test SIGKILLs it mid-stream and then checks the database it left behind.
import { createHost } from '../../../electron/host/createHost.ts';

const dataDir = process.argv[2];
const host = createHost({ dataDir, log: () => {} });
const adminId = host.auth.createUser({ userId: null, username: 'admin' }, { username: 'admin', displayName: 'Admin', role: 'admin', passwordHash: 'scrypt$1$1$1$AA==$AA==' }).id;
const actor = { userId: adminId, username: 'admin' };
for (let i = 0; ; i++) {
  const created = host.cases.createCase(actor, { labCaseNumber: `K-${i}`, status: 'open', agency: 'Crash PD', notes: 'x'.repeat(2000) });
  host.cases.createItem(actor, created.id, { kind: 'cartridge_case', exhibitNumber: 'Q1' });
  process.stdout.write(`K-${i}\n`);
}
