// casebench search ITEM — rank one item's topography against the station's database (the same service the UI uses).
import { userInfo } from 'node:os';
import { parseCommandArgs } from '../args.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { createHost } from '../../host/createHost.ts';
import { searchFiltersSchema, type SearchResultView } from '../../contract/analysis.ts';
import { cliError } from './compare.ts';
import { progressLines, searchProgressText } from '../progressText.ts';

function table(result: SearchResultView): string {
  const q = result.query;
  const f = result.filters;
  const lines = [
    `search for ${q.labCaseNumber} / ${q.exhibitNumber} (acquisition ${q.acquisitionId}, ${q.region})`,
    `filters: calibre ${f.calibre ?? 'any'}; ${f.dateField} ${f.from ?? '…'} to ${f.to ?? '…'}; region ${f.region}`,
    `screened ${result.screened} of ${result.candidates} candidates, fully scored ${result.fullyScored} (top ${result.topK}); ` +
      `${result.skipped.length} skipped; ${(result.timing.totalMs / 1000).toFixed(1)} s`,
    '',
    'rank  case / exhibit                  acq   screening  CMC A→B  B→A  combined  known non-matches with this count or more',
  ];
  for (const r of result.results) {
    const where = `${r.labCaseNumber} / ${r.exhibitNumber}`.padEnd(30).slice(0, 30);
    const screening = r.screeningScore === null ? '—' : r.screeningScore.toFixed(3);
    const cmc = r.cmc
      ? `${String(r.cmc.ab).padStart(7)}  ${String(r.cmc.ba).padStart(3)}  ${String(r.cmc.combined).padStart(8)}`
      : `${'—'.padStart(7)}  ${'—'.padStart(3)}  ${'—'.padStart(8)}`;
    const meaning = r.error
      ? `error: ${r.error.message}`
      : r.calibrated
        ? `${r.calibrated.atLeast} of ${r.calibrated.populationSize}${r.calibrated.comparable ? '' : ' (indicative only)'}`
        : 'not fully scored';
    lines.push(
      `${String(r.rank).padStart(4)}  ${where}  ${String(r.acquisitionId).padStart(4)}  ${screening.padStart(9)}  ${cmc}  ${meaning}`,
    );
  }
  for (const s of result.skipped) lines.push(`skipped acquisition ${s.acquisitionId}: ${s.reason.replace('_', ' ')}`);
  lines.push('', `calibrated against "${result.population.name}"`);
  return `${lines.join('\n')}\n`;
}

export const searchCommand: Command = {
  name: ['search'],
  summary: "rank an item's topography against every acquisition in the station's database",
  help: `Usage: casebench search ITEM [options]

ITEM is an item id, or LAB-CASE-NUMBER/EXHIBIT. Its most recent topography is searched for, unless
--acquisition names one. Every candidate gets a screening signature; the best --top get full CMC.
Every candidate is listed, with what was done to it; the search is recorded in the audit trail.

Options:
  --acquisition ID  the acquisition to search for (instead of the item's latest)
  --calibre C       only items of this calibre (default: any)
  --date-field F    acquired (default) or recovered: which date --from/--to apply to
  --from DATE       YYYY-MM-DD, inclusive
  --to DATE         YYYY-MM-DD, inclusive
  --top K           how many candidates get full CMC (default 20)
  --json            machine-readable result on stdout
${stationOptionsHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...stationOptions,
      acquisition: { type: 'string' },
      calibre: { type: 'string' },
      'date-field': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one ITEM, got ${positionals.length}`);
    const topK = values.top === undefined ? 20 : Number(values.top);
    if (!Number.isInteger(topK) || topK < 0 || topK > 200)
      throw new UsageError(`--top expects an integer 0–200, got "${values.top}"`);
    const filters = searchFiltersSchema.safeParse({
      calibre: values.calibre ?? null,
      dateField: values['date-field'] ?? 'acquired',
      from: values.from ?? null,
      to: values.to ?? null,
    });
    if (!filters.success)
      throw new UsageError(
        filters.error.issues.map((i) => `${i.path.join('.') || 'filters'}: ${i.message}`).join('; '),
      );
    let acquisitionId: number | undefined;
    if (values.acquisition !== undefined) {
      acquisitionId = Number(values.acquisition);
      if (!Number.isInteger(acquisitionId) || acquisitionId < 1)
        throw new UsageError(`--acquisition expects an id, got "${values.acquisition}"`);
    }

    const host = createHost({ ...stationConfig(values), log: () => {} });
    try {
      const item = positionals[0];
      const slash = item.indexOf('/');
      const itemId = /^\d+$/.test(item)
        ? Number(item)
        : slash > 0
          ? host.search.repo.itemByExhibit(item.slice(0, slash), item.slice(slash + 1))
          : undefined;
      if (itemId === undefined)
        throw Object.assign(new Error(`no item "${item}" (give an item id or LAB-CASE-NUMBER/EXHIBIT)`), {
          exitCode: ExitCode.badInput,
        });
      if (acquisitionId !== undefined && host.search.repo.acquisition(acquisitionId)?.itemId !== itemId) {
        throw Object.assign(new Error(`acquisition ${acquisitionId} does not belong to item ${item}`), {
          exitCode: ExitCode.badInput,
        });
      }
      const result = await host.search.search(
        { userId: null, username: `cli:${userInfo().username}` },
        { ...(acquisitionId !== undefined ? { acquisitionId } : { itemId }), filters: filters.data, topK },
        {
          signal,
          progress: progressLines(stderr, searchProgressText),
        },
      );
      stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : table(result));
      return ExitCode.ok;
    } catch (error) {
      throw cliError(error);
    } finally {
      await host.close();
    }
  },
};
