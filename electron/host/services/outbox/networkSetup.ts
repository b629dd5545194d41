// Network setup by the lab manager (contract/networkSetup.ts): writes the station's network settings into
// <dataDir>/network (hub.json, ca.crt, station.crt/.key/.sign.key, read by networkSettings.ts), keeps a certificate
// request's keys in network/request/ until the CA's certificate comes back, tests the connection, audits every
// change, and hands the new settings to the outbox at once (no restart).
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../contract/errors.ts';
import type { Session } from '../../../contract/auth.ts';
import type {
  ConnectionDetail,
  ConnectionTest,
  CredentialProblem,
  NetworkSetup,
  networkSetupCalls,
} from '../../../contract/networkSetup.ts';
import type { CallHandlers } from '../../rpc/handlers.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import type { Db } from '../../storage/database.ts';
import {
  checkStationCredentials,
  createCertificateRequest,
  CredentialError,
  type Credentials,
} from '../../../network/pki.ts';
import { HubClient, HubError } from '../../../network/client.ts';
import { protocolVersion } from '../../../network/protocol.ts';
import { hubSettingsSchema, outboxOptionsFor } from './networkSettings.ts';
import type { OutboxService } from './outboxService.ts';

/** The hub refuses requests more than clockSkewWindowMs (5 min) off its clock; a minute off already needs fixing. */
const clockWarningMs = 60_000;

export interface NetworkSetupDeps {
  dataDir: string;
  outbox: OutboxService;
  db: Db;
  audit: AuditRepo;
  now?: () => number;
}

const fingerprint = (cert: X509Certificate) => createHash('sha256').update(cert.raw).digest('hex');
const subjectField = (subject: string, field: string) =>
  subject
    .split('\n')
    .find((line) => line.startsWith(`${field}=`))
    ?.slice(field.length + 1) ?? '';

/** Writes a file whole or not at all (a crash mid-write must not leave half a key). */
function writeWhole(path: string, text: string, mode = 0o644): void {
  writeFileSync(`${path}.tmp`, text, { mode });
  renameSync(`${path}.tmp`, path);
}

export class NetworkSetupService {
  private readonly dir: string;
  private readonly requestDir: string;
  private readonly now: () => number;

  private readonly deps: NetworkSetupDeps;

  constructor(deps: NetworkSetupDeps) {
    this.deps = deps;
    this.dir = join(deps.dataDir, 'network');
    this.requestDir = join(this.dir, 'request');
    this.now = deps.now ?? Date.now;
  }

