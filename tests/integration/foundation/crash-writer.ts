// A child process that writes cases as fast as it can through the host services, printing each committed
// lab case number; the test SIGKILLs it mid-stream and then checks the database it left behind.
import { createHost } from '../../../electron/host/createHost.ts';
import { caseCreateSchema, itemFieldsSchema } from '../../../electron/contract/cases.ts';

const dataDir = process.argv[2];
const host = createHost({ dataDir, log: () => {} });
const adminId = host.auth.createUser(
  { userId: null, username: 'admin' },
  { username: 'admin', displayName: 'Admin', role: 'admin', passwordHash: 'scrypt$1$1$1$AA==$AA==' },
).id;
const actor = { userId: adminId, username: 'admin' };
for (let i = 0; ; i++) {
  const created = host.cases.createCase(
    actor,
    caseCreateSchema.parse({ labCaseNumber: `K-${i}`, agency: 'Crash PD', notes: 'x'.repeat(2000) }),
  );
  host.cases.createItem(actor, created.id, itemFieldsSchema.parse({ kind: 'cartridge_case', exhibitNumber: 'Q1' }));
  process.stdout.write(`K-${i}\n`);
}
