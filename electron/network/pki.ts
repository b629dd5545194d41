// A development PKI for the exchange network: one CA, a hub certificate and station certificates.
// Node has no API to create X.509 certificates, so pkijs builds them on WebCrypto. Every certificate also carries
// its holder's Ed25519 signing key in a private extension, so the CA vouches for identity and signing key at once.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  webcrypto,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CredentialProblem } from '../contract/networkSetup.ts';
import { ed25519PublicKeyFromRaw, ed25519RawPublicKey, loadPrivateKey } from './protocol.ts';

export const signingKeyExtensionOid = '1.3.6.1.4.1.59999.1.1';

const engine = new pkijs.CryptoEngine({ name: 'casebench', crypto: webcrypto as unknown as Crypto });
const tlsKeyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' };

/** PEM texts of one holder: TLS certificate + key, and the Ed25519 signing key the certificate names. */
export interface Credentials {
  certificate: string;
  tlsKey: string;
  signingKey: string;
}

export interface Subject {
  /** For a station: the lab id (O); for the hub: the network name. */
  organization: string;
  /** For a station: the station id (OU); for the hub: the hub id. */
  unit: string;
}

export interface IssueOptions extends Subject {
  kind: 'hub' | 'station';
  /**
   * A hub's names, DNS names or IP addresses (subjectAltName), as stations write them in their hub address: each
   * station's TLS and receipt checks require the name it connects to. Default: localhost and 127.0.0.1 (development).
   */
  hosts?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

function toPem(label: string, der: ArrayBuffer | Uint8Array): string {
  const lines =
    Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der))
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function name(subject: Subject): pkijs.RelativeDistinguishedNames {
  const attr = (type: string, value: string) =>
    new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) });
  // One attribute per RDN (a SET each), so the subject reads O=…, OU=…, CN=… rather than one multi-valued RDN.
  const attributes = [
    attr('2.5.4.10', subject.organization),
    attr('2.5.4.11', subject.unit),
    attr('2.5.4.3', `${subject.unit}.${subject.organization}`),
  ];
  const schema = new asn1js.Sequence({ value: attributes.map((a) => new asn1js.Set({ value: [a.toSchema()] })) });
  return pkijs.RelativeDistinguishedNames.fromBER(schema.toBER(false));
}

async function newTlsKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(tlsKeyAlgorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportTlsKey(key: CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function importTlsKey(pemText: string): Promise<CryptoKey> {
  const der = Buffer.from(pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, tlsKeyAlgorithm, false, ['sign']);
}

function newSigningKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

interface BuildOptions {
  subject: pkijs.RelativeDistinguishedNames;
  issuer: pkijs.RelativeDistinguishedNames;
  publicKey: CryptoKey;
  issuerKey: CryptoKey;
  notBefore: Date;
  notAfter: Date;
  extensions: pkijs.Extension[];
}

async function build(options: BuildOptions): Promise<string> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: Uint8Array.from([0x01, ...randomBytes(15)]).buffer });
  cert.subject = options.subject;
  cert.issuer = options.issuer;
  cert.notBefore.value = options.notBefore;
  cert.notAfter.value = options.notAfter;
  cert.extensions = options.extensions;
  await cert.subjectPublicKeyInfo.importKey(options.publicKey, engine);
  await cert.sign(options.issuerKey, 'SHA-256', engine);
  return toPem('CERTIFICATE', cert.toSchema(true).toBER(false));
}

const ext = (extnID: string, critical: boolean, value: asn1js.BaseBlock) =>
  new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });

function keyUsage(bits: number): asn1js.BitString {
  // digitalSignature = bit 0 (0x80), keyCertSign = bit 5 (0x04), cRLSign = bit 6 (0x02)
  return new asn1js.BitString({ valueHex: Uint8Array.from([bits]).buffer, unusedBits: 1 });
}

