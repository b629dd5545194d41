import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import {
  checkCertificate,
  checkStationCredentials,
  createCa,
  createCertificateRequest,
  issue,
  readCertificateRequest,
  signCertificateRequest,
  signingKeyOf,
} from './pki.ts';
import { keyId, loadPrivateKey } from './protocol.ts';

describe('development PKI', async () => {
  const ca = await createCa('TestNet');
  const otherCa = await createCa('OtherNet');

  it('issues a station certificate naming its lab, station and Ed25519 signing key', async () => {
    const station = await issue(ca, { kind: 'station', organization: 'LAB-1', unit: 'ST-1' });
    const checked = checkCertificate(station.certificate, ca.certificate);
    expect(checked).toMatchObject({ labId: 'LAB-1', stationId: 'ST-1' });
    expect(keyId(checked.signingKey)).toBe(keyId(loadPrivateKey(station.signingKey)));
    expect(new X509Certificate(station.certificate).subject).toBe('O=LAB-1\nOU=ST-1\nCN=ST-1.LAB-1');
  });

  it('gives the hub certificate the loopback names a TLS client checks', async () => {
    const hub = await issue(ca, { kind: 'hub', organization: 'TestNet', unit: 'hub-1' });
    expect(new X509Certificate(hub.certificate).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(() => signingKeyOf(new X509Certificate(hub.certificate).raw)).not.toThrow();
  });

  it('refuses certificates of another CA, expired ones, and ones without a signing key', async () => {
    const foreign = await issue(otherCa, { kind: 'station', organization: 'LAB-1', unit: 'ST-1' });
    expect(() => checkCertificate(foreign.certificate, ca.certificate)).toThrow(/not issued by the network CA/);
    const expired = await issue(ca, {
      kind: 'station',
      organization: 'LAB-1',
      unit: 'ST-2',
      notBefore: new Date(Date.now() - 2e9),
      notAfter: new Date(Date.now() - 1e9),
    });
    expect(() => checkCertificate(expired.certificate, ca.certificate)).toThrow(/certificate expired on/);
    expect(() => signingKeyOf(new X509Certificate(ca.certificate).raw)).toThrow(/names no Casebench signing key/);
    expect(() =>
      checkCertificate('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n', ca.certificate),
    ).toThrow(/not a readable/);
  });

  it('signs a station request: the certificate names the lab, station and the keys the station kept', async () => {
    const request = await createCertificateRequest({ organization: 'LAB-7', unit: 'ST-3' });
    expect(request.request).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    const certificate = await signCertificateRequest(ca, request.request);
    const checked = checkStationCredentials({ certificate, ...request }, ca.certificate);
    expect(checked).toMatchObject({ labId: 'LAB-7', stationId: 'ST-3' });
    expect(keyId(checked.signingKey)).toBe(keyId(loadPrivateKey(request.signingKey)));
  });

  it('refuses a tampered request, and credentials whose certificate is not for their keys or not a station', async () => {
    const request = await createCertificateRequest({ organization: 'LAB-7', unit: 'ST-3' });
    const der = Buffer.from(request.request.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der[der.indexOf(Buffer.from('LAB-7'))] = 'X'.charCodeAt(0); // another lab name under the same signature
    const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await expect(readCertificateRequest(forged)).rejects.toThrow(/not signed by the key it names/);
    await expect(readCertificateRequest('hello')).rejects.toThrow(/not a readable certificate request/);

    const other = await createCertificateRequest({ organization: 'LAB-7', unit: 'ST-4' });
    const certificate = await signCertificateRequest(ca, request.request);
    expect(() =>
      checkStationCredentials({ certificate, tlsKey: other.tlsKey, signingKey: request.signingKey }, ca.certificate),
    ).toThrow(/not made for this TLS key/);
    expect(() =>
      checkStationCredentials({ certificate, tlsKey: request.tlsKey, signingKey: other.signingKey }, ca.certificate),
    ).toThrow(/names another signing key/);
    const hub = await issue(ca, { kind: 'hub', organization: 'TestNet', unit: 'hub-1' });
    expect(() => checkStationCredentials(hub, ca.certificate)).toThrow(/not a station certificate/);
    expect(() => checkStationCredentials({ certificate, ...request }, otherCa.certificate)).toThrow(
      /not issued by the network CA/,
    );
  });
});