  private read(name: string, dir = this.dir): string | undefined {
    const path = join(dir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  }

  private hubSettings(): Record<string, unknown> {
    const text = this.read('hub.json');
    if (!text) return {};
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  view(): NetworkSetup {
    const hub = this.hubSettings();
    const caPem = this.read('ca.crt');
    let ca: NetworkSetup['ca'] = null;
    let caCert: X509Certificate | undefined;
    try {
      if (caPem) {
        caCert = new X509Certificate(caPem);
        ca = {
          subject: caCert.subject.replace(/\n/g, ', '),
          validTo: new Date(caCert.validTo).toISOString(),
          fingerprint: fingerprint(caCert),
        };
      }
    } catch {
      ca = null;
    }
    const certificatePem = this.read('station.crt');
    let certificate: NetworkSetup['certificate'] = null;
    let certificateState: NetworkSetup['certificateState'] = 'none';
    let certificateProblem: CredentialProblem | null = null;
    if (certificatePem) {
      try {
        const cert = new X509Certificate(certificatePem);
        certificate = {
          labId: subjectField(cert.subject, 'O'),
          stationId: subjectField(cert.subject, 'OU'),
          issuer: cert.issuer.replace(/\n/g, ', '),
          validFrom: new Date(cert.validFrom).toISOString(),
          validTo: new Date(cert.validTo).toISOString(),
          fingerprint: fingerprint(cert),
        };
        const now = new Date(this.now());
        if (now < new Date(cert.validFrom)) certificateState = 'not_yet_valid';
        else if (now > new Date(cert.validTo)) certificateState = 'expired';
        else certificateState = 'valid';
        if (certificateState === 'valid') this.installedCredentials(caPem);
        else certificateProblem = certificateState === 'expired' ? 'expired' : 'not_yet_valid';
      } catch (error) {
        certificateState = 'unusable';
        certificateProblem = problemOf(error);
      }
    }
    const requestPem = this.read('station.csr', this.requestDir);
    const requestMeta = this.read('request.json', this.requestDir);
    const request =
      requestPem && requestMeta
        ? { ...(JSON.parse(requestMeta) as { labId: string; stationId: string; createdAt: string }), pem: requestPem }
        : null;
    return {
      hubUrl: typeof hub.url === 'string' ? hub.url : null,
      ca,
      certificate,
      certificateState,
      certificateProblem,
      request,
      ready: this.deps.outbox.readiness().ready,
    };
  }

  /** The installed credentials, checked as they will be used (throws why not). */
  private installedCredentials(caPem: string | undefined): Credentials {
    if (!caPem) throw new CredentialError('no_ca', 'no network CA certificate (ca.crt) is installed');
    const credentials = {
      certificate: this.read('station.crt') ?? '',
      tlsKey: this.read('station.key') ?? '',
      signingKey: this.read('station.sign.key') ?? '',
    };
    checkStationCredentials(credentials, caPem, new Date(this.now()));
    return credentials;
  }

  /** Audited after the files are written (they are the change; the entry's own transaction holds only itself). */
  private audit(
    session: Session | null,
    action: string,
    after: Record<string, unknown>,
    before?: Record<string, unknown>,
  ): void {
    this.deps.db.transaction(() =>
      this.deps.audit.append(
        { userId: session!.user.id, username: session!.user.username },
        {
          action: `network.${action}`,
          entityType: 'station_setting',
          entityId: 'network',
          ...(before ? { before } : {}),
          after,
        },
      ),
    )();
  }

  /** The outbox takes the settings now; settings it cannot use are reported, not kept silently. */
  private async apply(): Promise<void> {
    try {
      await this.deps.outbox.reconfigure(outboxOptionsFor(this.deps.dataDir));
    } catch (error) {
      throw new AppError('invalid_input', `the network settings cannot be used: ${(error as Error).message}`);
    }
  }

  async setHub(url: string, session: Session | null): Promise<NetworkSetup> {
    const before = this.hubSettings();
    const next = hubSettingsSchema.parse({ ...before, url });
    mkdirSync(this.dir, { recursive: true });
    writeWhole(join(this.dir, 'hub.json'), `${JSON.stringify(next, null, 2)}\n`);
    this.audit(session, 'setHub', { url }, { url: typeof before.url === 'string' ? before.url : null });
    await this.apply();
    return this.view();
  }

  async createRequest(labId: string, stationId: string, session: Session | null): Promise<NetworkSetup> {
    const made = await createCertificateRequest({ organization: labId, unit: stationId });
    mkdirSync(this.requestDir, { recursive: true, mode: 0o700 });
    writeWhole(join(this.requestDir, 'station.key'), made.tlsKey, 0o600);
    writeWhole(join(this.requestDir, 'station.sign.key'), made.signingKey, 0o600);
    writeWhole(join(this.requestDir, 'station.csr'), made.request);
    const createdAt = new Date(this.now()).toISOString();
    writeWhole(join(this.requestDir, 'request.json'), JSON.stringify({ labId, stationId, createdAt }));
    this.audit(session, 'createRequest', {
      labId,
      stationId,
      request: createHash('sha256').update(made.request).digest('hex'),
    });
    return this.view();
  }

  /** Checks the credentials against the CA and installs all four files, replacing what was there. */
  private async install(
    credentials: Credentials,
    caPem: string,
    session: Session | null,
    action: 'installCertificate' | 'importCredentials',
  ): Promise<NetworkSetup> {
    let checked;
    try {
      new X509Certificate(caPem);
    } catch {
      throw new AppError('invalid_input', 'the CA certificate is not a readable X.509 certificate (PEM)', {
        problem: 'unreadable_ca' satisfies CredentialProblem,
      });
    }
    try {
      checked = checkStationCredentials(credentials, caPem, new Date(this.now()));
    } catch (error) {
      throw new AppError('invalid_input', (error as Error).message, { problem: problemOf(error) });
    }
    const previous = this.view().certificate;
    mkdirSync(this.dir, { recursive: true });
    writeWhole(join(this.dir, 'station.key'), credentials.tlsKey, 0o600);
    writeWhole(join(this.dir, 'station.sign.key'), credentials.signingKey, 0o600);
    writeWhole(join(this.dir, 'ca.crt'), caPem);
    // The certificate last: the outbox looks for it to decide whether the station has credentials.
    writeWhole(join(this.dir, 'station.crt'), credentials.certificate);
    const cert = new X509Certificate(credentials.certificate);
    this.audit(
      session,
      action,
      {
        labId: checked.labId,
        stationId: checked.stationId,
        certificate: fingerprint(cert),
        validTo: new Date(cert.validTo).toISOString(),
        ca: fingerprint(new X509Certificate(caPem)),
      },
      previous ? { certificate: previous.fingerprint } : undefined,
    );
    await this.apply();
    return this.view();
  }

  async installCertificate(certificate: string, caPem: string, session: Session | null): Promise<NetworkSetup> {
    const tlsKey = this.read('station.key', this.requestDir);
    const signingKey = this.read('station.sign.key', this.requestDir);
    const requestPem = this.read('station.csr', this.requestDir);
    if (!tlsKey || !signingKey || !requestPem)
      throw new AppError(
        'conflict',
        'no certificate request is waiting: create one first, or import certificate and keys',
      );
    const view = await this.install({ certificate, tlsKey, signingKey }, caPem, session, 'installCertificate');
    rmSync(this.requestDir, { recursive: true, force: true });
    return { ...view, request: null };
  }

  async importCredentials(
    input: { certificate: string; tlsKey: string; signingKey: string; ca: string },
    session: Session | null,
  ): Promise<NetworkSetup> {
    return this.install(
      { certificate: input.certificate, tlsKey: input.tlsKey, signingKey: input.signingKey },
      input.ca,
      session,
      'importCredentials',
    );
  }

  /**
   * Tests the connection as the outbox will use it: the settings, TLS to the hub with our certificate (the hub's
   * checked against the network CA), the clocks, the protocol version, and a signed request the hub must accept.
   */
  async test(session: Session | null): Promise<ConnectionTest> {
    const checks: ConnectionTest['checks'] = [];
    const check = (name: ConnectionTest['checks'][number]['check'], ok: boolean, detail: ConnectionDetail) =>
      checks.push({ check: name, ok, detail });
    const result = (hubId: string | null, clockOffsetMs: number | null): ConnectionTest => ({
      ok: checks.length === 6 && checks.every((c) => c.ok),
      checks,
      hubId,
      clockOffsetMs,
      testedAt: new Date(this.now()).toISOString(),
    });
    const finish = (test: ConnectionTest) => {
      this.audit(session, 'testConnection', {
        ok: test.ok,
        hubId: test.hubId,
        failed: test.checks.filter((c) => !c.ok).map((c) => c.check),
      });
      return test;
    };
    const url = this.hubSettings().url;
    const caPem = this.read('ca.crt');
    if (typeof url !== 'string') {
      check('settings', false, { kind: 'no_hub' });
      return finish(result(null, null));
    }
    let credentials: Credentials;
    try {
      credentials = this.installedCredentials(caPem);
      check('settings', true, { kind: 'hub_url', url });
    } catch (error) {
      check('settings', false, { kind: 'credentials', problem: problemOf(error) });
      return finish(result(null, null));
    }
    const client = new HubClient({ url, ca: caPem!, credentials, now: this.now, timeoutMs: 10_000 });
    try {
      let health: { hubId: string; time: number; protocol?: string };
      const sentAt = this.now();
      try {
        health = await client.health();
      } catch (error) {
        const said = (error as Error).message;
        const reason = unreachableReason(error as NodeJS.ErrnoException);
        check('connection', false, { kind: 'unreachable', reason, said });
        // TLS names the hub's certificate when that is what failed (another CA, expired, another name).
        if (reason === 'certificate') check('hub_certificate', false, { kind: 'unreachable', reason, said });
        return finish(result(null, null));
      }
      check('connection', true, { kind: 'tls', host: new URL(url).host });
      check('hub_certificate', true, { kind: 'hub_issued', hubId: health.hubId });
      const offset = health.time - (sentAt + this.now()) / 2;
      check('clock', Math.abs(offset) < clockWarningMs, { kind: 'clock_offset', seconds: Math.round(offset / 1000) });
      check('protocol', health.protocol === protocolVersion, {
        kind: 'versions',
        hub: health.protocol ?? null,
        station: protocolVersion,
      });
      try {
        await client.feed(0, 1);
        check('identity', true, { kind: 'accepted' });
      } catch (error) {
        check('identity', false, {
          kind: 'refused',
          code: error instanceof HubError ? error.code : null,
          said: (error as Error).message,
        });
      }
      return finish(result(health.hubId, Math.round(offset)));
    } finally {
      client.close();
    }
  }

  handlers(): CallHandlers<typeof networkSetupCalls> {
    return {
      'networkSetup.get': () => this.view(),
      'networkSetup.setHub': (input, ctx) => this.setHub(input.url, ctx.session),
      'networkSetup.createRequest': (input, ctx) => this.createRequest(input.labId, input.stationId, ctx.session),
      'networkSetup.installCertificate': (input, ctx) =>
        this.installCertificate(input.certificate, input.ca, ctx.session),
      'networkSetup.importCredentials': (input, ctx) => this.importCredentials(input, ctx.session),
      'networkSetup.test': (_input, ctx) => this.test(ctx.session),
      'networkSetup.readiness': () => this.deps.outbox.readiness(),
    };
  }
}

/** The code of a credentials problem; a check that threw something else (a file unreadable) counts as unusable. */
function problemOf(error: unknown): CredentialProblem {
  return error instanceof CredentialError ? error.problem : 'unreadable_certificate';
}

/** What kind of failure kept the station from the hub, from the error's code or, for TLS, its words. */
function unreachableReason(
  error: NodeJS.ErrnoException,
): 'refused' | 'not_found' | 'timeout' | 'certificate' | 'other' {
  const text = `${error.code ?? ''} ${error.message} ${(error.cause as NodeJS.ErrnoException | undefined)?.code ?? ''}`;
  if (/certificate|self[- ]signed|verify|CERT_|altnames/i.test(text)) return 'certificate';
  if (/ECONNREFUSED|ECONNRESET/.test(text)) return 'refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'not_found';
  if (/ETIMEDOUT|timed? ?out|abort/i.test(text)) return 'timeout';
  return 'other';
}
