// Where a station finds its network settings: <dataDir>/network/ holds ca.crt and station.crt/.key/.sign.key
// (from the network operator, or "casebench pki issue" in development) and hub.json. No hub.json: air-gapped.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { attachOutbox, type OutboxService, type OutboxServiceOptions } from './outboxService.ts';

export const hubSettingsSchema = z.strictObject({
  url: z.url({ protocol: /^https$/, error: 'the hub URL must be https://…' }),
  /** Average upload limit, bytes per second (shared links, metered lines). */
  bandwidthBytesPerSecond: z.number().int().positive().optional(),
  /** How often the lab's feed (new leads, hits other labs reported) is read while online; default 60 s. */
  feedPollSeconds: z.number().int().min(1).max(86_400).optional(),
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
    if (!parsed.success)
      throw new Error(
        `${settingsPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`,
      );
    hub = parsed.data;
  }
  return {
    pkiDir: dir,
    hubUrl: hub?.url,
    importDir: join(dir, 'imported'),
    worker: {
      ...(hub?.bandwidthBytesPerSecond ? { bandwidthBytesPerSecond: hub.bandwidthBytesPerSecond } : {}),
      ...(hub?.feedPollSeconds ? { feedPollMs: hub.feedPollSeconds * 1000 } : {}),
    },
  };
}

/**
 * The composition root's entry: the outbox from <dataDir>/network. Unusable settings (bad hub.json, damaged
 * credentials) must not stop the station: it runs without the network and the status bar says why.
 */
export function attachStationNetwork(host: Parameters<typeof attachOutbox>[0], dataDir: string): OutboxService {
  try {
    return attachOutbox(host, outboxOptionsFor(dataDir));
  } catch (error) {
    const reason = (error as Error).message;
    host.log?.('error', 'network settings unusable; running without the network', { reason });
    const service = attachOutbox(host, {
      pkiDir: join(dataDir, 'network', 'unusable'),
      importDir: join(dataDir, 'network', 'imported'),
    });
    host.status.update({ network: { state: 'error', label: `network settings unusable: ${reason}` } });
    return service;
  }
}
