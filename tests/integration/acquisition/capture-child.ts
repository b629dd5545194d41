// A station process that calibrates the demo rig and captures an item, printing each progress step (in the CLI's words); the
// test SIGKILLs it mid-capture and then opens the station folder it left behind.
import { createHost } from '../../../electron/host/createHost.ts';
import { captureStepText } from '../../../electron/cli/progressText.ts';

const dataDir = process.argv[2];
const host = createHost({ dataDir, log: () => {} });
const admin = host.auth.createUser(
  { userId: null, username: 'setup' },
  { username: 'admin', displayName: 'Admin', role: 'admin', passwordHash: 'scrypt$1$1$1$AA==$AA==' },
);
const actor = { userId: admin.id, username: 'admin' };
const theCase = host.cases.createCase(actor, {
  labCaseNumber: 'LAB-K',
  status: 'open',
  agency: null,
  agencyCaseNumber: null,
  offence: null,
  offenceDate: null,
  receivedDate: null,
  notes: null,
});
const item = host.cases.createItem(actor, theCase.id, { kind: 'cartridge_case', exhibitNumber: 'Q1' } as Parameters<
  typeof host.cases.createItem
>[2]);
const signal = new AbortController().signal;
await host.capture.runCalibration(actor, 'all', () => undefined, signal);
process.stdout.write(`item ${item.id}\n`);
await host.capture.capture(
  actor,
  { itemId: item.id, regions: ['breech_face', 'firing_pin'] },
  (_f, step) => process.stdout.write(`progress ${captureStepText(step)}\n`),
  signal,
);
process.stdout.write('done\n');
await host.close();
