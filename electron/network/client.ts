// The station's side of the exchange protocol: signed requests over mutual TLS, clock-offset learning, and
// errors classified so the outbox knows what to retry (transient) and what to show a person (permanent).
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { createSecureContext, type TLSSocket } from 'node:tls';
import { X509Certificate, randomBytes, type KeyObject } from 'node:crypto';
import {
  errorResponseSchema,
  feedResponseSchema,
  healthResponseSchema,
  hitResponseSchema,
  keyId,
  loadPrivateKey,
  protocolRevision,
  protocolRevisionHeader,
  requestSigningBytes,
  sha256,
  signBytes,
  submissionResponseSchema,
  unsignedPayload,
  type CreateHitRequest,
  type CreateSubmissionRequest,
  type FeedResponse,
  type HitResponse,
  type SubmissionResponse,
} from './protocol.ts';
import { signingKeyOf } from './pki.ts';
import { JsonLimitError, parseBoundedJson } from '../contract/boundedJson.ts';
import type { Credentials } from './pki.ts';

export interface HubClientOptions {
  /** e.g. https://127.0.0.1:8443 */
  url: string;
  ca: string;
  credentials: Credentials;
  /** Per request, ms. */
  timeoutMs?: number;
  now?: () => number;
  /**
   * The protocol revision this station reads, named to the hub on every request (default: this version's). 1 sends
   * no header, as a station from before revisions (tests of older stations).
   */
  protocolRevision?: number;
}

/** A hub answer that is an error, or a transport failure (status 0). */
export class HubError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'HubError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
  /** Worth retrying later: the hub or the path to it failed, not the request. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 408 || this.status === 429;
  }
  get transport(): boolean {
    return this.status === 0;
  }
}

/**
 * The most of a hub answer the station reads into memory, per kind of answer: anything at the hub's address (a
 * broken or hostile hub, a captive portal) could otherwise grow the station's memory without bound. JSON answers
 * (submission status with its signed statement, feed pages) share the 8 MiB cap of bundle.json and signed
 * statements; an artifact download is capped by the size its signed reference declares.
 */
export const hubAnswerLimits = {
  json: 8 * 1024 * 1024,
  small: 64 * 1024,
};

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  hubCertificateDer: Buffer | undefined;
}

export class HubClient {
  readonly url: URL;
  private readonly agent: Agent;
  private readonly signingKey: KeyObject;
  private readonly keyId: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly revision: number;
  /** hub clock − station clock, learnt from the hub when it refuses a request for clock skew. */
  clockOffsetMs = 0;
  /** The hub's Ed25519 receipt key, from the CA-verified TLS certificate of the hub. */
  hubSigningKey: KeyObject | undefined;
  hubCertificateDer: Buffer | undefined;
  /** The same certificate as PEM, kept with each receipt. */
  hubCertificatePem: string | undefined;

