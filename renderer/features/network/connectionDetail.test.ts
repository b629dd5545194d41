import { describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import type { ConnectionDetail } from '../../../electron/contract/networkSetup.ts';
import { AppError } from '../../../electron/contract/index.ts';
import { connectionDetailText, installErrorText } from './connectionDetail.ts';

const details: ConnectionDetail[] = [
  { kind: 'hub_url', url: 'https://hub.example:8443' },
  { kind: 'no_hub' },
  { kind: 'credentials', problem: 'expired' },
  { kind: 'unreachable', reason: 'refused', said: 'connect ECONNREFUSED 127.0.0.1:8443' },
  { kind: 'tls', host: 'hub.example:8443' },
  { kind: 'hub_issued', hubId: 'hub-1' },
  { kind: 'clock_offset', seconds: -600 },
  { kind: 'versions', hub: null, station: '1' },
  { kind: 'accepted' },
  { kind: 'refused', code: 'forbidden', said: 'station revoked' },
];

describe('connection test details', () => {
  it('are worded in the station’s language, with outside text quoted as it came', async () => {
    const en = await translator('en');
    const fr = await translator('fr');
    for (const detail of details) {
      const english = connectionDetailText(en, detail);
      const french = connectionDetailText(fr, detail);
      expect(french).not.toMatch(/networkSetup\.|\{\{/); // a key or placeholder left over: a missing text
      expect(english).not.toMatch(/networkSetup\.|\{\{/);
      if (!['tls', 'versions', 'hub_url'].includes(detail.kind)) expect(french).not.toBe(english);
    }
    expect(connectionDetailText(fr, details[6]!)).toContain('-600 s');
    expect(connectionDetailText(fr, details[3]!)).toContain('connect ECONNREFUSED 127.0.0.1:8443');
    expect(connectionDetailText(en, details[2]!)).toBe(
      'the installed credentials cannot be used: the certificate has expired',
    );
  });

  it('word a refused install by its credentials problem, else as any error', async () => {
    const es = await translator('es');
    const refused = new AppError('invalid_input', 'not issued by the network CA', { problem: 'foreign_issuer' });
    expect(installErrorText(es, refused, () => 'fallback')).toBe(
      'el certificado no lo emitió la autoridad de certificación de la red',
    );
    expect(installErrorText(es, new AppError('internal', 'x'), () => 'fallback')).toBe('fallback');
  });
});
