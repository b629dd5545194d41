// Fills a station's data folder before `casebench serve` opens it: an administrator with a known password
// and many cases, written through the host's own services (so every case has its audit entry) in one transaction.
import { createHost } from '../../../electron/host/createHost.ts';
import { hashPassword } from '../../../electron/host/services/passwords.ts';
import { caseCreateSchema } from '../../../electron/contract/cases.ts';

export const seedAgencies = ['Metro PD', 'County Sheriff', 'State Police', 'Harbor PD', 'Transit PD'];

/** The i-th seeded case; tests use it to know what the list must show. */
export function seededCase(i: number) {
  return {
    labCaseNumber: `LAB-${2020 + (i % 7)}-${String(i).padStart(5, '0')}`,
    status: i % 5 === 0 ? ('closed' as const) : ('open' as const),
    agency: seedAgencies[i % 5]!,
    offence: i % 3 ? 'Shooting' : 'Homicide',
    receivedDate: `202${i % 7}-0${1 + (i % 9)}-1${i % 9}`,
  };
}

export async function seedStation(
  dataDir: string,
  options: { cases: number; admin: { username: string; displayName: string; password: string } },
) {
  const host = createHost({ dataDir, log: () => {} });
  try {
    const passwordHash = await hashPassword(options.admin.password);
    const admin = host.auth.createUser(
      { userId: null, username: options.admin.username },
      { ...options.admin, role: 'admin', passwordHash },
    );
    const actor = { userId: admin.id, username: admin.username };
    host.db.transaction(() => {
      for (let i = 0; i < options.cases; i++) host.cases.createCase(actor, caseCreateSchema.parse(seededCase(i)));
    })();
  } finally {
    await host.close();
  }
}
