// The demo rig's camera images a reference scan, not the casing on the stage. With one fixed scan every item
// captured on the demo rig would be the same casing (a questioned casing against another gun's test fire would
// score like an identification), so the technician chooses, per item, which reference casing is "loaded": any
// X3P beside the profile's own specimen in the shared data folder (../shared/data, read there, never copied).
// The choice is remembered per item and audited; capture loads it onto the demo rig before it images.
import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { AppError, notFound } from '../../../contract/errors.ts';
import { specimenLabel, type DemoSpecimenChoice } from '../../../contract/acquisitions.ts';
import { isSimulated } from '../../../../native/rig/discovery.ts';
import type { DemoRig } from '../../../../native/sim/demoRig.ts';
import { readX3PFile } from '../../../analysis/x3p/index.ts';
import { sharedDataDir } from '../../../base/appRoot.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { CasesRepo } from '../../storage/repos/casesRepo.ts';
import { hostScanLimits, type OperatorActor } from './acquisitionService.ts';
import type { RigAccess } from './rigAccess.ts';

export class DemoSpecimens {
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly rig: RigAccess;
  private readonly dataDir: string;
  private readonly cases: CasesRepo;

  constructor(db: Db, audit: AuditRepo, rig: RigAccess, dataDir = sharedDataDir()) {
    this.db = db;
    this.audit = audit;
    this.rig = rig;
    this.dataDir = dataDir;
    this.cases = new CasesRepo(db);
  }

  /** The profile's own specimen when the capture rig is simulated; null for a real rig (or none). */
  private async defaultSpecimen(): Promise<string | null> {
    const profile = await this.rig.profile().catch(() => null);
    return profile && isSimulated(profile) && profile.specimen ? profile.specimen : null;
  }

  /**
   * Every X3P in the folder of the profile's specimen, in natural order (2 before 10). Regular files only: a
   * symlink could lead out of the folder, and a folder named like a scan cannot be read as one.
   */
  private list(defaultSpecimen: string): { id: string; label: string }[] {
    const folder = posix.dirname(defaultSpecimen);
    let names: string[];
    try {
      names = readdirSync(join(this.dataDir, folder), { withFileTypes: true })
        .filter((entry) => entry.isFile() && /\.x3p$/i.test(entry.name))
        .map((entry) => entry.name);
    } catch {
      names = [posix.basename(defaultSpecimen)];
    }
    names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return names.map((name) => {
      const id = folder === '.' ? name : `${folder}/${name}`;
      return { id, label: specimenLabel(id) };
    });
  }

  private stored(itemId: number): string | undefined {
    const row = this.db.prepare('SELECT specimen FROM demo_specimens WHERE item_id = ?').get(itemId) as
      { specimen: string } | undefined;
    return row?.specimen;
  }

  /** What the item would be captured from on the demo rig; null when capture does not use a simulated rig. */
  async forItem(itemId: number): Promise<DemoSpecimenChoice | null> {
    if (!this.cases.item(itemId)) throw notFound('item', `no item ${itemId}`, { id: itemId });
    const fallback = await this.defaultSpecimen();
    if (!fallback) return null;
    const specimens = this.list(fallback);
    const stored = this.stored(itemId);
    const remembered = stored !== undefined && specimens.some((s) => s.id === stored);
    return { specimens, chosen: remembered ? stored : fallback, remembered };
  }

  /** Remembers the reference casing the demo rig images for this item (audited on the item). */
  async choose(actor: OperatorActor, itemId: number, specimen: string): Promise<DemoSpecimenChoice> {
    const item = this.cases.item(itemId);
    if (!item) throw notFound('item', `no item ${itemId}`, { id: itemId });
    const current = await this.forItem(itemId);
    if (!current) throw new AppError('conflict', 'capture does not use the demo rig: there is no simulated specimen');
    if (!current.specimens.some((s) => s.id === specimen))
      throw new AppError('invalid_input', `"${specimen}" is not one of the demo rig's reference casings`);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO demo_specimens (item_id, specimen, chosen_by, chosen_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (item_id) DO UPDATE SET specimen = excluded.specimen, chosen_by = excluded.chosen_by,
             chosen_at = excluded.chosen_at`,
        )
        .run(itemId, specimen, actor.userId, new Date().toISOString());
      this.audit.append(actor, {
        action: 'capture.demo_specimen',
        entityType: 'item',
        entityId: itemId,
        caseId: item.caseId,
        before: { specimen: current.chosen },
        after: { specimen },
      });
    })();
    return { ...current, chosen: specimen, remembered: true };
  }

  /** Puts the item's reference casing under the demo rig's camera; its id, or null when the rig is not simulated. */
  async load(demo: DemoRig | undefined, itemId: number): Promise<string | null> {
    if (!demo) return null;
    const choice = await this.forItem(itemId);
    if (!choice) return null;
    if (demo.specimen !== choice.chosen) {
      // A file of the reference folder, not the user's input: one that cannot be read refuses the capture clearly.
      const surface = await readX3PFile(join(this.dataDir, choice.chosen), { maxPoints: hostScanLimits.maxPoints })
        .then((scan) => scan.surface)
        .catch((error: unknown) => {
          throw new AppError(
            'conflict',
            `the demo rig's reference casing ${choice.chosen} cannot be read (${(error as Error).message}); choose another`,
            { reason: 'demo_specimen' },
          );
        });
      demo.loadSpecimen(surface, choice.chosen);
    }
    return choice.chosen;
  }
}
