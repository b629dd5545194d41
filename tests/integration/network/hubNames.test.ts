// Hub certificates name their hub (issue 10, review of 59262d9): `casebench pki issue --kind hub --host …` puts DNS
// names and IP addresses into subjectAltName, so a station tells one hub from another by the host of its hub
// address — in TLS and in the receipt/results check against hub.json — instead of every hub being "localhost".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../../electron/cli/main.ts';
import { checkHubCertificate, readCa, readCredentials } from '../../../electron/network/pki.ts';
import { HubClient } from '../../../electron/network/client.ts';
import { startHub, type Hub } from '../../../electron/network/hub/server.ts';
import { removeDir, tempDir } from './harness.ts';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    }) as never;
  const code = await runCli(argv, { stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)) });
  return { code, stdout, stderr };
}

describe('pki issue --kind hub --host', () => {
  const dir = tempDir('hub-names');
  const pki = join(dir, 'pki');
  const hubs: Hub[] = [];
  const issueHub = (unit: string, ...hosts: string[]) =>
    cli(
      'pki',
      'issue',
      '--dir',
      pki,
      '--kind',
      'hub',
      '--org',
      'net',
      '--unit',
      unit,
      ...hosts.flatMap((h) => ['--host', h]),
    );
  beforeAll(async () => {
    expect((await cli('pki', 'init', '--dir', pki)).code).toBe(0);
    expect(
      (await cli('pki', 'issue', '--dir', pki, '--kind', 'station', '--org', 'LAB-1', '--unit', 'ST-1')).code,
    ).toBe(0);
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
    removeDir(dir);
  });

  it('names every --host (DNS names and IPv4/IPv6 addresses) and nothing else', async () => {
    const issued = await issueHub(
      'hub-a',
      'hub-a.lab.example',
      '127.0.0.2',
      'FD00::7',
      '[2001:db8::1]',
      '*.hubs.example',
    );
    expect(issued.code).toBe(0);
    expect(issued.stdout).toContain('names the hub as hub-a.lab.example, 127.0.0.2');
    const cert = new X509Certificate(readCredentials(pki, 'hub-a').certificate);
    expect(cert.checkHost('hub-a.lab.example')).toBe('hub-a.lab.example');
    expect(cert.checkHost('east.hubs.example')).toBeTruthy();
    expect(cert.checkIP('127.0.0.2')).toBe('127.0.0.2');
    expect(cert.checkIP('fd00::7')).toBeTruthy();
    expect(cert.checkIP('2001:db8::1')).toBeTruthy();
    // The development names are not added to a named hub's certificate.
    expect(cert.checkHost('localhost')).toBeUndefined();
    expect(cert.checkIP('127.0.0.1')).toBeUndefined();
  });

  it('without --host, names localhost and 127.0.0.1 and says it is for development', async () => {
    const issued = await issueHub('hub-dev');
    expect(issued.code).toBe(0);
    expect(issued.stdout).toMatch(/localhost, 127\.0\.0\.1 only \(development\); give --host/);
    const cert = new X509Certificate(readCredentials(pki, 'hub-dev').certificate);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('refuses a host that is not a name or an address, and --host on a station certificate', async () => {
    for (const bad of ['hub a', 'hub_a.example', '999.1.1.1', 'https://hub.example', '-hub.example', 'a..b']) {
      const refused = await issueHub('hub-x', bad);
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr).toContain('--host');
    }
    const station = await cli(
      'pki',
      'issue',
      '--dir',
      pki,
      '--kind',
      'station',
      '--org',
      'L',
      '--unit',
      'S',
      '--host',
      'x.example',
    );
    expect(station.code).toBe(2);
    expect(station.stderr).toContain('only with --kind hub');
  });

  it("the station's check against its hub address takes the named hub and refuses another hub", async () => {
    expect((await issueHub('hub-b', 'hub-b.lab.example', '127.0.0.3')).code).toBe(0);
    const ca = readCa(pki).certificate;
    const hubA = readCredentials(pki, 'hub-a').certificate;
    const hubB = readCredentials(pki, 'hub-b').certificate;
    const at = new Date();
    expect(() => checkHubCertificate(hubA, ca, { at, hubId: 'hub-a', hostname: 'hub-a.lab.example' })).not.toThrow();
    expect(() => checkHubCertificate(hubA, ca, { at, hubId: 'hub-a', hostname: '[fd00::7]' })).not.toThrow();
    expect(() => checkHubCertificate(hubB, ca, { at, hubId: 'hub-b', hostname: 'hub-a.lab.example' })).toThrow(
      /does not name hub-a\.lab\.example/,
    );
  });

  it('over TLS a station reaches the hub its certificate names and refuses one answering at that address with another name', async () => {
    const ca = readCa(pki).certificate;
    const station = readCredentials(pki, 'ST-1');
    // Both hubs listen on 127.0.0.2, the address hub-a's certificate names; only hub-a is the station's hub.
    for (const unit of ['hub-a', 'hub-b'])
      hubs.push(
        await startHub({
          dataDir: join(dir, unit),
          ca,
          ...readCredentials(pki, unit),
          hubId: unit,
          listen: '127.0.0.2',
        }),
      );
    const [hubA, hubB] = hubs;
    const clientOf = (url: string) => new HubClient({ url, ca, credentials: station, timeoutMs: 5_000 });
    const toA = clientOf(hubA.url);
    const toB = clientOf(hubB.url);
    try {
      expect(hubA.url).toMatch(/^https:\/\/127\.0\.0\.2:/);
      expect((await toA.health()).hubId).toBe('hub-a');
      await expect(toB.health()).rejects.toMatchObject({
        transport: true,
        message: expect.stringMatching(/ERR_TLS_CERT_ALTNAME_INVALID|does not match|not in the cert/i),
      });
    } finally {
      toA.close();
      toB.close();
    }
  });
});
