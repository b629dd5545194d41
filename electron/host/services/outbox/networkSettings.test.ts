import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboxOptionsFor } from './networkSettings.ts';

function dataDir(hubJson?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'casebench-netcfg-'));
  mkdirSync(join(dir, 'network'));
  if (hubJson !== undefined) writeFileSync(join(dir, 'network', 'hub.json'), hubJson);
  return dir;
}

describe('station network settings', () => {
  it('is air-gapped without hub.json', () => {
    const dir = dataDir();
    expect(outboxOptionsFor(dir)).toMatchObject({ pkiDir: join(dir, 'network'), hubUrl: undefined });
  });
  it('reads the hub and the bandwidth limit', () => {
    expect(
      outboxOptionsFor(dataDir('{"url":"https://127.0.0.1:8443","bandwidthBytesPerSecond":500000}')),
    ).toMatchObject({
      hubUrl: 'https://127.0.0.1:8443',
      worker: { bandwidthBytesPerSecond: 500000 },
    });
  });
  it('names the file and the problem when the settings are wrong', () => {
    expect(() => outboxOptionsFor(dataDir('{"url":"http://hub"}'))).toThrow(
      /hub\.json: url: the hub URL must be https/,
    );
    expect(() => outboxOptionsFor(dataDir('{"url":"https://hub","proxy":"x"}'))).toThrow(/hub\.json/);
    expect(() => outboxOptionsFor(dataDir('{nope'))).toThrow(/hub\.json is not JSON/);
  });
});