export async function createCa(networkName: string, validDays = 3650): Promise<{ certificate: string; key: string }> {
  const keys = await newTlsKeys();
  const subject = name({ organization: networkName, unit: 'ca' });
  const certificate = await build({
    subject,
    issuer: subject,
    publicKey: keys.publicKey,
    issuerKey: keys.privateKey,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + validDays * 86_400_000),
    extensions: [
      ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema()),
      ext('2.5.29.15', true, keyUsage(0x06)),
    ],
  });
  return { certificate, key: await exportTlsKey(keys.privateKey) };
}

/** What every holder's certificate says besides its subject: purpose (serving or client), and its signing key. */
function holderExtensions(kind: 'hub' | 'station', rawSigningKey: Uint8Array, hosts: string[]): pkijs.Extension[] {
  const extensions = [
    ext('2.5.29.19', true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    ext('2.5.29.15', true, keyUsage(0x80)),
    ext(
      '2.5.29.37',
      false,
      new pkijs.ExtKeyUsage({ keyPurposes: [kind === 'hub' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'] }).toSchema(),
    ),
    signingKeyExtension(rawSigningKey),
  ];
  if (kind === 'hub') {
    const altNames = new pkijs.GeneralNames({ names: hosts.map(subjectAltName) });
    extensions.push(ext('2.5.29.17', false, altNames.toSchema()));
  }
  return extensions;
}

/** The development hub's names: what a hub certificate names when its issuer names none. */
export const developmentHubHosts = ['localhost', '127.0.0.1'];

const dnsName =
  /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Why `host` cannot be a hub's name (a DNS name or an IPv4/IPv6 address), or null when it can. */
export function hubHostProblem(host: string): string | null {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare)) return null;
  if (/^[0-9.]+$/.test(bare)) return `${host} is not an IP address`;
  if (!dnsName.test(bare)) return `${host} is neither a DNS name nor an IP address`;
  return null;
}

function subjectAltName(host: string): pkijs.GeneralName {
  const problem = hubHostProblem(host);
  if (problem) throw new Error(problem);
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const version = isIP(bare);
  if (version === 0) return new pkijs.GeneralName({ type: 2, value: bare.toLowerCase() });
  const bytes = version === 4 ? Uint8Array.from(bare.split('.').map(Number)) : ipv6Bytes(bare);
  return new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: bytes.buffer as ArrayBuffer }) });
}

/** The 16 bytes of an IPv6 address (isIP checked it), "::" and an IPv4 tail included. */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

const signingKeyExtension = (rawSigningKey: Uint8Array) =>
  ext(signingKeyExtensionOid, false, new asn1js.OctetString({ valueHex: Uint8Array.from(rawSigningKey).buffer }));

