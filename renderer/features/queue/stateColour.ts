import type { OutboxJobView } from '../../../electron/contract/index.ts';

/** One colour per outbox state, the same in the table, the counts and the leads. */
export const stateColour: Record<OutboxJobView['state'], string> = {
  queued: 'gray',
  uploading: 'blue',
  committed: 'teal',
  correlated: 'green',
  rejected: 'red',
  dead: 'red',
  canceled: 'dark',
};

/** Jobs a person may retry or cancel (the host checks again). */
export const canRetry = (job: OutboxJobView) => job.state === 'rejected' || job.state === 'dead';
export const canCancel = (job: OutboxJobView) => ['queued', 'uploading', 'rejected', 'dead'].includes(job.state);

/** Upload progress as a percentage; a job without bytes to send counts as complete once committed. */
export function percentSent(job: OutboxJobView, liveBytes?: number): number {
  if (job.bytesTotal === 0) return job.state === 'committed' || job.state === 'correlated' ? 100 : 0;
  return Math.min(100, Math.round((100 * (liveBytes ?? job.bytesSent)) / job.bytesTotal));
}
