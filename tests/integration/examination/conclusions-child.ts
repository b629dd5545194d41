// A station process that writes conclusion records until it is killed: each comparison's conclusion, then
// amendments of them, round after round, printing each record's id once it has committed. The test SIGKILLs it
// while it writes and then opens the station folder it left behind.
import { createHost } from '../../../electron/host/createHost.ts';
import { amendConclusion, recordConclusion } from '../../../electron/host/services/examination/conclusions.ts';

const [dataDir, userId, ...comparisonIds] = process.argv.slice(2);
const host = createHost({ dataDir, log: () => {} });
const ctx = host.examination.ctx;
const viewer = { userId: Number(userId), username: 'examiner1', role: 'examiner' as const, manager: false };
// Long enough that each transaction has real pages to write.
const basis = (round: number) => `Round ${round}: agreement of breech-face marks over the whole annulus. `.repeat(60);
const links = { snapshotIds: [], annotationIds: [], analysisIds: [] };
for (let round = 0; ; round++) {
  for (const id of comparisonIds.map(Number)) {
    const current = ctx.conclusions.current(id, 'examination');
    const { conclusion } = current
      ? amendConclusion(ctx, viewer, {
          amends: current.id,
          reason: `round ${round}`,
          conclusion: 'identification',
          basis: basis(round),
          ...links,
        })
      : recordConclusion(ctx, viewer, {
          comparisonId: id,
          conclusion: 'identification',
          basis: basis(round),
          ...links,
        });
    process.stdout.write(`saved ${conclusion.id}\n`);
  }
}
