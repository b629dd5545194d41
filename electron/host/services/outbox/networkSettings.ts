// Where a station finds its network settings: <dataDir>/network/ holds ca.crt and station.crt/.key/.sign.key
// (from the network operator, or "casebench pki issue" in development) and hub.json. No hub.json: air-gapped.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OutboxServiceOptions } from './outboxService.ts';

export const hubSettingsSchema = z.strictObject({
  url: z.url({ protocol: /^https$/, error: 'the hub URL must be https://…' }),
  /** Average upload limit, bytes per second (shared links, metered lines). */
  bandwidthBytesPerSecond: z.number().int().positive().optional(),
});

export function outboxOptionsFor(dataDir: string): OutboxServiceOptions {
  const dir = join(dataDir, 'network');
  const settingsPath = join(dir, 'hub.json');
  let hub: z.infer<typeof hubSettingsSchema> | undefined;
  if (existsSync(settingsPath)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(settingsPath, 'utf8'));
    } catch (error) {
      throw new Error(`${settingsPath} is not JSON: ${(error as Error).message}`);
    }
    const parsed = hubSettingsSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${settingsPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`);
    hub = parsed.data;
  }
  return {
    pkiDir: dir,
    hubUrl: hub?.url,
    importDir: join(dir, 'imported'),
    worker: hub?.bandwidthBytesPerSecond ? { bandwidthBytesPerSecond: hub.bandwidthBytesPerSecond } : undefined,
  };
}
