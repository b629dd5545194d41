import { describe, expect, it } from 'vitest';
import type { OutboxJobView } from '../../../electron/contract/index.ts';
import { canCancel, canRetry, percentSent } from './stateColour.ts';

const job = (state: OutboxJobView['state'], bytesSent: number, bytesTotal: number) =>
  ({ state, bytesSent, bytesTotal }) as OutboxJobView;

describe('queue helpers', () => {
  it('computes progress from live bytes when there are some', () => {
    expect(percentSent(job('uploading', 10, 100))).toBe(10);
    expect(percentSent(job('uploading', 10, 100), 55)).toBe(55);
    expect(percentSent(job('committed', 0, 0))).toBe(100);
    expect(percentSent(job('queued', 0, 0))).toBe(0);
  });
  it('offers retry only for refused or dead jobs and never cancels delivered ones', () => {
    expect(canRetry(job('dead', 0, 1))).toBe(true);
    expect(canRetry(job('queued', 0, 1))).toBe(false);
    expect(canCancel(job('committed', 1, 1))).toBe(false);
    expect(canCancel(job('uploading', 0, 1))).toBe(true);
  });
});