export async function issue(ca: { certificate: string; key: string }, options: IssueOptions): Promise<Credentials> {
  const keys = await newTlsKeys();
  const signingKey = newSigningKey();
  const caCert = pkijs.Certificate.fromBER(new X509Certificate(ca.certificate).raw);
  const certificate = await build({
    subject: name(options),
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    issuerKey: await importTlsKey(ca.key),
    notBefore: options.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 825 * 86_400_000),
    extensions: holderExtensions(
      options.kind,
      ed25519RawPublicKey(signingKey),
      options.hosts?.length ? options.hosts : developmentHubHosts,
    ),
  });
  return {
    certificate,
    tlsKey: await exportTlsKey(keys.privateKey),
    signingKey: signingKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

// ---- certificate requests ------------------------------------------------------------------------
// A station makes its own keys and sends the network CA a PKCS#10 request; the keys never leave the station. The
// request asks for the signing-key extension (PKCS#9 extensionRequest), so the CA vouches for both keys at once.

const extensionRequestOid = '1.2.840.113549.1.9.14';

export interface CertificateRequest {
  /** PEM "CERTIFICATE REQUEST" for the network CA. */
  request: string;
  /** The private keys it was made with (kept by the station until the certificate comes back). */
  tlsKey: string;
  signingKey: string;
}

export async function createCertificateRequest(subject: Subject): Promise<CertificateRequest> {
  const keys = await newTlsKeys();
  const signingKey = newSigningKey();
  const csr = new pkijs.CertificationRequest();
  csr.version = 0;
  csr.subject = name(subject);
  await csr.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  csr.attributes = [
    new pkijs.Attribute({
      type: extensionRequestOid,
      values: [new pkijs.Extensions({ extensions: [signingKeyExtension(ed25519RawPublicKey(signingKey))] }).toSchema()],
    }),
  ];
  await csr.sign(keys.privateKey, 'SHA-256', engine);
  return {
    request: toPem('CERTIFICATE REQUEST', csr.toSchema().toBER(false)),
    tlsKey: await exportTlsKey(keys.privateKey),
    signingKey: signingKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

function pemBody(pemText: string, label: string): Uint8Array<ArrayBuffer> {
  const match = pemText.match(new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`));
  if (!match) throw new Error(`not a PEM ${label.toLowerCase()}`);
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
}

const identifierPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Reads and checks a station's certificate request: its own signature, its subject, the signing key it names. */
export async function readCertificateRequest(
  pemText: string,
): Promise<Subject & { csr: pkijs.CertificationRequest; rawSigningKey: Uint8Array }> {
  let csr: pkijs.CertificationRequest;
  try {
    csr = pkijs.CertificationRequest.fromBER(pemBody(pemText, 'CERTIFICATE REQUEST'));
  } catch (error) {
    throw new Error(`not a readable certificate request: ${(error as Error).message}`);
  }
  if (!(await csr.verify(engine).catch(() => false)))
    throw new Error('the request is not signed by the key it names (damaged or forged)');
  const field = (oid: string) => {
    const value = csr.subject.typesAndValues.find((t) => t.type === oid)?.value.valueBlock.value;
    return typeof value === 'string' ? value : undefined;
  };
  const organization = field('2.5.4.10');
  const unit = field('2.5.4.11');
  if (!organization || !unit || !identifierPattern.test(organization) || !identifierPattern.test(unit))
    throw new Error('the request names no lab (O) and station (OU) made of letters, digits and . _ -');
  const extensions = csr.attributes?.find((a) => a.type === extensionRequestOid)?.values[0];
  const signing = extensions
    ? new pkijs.Extensions({ schema: extensions }).extensions.find((e) => e.extnID === signingKeyExtensionOid)
    : undefined;
  const inner = signing ? asn1js.fromBER(signing.extnValue.getValue()).result : undefined;
  if (!(inner instanceof asn1js.OctetString) || inner.getValue().byteLength !== 32)
    throw new Error('the request names no Casebench signing key');
  return { organization, unit, csr, rawSigningKey: new Uint8Array(inner.getValue()) };
}

/** The network CA's side: a station certificate for a checked request (`casebench pki sign`). */
export async function signCertificateRequest(
  ca: { certificate: string; key: string },
  requestPem: string,
  options: { notAfter?: Date } = {},
): Promise<string> {
  const request = await readCertificateRequest(requestPem);
  return build({
    subject: name(request),
    issuer: pkijs.Certificate.fromBER(new X509Certificate(ca.certificate).raw).subject,
    publicKey: await request.csr.getPublicKey(undefined, engine),
    issuerKey: await importTlsKey(ca.key),
    notBefore: new Date(Date.now() - 60_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 825 * 86_400_000),
    extensions: holderExtensions('station', request.rawSigningKey, []),
  });
}

const signingKeyCache = new Map<string, KeyObject>();

/** The Ed25519 key a certificate names (cached by the DER's fingerprint: the hub asks on every request). */
export function signingKeyOf(certificateDer: Uint8Array): KeyObject {
  const cacheKey = Buffer.from(certificateDer).toString('base64');
  const cached = signingKeyCache.get(cacheKey);
  if (cached) return cached;
  const cert = pkijs.Certificate.fromBER(new Uint8Array(certificateDer));
  const extension = cert.extensions?.find((e) => e.extnID === signingKeyExtensionOid);
  if (!extension) throw new Error('the certificate names no Casebench signing key');
  const inner = asn1js.fromBER(extension.extnValue.getValue());
  if (!(inner.result instanceof asn1js.OctetString)) throw new Error('the signing-key extension is malformed');
  const key = ed25519PublicKeyFromRaw(new Uint8Array(inner.result.getValue()));
  if (signingKeyCache.size > 1000) signingKeyCache.clear();
  signingKeyCache.set(cacheKey, key);
  return key;
}

/** Why a certificate or a station's credentials cannot be used, as a code the station's screens word in its language. */
export class CredentialError extends Error {
  readonly problem: CredentialProblem;
  constructor(problem: CredentialProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

// Certificates already found issued by a CA: the hub checks a station's certificate on every submission, and the
// issuer signature of a given certificate cannot change (its validity dates are checked on every call).
const issuedCache = new Map<string, X509Certificate>();

function issuedCertificate(pemText: string, caPem: string): X509Certificate {
  const cacheKey = `${caPem}\u0000${pemText}`;
  const cached = issuedCache.get(cacheKey);
  if (cached) return cached;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pemText);
  } catch {
    throw new CredentialError('unreadable_certificate', 'not a readable X.509 certificate');
  }
  const ca = new X509Certificate(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey))
    throw new CredentialError('foreign_issuer', 'not issued by the network CA');
  if (issuedCache.size > 1000) issuedCache.clear();
  issuedCache.set(cacheKey, cert);
  return cert;
}

export interface CertificateCheck {
  labId: string;
  stationId: string;
  signingKey: KeyObject;
}

/** Checks a PEM certificate the way TLS would (issuer signature, validity at `now`) and reads its identity. */
export function checkCertificate(pemText: string, caPem: string, now = new Date()): CertificateCheck {
  const cert = issuedCertificate(pemText, caPem);
  if (now < new Date(cert.validFrom)) throw new CredentialError('not_yet_valid', 'certificate not yet valid');
  if (now > new Date(cert.validTo))
    throw new CredentialError('expired', `certificate expired on ${new Date(cert.validTo).toISOString()}`);
  const fields = Object.fromEntries(cert.subject.split('\n').map((line) => line.split('=', 2) as [string, string]));
  if (!fields.O || !fields.OU)
    throw new CredentialError('no_identity', 'certificate subject lacks O (lab) or OU (station)');
  return { labId: fields.O, stationId: fields.OU, signingKey: signingKeyOf(cert.raw) };
}

const clientAuth = '1.3.6.1.5.5.7.3.2';

/**
 * Checks a station's credentials before they are installed: the certificate as checkCertificate does, made for a
 * client (a station, not the hub), and made for these very keys (its TLS public key and the signing key it names).
 */
export function checkStationCredentials(credentials: Credentials, caPem: string, now = new Date()): CertificateCheck {
  const checked = checkCertificate(credentials.certificate, caPem, now);
  const cert = new X509Certificate(credentials.certificate);
  if (!(cert.keyUsage ?? []).includes(clientAuth))
    throw new CredentialError(
      'not_station',
      'it is not a station certificate (not made for a client: no clientAuth purpose)',
    );
  let tlsPublic: Buffer;
  let signing: KeyObject;
  try {
    tlsPublic = createPublicKey(createPrivateKey(credentials.tlsKey)).export({ format: 'der', type: 'spki' });
  } catch {
    throw new CredentialError('tls_key_unreadable', 'the TLS key is not a readable private key (PEM)');
  }
  try {
    signing = createPrivateKey(credentials.signingKey);
  } catch {
    throw new CredentialError('signing_key_unreadable', 'the signing key is not a readable private key (PEM)');
  }
  if (!tlsPublic.equals(cert.publicKey.export({ format: 'der', type: 'spki' })))
    throw new CredentialError(
      'tls_key_mismatch',
      'the certificate was not made for this TLS key (it belongs to another request or station)',
    );
  if (signing.asymmetricKeyType !== 'ed25519' || keyIdOf(signing) !== keyIdOf(checked.signingKey))
    throw new CredentialError('signing_key_mismatch', 'the certificate names another signing key than this one');
  return checked;
}

const keyIdOf = (key: KeyObject) => ed25519RawPublicKey(key).toString('hex');

const serverAuth = '1.3.6.1.5.5.7.3.1';

/**
 * Checks that a certificate is the hub's, not merely one the network CA issued (every station has one of those):
 * issued by the CA, valid at `at` (when the hub says it signed), made for serving (extended key usage
 * serverAuth, which station certificates lack), with the hub id the receipt names as its OU and, when the
 * station knows its hub's address, that name among its subject names. Returns the hub's signing key.
 */
export function checkHubCertificate(
  pemText: string,
  caPem: string,
  expected: { at: Date; hubId: string; hostname?: string },
): KeyObject {
  const cert = issuedCertificate(pemText, caPem);
  const purposes = cert.keyUsage ?? [];
  if (!purposes.includes(serverAuth))
    throw new Error('it is not a hub certificate (it is not made for serving: no serverAuth purpose)');
  if (Number.isNaN(expected.at.getTime())) throw new Error('the signing time is not a date');
  if (expected.at < new Date(cert.validFrom))
    throw new Error(`the hub certificate was not yet valid at ${expected.at.toISOString()}`);
  if (expected.at > new Date(cert.validTo))
    throw new Error(
      `the hub certificate had expired (${new Date(cert.validTo).toISOString()}) at ${expected.at.toISOString()}`,
    );
  const fields = Object.fromEntries(cert.subject.split('\n').map((line) => line.split('=', 2) as [string, string]));
  if (fields.OU !== expected.hubId)
    throw new Error(`the certificate is hub "${fields.OU ?? '?'}"'s, but the receipt names hub "${expected.hubId}"`);
  if (expected.hostname !== undefined) {
    const bare = expected.hostname.replace(/^\[(.*)\]$/, '$1');
    const named = /^[0-9.]+$|:/.test(bare) ? cert.checkIP(bare) : cert.checkHost(bare);
    if (!named) throw new Error(`the hub certificate does not name ${expected.hostname}, this station's hub`);
  }
  return signingKeyOf(cert.raw);
}

// ---- files ---------------------------------------------------------------------------------------
// A PKI folder: ca.crt, ca.key, and <name>.crt / <name>.key (TLS) / <name>.sign.key (Ed25519) per holder.

export function writeCredentials(dir: string, holder: string, credentials: Credentials): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${holder}.crt`), credentials.certificate);
  writeFileSync(join(dir, `${holder}.key`), credentials.tlsKey, { mode: 0o600 });
  writeFileSync(join(dir, `${holder}.sign.key`), credentials.signingKey, { mode: 0o600 });
}

export function readCredentials(dir: string, holder: string): Credentials {
  const path = (suffix: string) => join(dir, `${holder}${suffix}`);
  for (const suffix of ['.crt', '.key', '.sign.key']) {
    if (!existsSync(path(suffix))) throw new Error(`missing ${path(suffix)} (create it with "casebench pki issue")`);
  }
  return {
    certificate: readFileSync(path('.crt'), 'utf8'),
    tlsKey: readFileSync(path('.key'), 'utf8'),
    signingKey: readFileSync(path('.sign.key'), 'utf8'),
  };
}

export function writeCa(dir: string, ca: { certificate: string; key: string }): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), ca.certificate);
  writeFileSync(join(dir, 'ca.key'), ca.key, { mode: 0o600 });
}

export function readCa(dir: string): { certificate: string; key: string } {
  const crt = join(dir, 'ca.crt');
  if (!existsSync(crt)) throw new Error(`no CA in ${dir} (create one with "casebench pki init")`);
  return {
    certificate: readFileSync(crt, 'utf8'),
    key: existsSync(join(dir, 'ca.key')) ? readFileSync(join(dir, 'ca.key'), 'utf8') : '',
  };
}

export { loadPrivateKey };
