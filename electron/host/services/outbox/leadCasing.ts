// A lead's other casing, once fetched, becomes a local acquisition so that the comparison screen
// (/compare/:a/:b, acquisitions on both sides) can open it next to ours. It is kept apart from the lab's own
// exhibits: an item of the station's reference case NETWORK-LEADS, named by the other lab's references, its X3P
// imported like any scan made elsewhere (stored unmodified, audited). Fetching the same casing again reuses both.
import { caseCreateSchema, itemFieldsSchema } from '../../../contract/cases.ts';
import type { Lead } from '../../../network/protocol.ts';
import type { Actor } from '../../storage/repos/auditRepo.ts';
import { CasesRepo } from '../../storage/repos/casesRepo.ts';
import type { Db } from '../../storage/database.ts';
import type { CasesService } from '../casesService.ts';
import type { AcquisitionService } from '../acquisition/acquisitionService.ts';
import { AcquisitionsRepo } from '../../storage/repos/acquisitionsRepo.ts';

export const leadsCaseNumber = 'NETWORK-LEADS';

export interface LeadCasingDeps {
  db: Db;
  cases: CasesService;
  acquisitions: AcquisitionService;
}

/** The local acquisition holding a lead's other casing (its X3P), made on the first call. */
export function registerLeadCasing(
  deps: LeadCasingDeps,
  actor: Actor & { userId: number },
  lead: Lead,
  x3p: { name: string; sha256: string; bytes: Uint8Array },
): number {
  const existing = new AcquisitionsRepo(deps.db).withTopography(x3p.sha256);
  if (existing !== undefined) return existing;
  const repo = new CasesRepo(deps.db);
  return deps.db.transaction(() => {
    const kase =
      repo.byLabCaseNumber(leadsCaseNumber) ??
      deps.cases.createCase(
        actor,
        caseCreateSchema.parse({
          labCaseNumber: leadsCaseNumber,
          notes:
            'Casings of other labs, fetched from network leads to compare with ours. They are not exhibits of this lab.',
        }),
      );
    const exhibitNumber = `${lead.otherLabId}/${lead.otherCaseRef}/${lead.otherItemRef}`.slice(0, 40);
    const item =
      repo.items(kase.id).find((i) => i.exhibitNumber === exhibitNumber) ??
      deps.cases.createItem(
        actor,
        kase.id,
        itemFieldsSchema.parse({
          kind: 'cartridge_case',
          exhibitNumber,
          calibre: lead.calibre,
          description: `Network lead: ${lead.otherLabId} case ${lead.otherCaseRef}, item ${lead.otherItemRef} (hub submission ${lead.otherSubmissionId}).`,
        }),
      );
    return deps.acquisitions.importFile(actor, {
      itemId: item.id,
      region: lead.region ?? 'breech_face',
      fileName: x3p.name,
      bytes: x3p.bytes,
      notes: `fetched from network lead ${lead.leadId}`,
    }).id;
  })();
}
