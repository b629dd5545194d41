// The capture-killed path without a rig (killed.test.ts runs the real one): a capture.start with stored originals
// and no end is closed by the next start with capture.interrupted naming the unreferenced files, once.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../createHost.ts';
import { recordInterruptedCapture } from './interruptedCapture.ts';

let dataDir: string;
let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

const actor = { userId: null, username: 'tech' };
const entries = (h: Host, action: string) =>
  (h.db.prepare('SELECT after_json FROM audit_log WHERE action = ?').pluck().all(action) as string[]).map(
    (json) => JSON.parse(json) as { unreferencedFiles: number; files: string[]; started: number },
  );

describe('a capture the station stopped in', () => {
  it('is closed in the audit trail on the next start, naming the originals it kept; a finished one is not', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'casebench-interrupted-'));
    host = createHost({ dataDir, log: () => {} });
    const started = host.db.transaction(() =>
      host!.audit.append(actor, { action: 'capture.start', entityType: 'item', entityId: 7, after: {} }),
    )();
    const kept = host.evidence.put(new Uint8Array([1, 2, 3]), { mediaType: 'image/png' }, actor);
    // As if the process were killed here: the next start finds a capture.start with nothing after it.
    const seq = recordInterruptedCapture(host.db, host.audit);
    expect(seq).not.toBeNull();
    expect(entries(host, 'capture.interrupted')).toEqual([
      expect.objectContaining({ started, unreferencedFiles: 1, files: [kept.sha256] }),
    ]);
    expect(recordInterruptedCapture(host.db, host.audit)).toBeNull(); // once

    host.db.transaction(() =>
      host!.audit.append(actor, { action: 'capture.start', entityType: 'item', entityId: 8, after: {} }),
    )();
    host.db.transaction(() =>
      host!.audit.append(actor, { action: 'capture.canceled', entityType: 'item', entityId: 8, after: {} }),
    )();
    expect(recordInterruptedCapture(host.db, host.audit)).toBeNull();
  });
});
