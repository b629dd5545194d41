import type { HubNoteView, OutboxJobView } from '../../../electron/contract/index.ts';

/**
 * What a correlated job's result means for the technician. `notes` are the hub's own words on what it could not
 * compare; `nothingFound` only when it compared everything and no casing scored as a lead, so that "0 leads" never
 * stands for "the hub could not compare". Null while the hub has not correlated the job.
 */
export interface CorrelationOutcome {
  leads: number;
  notes: HubNoteView[];
  nothingFound: boolean;
}

export function correlationOutcome(
  job: Pick<OutboxJobView, 'state' | 'leads' | 'correlationNotes'>,
): CorrelationOutcome | null {
  if (job.state !== 'correlated') return null;
  const leads = job.leads?.length ?? 0;
  return { leads, notes: job.correlationNotes, nothingFound: leads === 0 && job.correlationNotes.length === 0 };
}