  constructor(options: HubClientOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'https:') throw new Error(`the hub URL must be https: (${options.url})`);
    const tls = {
      ca: options.ca,
      cert: options.credentials.certificate,
      key: options.credentials.tlsKey,
      minVersion: 'TLSv1.3' as const,
    };
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 8,
      ...tls,
      // One context for every connection: otherwise each new connection parses the CA, certificate and key again
      // (milliseconds of the event loop per connection, at the start of a drain when every job connects at once).
      secureContext: createSecureContext(tls),
      // The dev hub certificate names localhost and 127.0.0.1; the name check stays on.
    });
    this.signingKey = loadPrivateKey(options.credentials.signingKey);
    this.keyId = keyId(this.signingKey);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.revision = options.protocolRevision ?? protocolRevision;
  }

  close(): void {
    this.agent.destroy();
  }

  private raw(
    method: string,
    path: string,
    body: Buffer,
    extraHeaders: Record<string, string>,
    signed: boolean,
    maxBodyBytes: number,
    bodyDigest?: string,
    onSent?: () => void,
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { 'content-length': String(body.byteLength), ...extraHeaders };
    // The hub answers with what this revision knows (leads without fields a later revision added).
    if (this.revision > 1) headers[protocolRevisionHeader] = String(this.revision);
    if (body.byteLength > 0 && !headers['content-type']) headers['content-type'] = 'application/json';
    if (signed) {
      const timestamp = String(Math.round(this.now() + this.clockOffsetMs));
      const nonce = randomBytes(16).toString('hex');
      headers['cb-key'] = this.keyId;
      headers['cb-timestamp'] = timestamp;
      headers['cb-nonce'] = nonce;
      headers['cb-signature'] = signBytes(
        this.signingKey,
        requestSigningBytes(method, path, timestamp, nonce, bodyDigest ?? sha256(body)),
      );
    }
    return new Promise((resolve, reject) => {
      const req = request(
        { hostname: this.url.hostname, port: this.url.port, method, path, headers, agent: this.agent },
        (res) => {
          // Read now: a keep-alive socket is handed back to the agent (and detached) once the body ends.
          const der = this.peerCertificateDer(res.socket as TLSSocket | null);
          const tooLarge = (what: string) => {
            // The connection goes: the rest of the answer is never read (nor handed to the next request).
            req.destroy();
            reject(
              new HubError(
                502,
                'answer_too_large',
                `the hub's answer to ${method} ${path.split('?')[0]} ${what}, more than the ${maxBodyBytes} bytes this station reads; refused`,
              ),
            );
          };
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBodyBytes) return tooLarge(`declares ${declared} bytes`);
          const chunks: Buffer[] = [];
          let received = 0;
          res.on('data', (c: Buffer) => {
            received += c.byteLength;
            if (received > maxBodyBytes) tooLarge(`runs past ${maxBodyBytes} bytes`);
            else chunks.push(c);
          });
          res.on('end', () => {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              hubCertificateDer: der,
            });
          });
          res.on('error', (e) =>
            reject(new HubError(0, 'network', `connection lost while reading the answer: ${e.message}`)),
          );
          res.on('aborted', () => reject(new HubError(0, 'network', 'connection lost while reading the answer')));
        },
      );
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(
          new HubError(
            0,
            e.code === 'ETIMEDOUT' ? 'timeout' : 'network',
            `hub unreachable: ${e.code ?? ''} ${e.message}`.trim(),
          ),
        ),
      );
      if (onSent) req.once('finish', onSent);
      req.end(body);
    });
  }

  /** The hub's certificate on this connection, parsed once per connection (it cannot change on a TLS 1.3 one). */
  private readonly peerCertificates = new WeakMap<TLSSocket, Buffer | undefined>();
  private peerCertificateDer(socket: TLSSocket | null): Buffer | undefined {
    if (!socket) return undefined;
    if (!this.peerCertificates.has(socket)) this.peerCertificates.set(socket, socket.getPeerCertificate?.()?.raw);
    return this.peerCertificates.get(socket);
  }

  /** Sends a signed request; a clock_skew refusal teaches the offset and the request is signed again once. */
  private async call(
    method: string,
    path: string,
    maxBodyBytes: number,
    body: Buffer = Buffer.alloc(0),
    headers: Record<string, string> = {},
    bodyDigest?: string,
    onSent?: () => void,
  ): Promise<RawResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.raw(method, path, body, headers, true, maxBodyBytes, bodyDigest, onSent);
      this.noteHubCertificate(response.hubCertificateDer);
      if (response.status < 400) return response;
      const error = this.errorOf(response);
      if (error.code === 'clock_skew' && attempt === 0) {
        const hubTime = Number(response.headers['cb-hub-time']);
        if (Number.isFinite(hubTime)) {
          this.clockOffsetMs = hubTime - this.now();
          continue;
        }
      }
      throw error;
    }
  }

  private noteHubCertificate(der: Buffer | undefined): void {
    if (!der || (this.hubCertificateDer && der.equals(this.hubCertificateDer))) return;
    this.hubCertificateDer = der;
    this.hubSigningKey = signingKeyOf(der);
    this.hubCertificatePem = new X509Certificate(der).toString();
  }

  private errorOf(response: RawResponse): HubError {
    let parsed;
    try {
      parsed = errorResponseSchema.safeParse(JSON.parse(response.body.toString('utf8')));
    } catch {
      parsed = undefined;
    }
    if (parsed?.success)
      return new HubError(
        response.status,
        parsed.data.error.code,
        parsed.data.error.message,
        parsed.data.error.details,
      );
    return new HubError(
      response.status,
      response.status >= 500 ? 'unavailable' : 'invalid_response',
      `hub answered ${response.status} without a protocol error body`,
    );
  }

  private json<T>(
    response: RawResponse,
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } },
  ): T {
    let value: unknown;
    try {
      // Bounded in depth too: a lead keeps the fields of later revisions as they came (unread), and the canonical
      // JSON its signature is checked over walks them recursively.
      value = parseBoundedJson(response.body.toString('utf8'), { maxBytes: hubAnswerLimits.json, maxDepth: 32 });
    } catch (error) {
      throw new HubError(
        502,
        'invalid_response',
        error instanceof JsonLimitError ? `hub answer refused: ${error.message}` : 'hub answer is not JSON',
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new HubError(
        502,
        'invalid_response',
        `hub answer does not follow the protocol: ${parsed.error.message.slice(0, 300)}`,
      );
    return parsed.data;
  }

  async health(): Promise<{ hubId: string; time: number }> {
    const response = await this.raw('GET', '/v1/health', Buffer.alloc(0), {}, false, hubAnswerLimits.small);
    this.noteHubCertificate(response.hubCertificateDer);
    if (response.status >= 400) throw this.errorOf(response);
    const health = this.json(response, healthResponseSchema);
    return health;
  }

  /** `created` is true when the hub saw this idempotency key for the first time (nothing of it uploaded yet). */
  async createSubmission(
    submission: CreateSubmissionRequest,
  ): Promise<{ created: boolean; submission: SubmissionResponse }> {
    const response = await this.call(
      'POST',
      '/v1/submissions',
      hubAnswerLimits.json,
      Buffer.from(JSON.stringify(submission)),
    );
    return { created: response.status === 201, submission: this.json(response, submissionResponseSchema) };
  }

  async artifactOffset(submissionId: string, sha: string): Promise<number> {
    const response = await this.call('HEAD', `/v1/submissions/${submissionId}/artifacts/${sha}`, hubAnswerLimits.small);
    const offset = Number(response.headers['upload-offset']);
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw new HubError(502, 'invalid_response', 'hub sent no valid upload-offset');
    return offset;
  }

  /**
   * Sends bytes [start, start + chunk.length) of an artifact of `total` bytes; returns the hub's new offset.
   * `onSent` runs once the bytes are handed to the connection (the hub may still be hashing and storing them).
   */
  async putChunk(
    submissionId: string,
    sha: string,
    start: number,
    total: number,
    chunk: Buffer,
    onSent?: () => void,
  ): Promise<{ offset: number; complete: boolean }> {
    const response = await this.call(
      'PUT',
      `/v1/submissions/${submissionId}/artifacts/${sha}`,
      hubAnswerLimits.small,
      chunk,
      {
        'content-type': 'application/octet-stream',
        'content-range': `bytes ${start}-${start + chunk.byteLength - 1}/${total}`,
      },
      unsignedPayload,
      onSent,
    );
    let parsed: { offset?: unknown; complete?: unknown } | undefined;
    try {
      parsed = JSON.parse(response.body.toString('utf8')) as { offset?: unknown; complete?: unknown };
    } catch {
      // not JSON: refused below like any other bad answer
    }
    if (typeof parsed?.offset !== 'number' || typeof parsed.complete !== 'boolean')
      throw new HubError(502, 'invalid_response', 'bad chunk answer');
    return { offset: parsed.offset, complete: parsed.complete };
  }

  async commit(submissionId: string): Promise<SubmissionResponse> {
    return this.json(
      await this.call('POST', `/v1/submissions/${submissionId}/commit`, hubAnswerLimits.json),
      submissionResponseSchema,
    );
  }

  /**
   * Downloads one artifact of a lead's other casing: at most the `size` its signed reference declares (an answer
   * running past it is refused unread), and the bytes must hash to what the hub listed.
   */
  async leadArtifact(submissionId: string, leadId: number, sha: string, size: number): Promise<Buffer> {
    const response = await this.call(
      'GET',
      `/v1/submissions/${submissionId}/leads/${leadId}/artifacts/${sha}`,
      Math.max(size, hubAnswerLimits.small), // an error answer may be longer than a tiny artifact
    );
    if (sha256(response.body) !== sha)
      throw new HubError(502, 'artifact_hash_mismatch', `downloaded artifact does not hash to ${sha}`);
    return response.body;
  }

  async status(submissionId: string): Promise<SubmissionResponse> {
    return this.json(
      await this.call('GET', `/v1/submissions/${submissionId}`, hubAnswerLimits.json),
      submissionResponseSchema,
    );
  }

  /** Reports a confirmed hit; `created` is false when the hub had recorded this idempotency key already. */
  async reportHit(request: CreateHitRequest): Promise<{ created: boolean; hit: HitResponse }> {
    const response = await this.call('POST', '/v1/hits', hubAnswerLimits.json, Buffer.from(JSON.stringify(request)));
    return { created: response.status === 201, hit: this.json(response, hitResponseSchema) };
  }

  /** The lab's feed (new leads, hits reported on its submissions) after `after`. */
  async feed(after: number, limit = 100): Promise<FeedResponse> {
    return this.json(
      await this.call('GET', `/v1/feed?after=${after}&limit=${limit}`, hubAnswerLimits.json),
      feedResponseSchema,
    );
  }
}
