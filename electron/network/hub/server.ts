// The reference network hub: a real HTTPS server with mutual TLS speaking casebench-exchange/1.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  clockSkewWindowMs,
  createSubmissionRequestSchema,
  keyId,
  loadPrivateKey,
  manifestBytes,
  manifestRegion,
  maxChunkBytes,
  protocolVersion,
  requestSigningBytes,
  sha256,
  signBytes,
  unsignedPayload,
  verifyBytes,
  type ArtifactRef,
  type HubErrorCode,
  type Receipt,
  type SubmissionResponse,
} from '../protocol.ts';
import { checkCertificate, signingKeyOf } from '../pki.ts';
import {
  openFolderArtifacts,
  openRecordsThread,
  type ArtifactStore,
  type HubRecords,
  type SubmissionRecord,
} from './storage.ts';
import { createCmcScorer, type CasingScorer } from './scorer.ts';
import { faultsSchema, seededRandom, type Faults, type FaultsInput } from './faults.ts';
import { canonicalJson } from '../../base/canonicalJson.ts';

export interface HubOptions {
  dataDir: string;
  /** PEM texts: the network CA, the hub's certificate, its TLS key and its Ed25519 signing key. */
  ca: string;
  certificate: string;
  tlsKey: string;
  signingKey: string;
  hubId?: string;
  /** 0 picks a free port. The hub binds 127.0.0.1 only. */
  port?: number;
  faults?: FaultsInput;
  /** How casings are compared; default: the analysis engine's CMC on X3P topographies. The hub closes it. */
  scorer?: CasingScorer;
  /** Analysis worker threads of the default scorer. */
  analysisWorkers?: number;
  /** Leads kept per submission. */
  maxLeads?: number;
  now?: () => number;
}

export interface Hub {
  url: string;
  port: number;
  hubId: string;
  records: HubRecords;
  artifacts: ArtifactStore;
  setFaults(faults: FaultsInput): void;
  /** Resolves when every committed submission so far has been correlated. */
  correlationIdle(): Promise<void>;
  close(): Promise<void>;
}

class RequestError extends Error {
  readonly status: number;
  readonly code: HubErrorCode;
  readonly details: unknown;
  constructor(status: number, code: HubErrorCode, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Thrown by the fault injector: the connection is destroyed instead of answered. */
class DroppedConnection extends Error {}

interface Caller {
  labId: string;
  stationId: string;
  certificateDer: Buffer;
  /** The Ed25519 key the certificate names, and its id; read at the connection's first signed request. */
  signing?: { key: KeyObject; id: string };
}

const submissionPath = /^\/v1\/submissions\/([0-9a-f-]{36})$/;
const commitPath = /^\/v1\/submissions\/([0-9a-f-]{36})\/commit$/;
const artifactPath = /^\/v1\/submissions\/([0-9a-f-]{36})\/artifacts\/([0-9a-f]{64})$/;
const leadArtifactPath = /^\/v1\/submissions\/([0-9a-f-]{36})\/leads\/(\d{1,15})\/artifacts\/([0-9a-f]{64})$/;

/** Reads the body, hashing it on the way in unless it is an artifact chunk (see `unsignedPayload`). */
function readBody(req: IncomingMessage, limit: number, hashIt: boolean): Promise<{ body: Buffer; sha256: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = hashIt ? createHash('sha256') : undefined;
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      hash?.update(chunk);
      length += chunk.byteLength;
      if (length > limit) {
        reject(new RequestError(413, 'artifact_too_large', `request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve({ body: Buffer.concat(chunks, length), sha256: hash ? hash.digest('hex') : unsignedPayload }),
    );
    req.on('error', reject);
  });
}

/** The body of a chunk upload: the request itself (streamed) or bytes held in memory, and its declared length. */
interface ChunkBody {
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  length: number;
}

function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length']);
  if (req.headers['content-length'] === undefined || !Number.isSafeInteger(length) || length < 0) {
    throw new RequestError(411, 'invalid_request', 'a chunk upload needs a content-length');
  }
  if (length > maxChunkBytes) throw new RequestError(413, 'artifact_too_large', `chunk over ${maxChunkBytes} bytes`);
  return length;
}

/** The source's bytes, failing unless there are exactly `length` (a short body is a connection lost mid-chunk). */
async function* exactly(source: ChunkBody['source'], length: number): AsyncIterable<Uint8Array> {
  let seen = 0;
  for await (const piece of source) {
    seen += piece.byteLength;
    if (seen > length) throw new RequestError(400, 'invalid_request', 'the body is longer than its content-range');
    yield piece;
  }
  if (seen < length) throw new RequestError(400, 'invalid_request', 'the body ended before its content-range did');
}

/** The first `count` bytes of the source (the fault injector's upload cut off half-way). */
async function* firstBytes(source: ChunkBody['source'], count: number): AsyncIterable<Uint8Array> {
  let left = count;
  for await (const piece of source) {
    if (left <= 0) return;
    const part = piece.byteLength > left ? piece.subarray(0, left) : piece;
    left -= part.byteLength;
    yield part;
  }
}

export async function startHub(options: HubOptions): Promise<Hub> {
  const hubId = options.hubId ?? 'hub';
  const now = options.now ?? Date.now;
  // What can be refused at once is checked before any thread or file is opened.
  const hubSigningKey = loadPrivateKey(options.signingKey);
  let faults: Faults = faultsSchema.parse(options.faults ?? {});
  const maxLeads = options.maxLeads ?? 5;
  mkdirSync(options.dataDir, { recursive: true });
  const scorer =
    options.scorer ??
    createCmcScorer({ workers: options.analysisWorkers, cacheDir: join(options.dataDir, 'signatures') });
  const records = openRecordsThread(join(options.dataDir, 'hub.sqlite'));
  const artifacts = openFolderArtifacts(join(options.dataDir, 'artifacts'));
  /** Stops what the hub opened; also when it cannot start. */
  const release = async () => {
    await scorer.close();
    await artifacts.close();
    await records.close();
  };
  let dice = seededRandom(faults.seed);
  const roll = (rate: number) => rate > 0 && dice() < rate;

  // ---- correlation: one submission at a time, off the request path (the scorer's heavy work runs in its
  // worker pool); closing the hub aborts it and the submission stays 'committed', correlated at the next start.
  const correlationQueue: SubmissionRecord[] = [];
  const stopCorrelation = new AbortController();
  let correlating: Promise<void> | undefined;
  const asCasing = (record: SubmissionRecord) => {
    const x3p = record.manifest.artifacts.find((a) => a.role === 'x3p');
    const features = record.manifest.artifacts.find((a) => a.role === 'features');
    return {
      submissionId: record.id,
      manifest: record.manifest,
      topographyPath: x3p && artifacts.localPath(x3p.sha256),
      featuresPath: features && artifacts.localPath(features.sha256),
    };
  };
  const correlate = async (record: SubmissionRecord) => {
    // Like with like: a breech face is compared with breech faces, a firing pin with firing pins.
    const region = manifestRegion(record.manifest);
    const candidates = (await records.candidates(record.calibre, record.labId))
      .filter((c) => manifestRegion(c.manifest) === region)
      .map(asCasing);
    const { leads, notes } = await scorer.correlate(asCasing(record), candidates, maxLeads, stopCorrelation.signal);
    await records.saveCorrelation(record.id, leads, notes, new Date(now()).toISOString());
  };
  // Correlation waits for a pause in the uploads (none for 50 ms), at most 2 s: its signature work and its durable
  // write would otherwise take CPU and event-loop time from the bytes arriving (the receipt is already out; leads
  // come a moment later). The 2 s cap keeps a hub that never pauses correlating.
  let uploadsInFlight = 0;
  let lastUploadAt = 0;
  const uploadsQuiet = async () => {
    const giveUpAt = performance.now() + 2_000;
    while (
      !stopCorrelation.signal.aborted &&
      performance.now() < giveUpAt &&
      (uploadsInFlight > 0 || performance.now() - lastUploadAt < 50)
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const scheduleCorrelation = (record: SubmissionRecord) => {
    correlationQueue.push(record);
    if (correlating) return;
    correlating = (async () => {
      while (correlationQueue.length > 0 && !stopCorrelation.signal.aborted) {
        await new Promise((r) => setImmediate(r));
        await uploadsQuiet();
        if (stopCorrelation.signal.aborted) break;
        const next = correlationQueue.shift()!;
        try {
          await correlate(next);
        } catch (error) {
          // Stays 'committed': correlated again at the next start.
          if (!stopCorrelation.signal.aborted)
            console.error(`hub: correlation of ${next.id} failed: ${(error as Error).message}`);
        }
      }
      correlating = undefined;
    })();
  };
  // Also the first call into the records thread: a records file that cannot be opened stops the start here.
  try {
    for (const record of await records.committedUncorrelated()) scheduleCorrelation(record);
  } catch (error) {
    await release();
    throw error;
  }

  // ---- request authentication ------------------------------------------------------------------------
  // The client certificate is fixed for the life of a TLS 1.3 connection (no renegotiation), so it is read once
  // per connection, not on every request of a keep-alive connection (getPeerCertificate parses it each time).
  const callers = new WeakMap<TLSSocket, Caller>();
  function authenticateTls(req: IncomingMessage): Caller {
    const socket = req.socket as TLSSocket;
    const known = callers.get(socket);
    if (known) return known;
    const caller = connectionCaller(socket);
    callers.set(socket, caller);
    return caller;
  }

  function connectionCaller(socket: TLSSocket): Caller {
    if (!socket.authorized) {
      const reason = String(socket.authorizationError ?? 'no client certificate');
      throw new RequestError(401, 'client_certificate_rejected', `client certificate rejected: ${reason}`, { reason });
    }
    const peer = socket.getPeerCertificate();
    if (!peer?.raw)
      throw new RequestError(401, 'client_certificate_rejected', 'no client certificate on this connection');
    const subject = peer.subject as unknown as Record<string, string>;
    if (!subject?.O || !subject?.OU)
      throw new RequestError(401, 'client_certificate_rejected', 'client certificate names no lab (O) or station (OU)');
    return { labId: subject.O, stationId: subject.OU, certificateDer: peer.raw };
  }

  async function authenticateRequest(req: IncomingMessage, caller: Caller, bodySha256: string): Promise<void> {
    const header = (name: string) => {
      const value = req.headers[name];
      if (typeof value !== 'string' || value.length === 0 || value.length > 200)
        throw new RequestError(401, 'bad_signature', `missing header ${name}`);
      return value;
    };
    const [key, timestamp, nonce, signature] = ['cb-key', 'cb-timestamp', 'cb-nonce', 'cb-signature'].map(header);
    // The station's signing key and its id, worked out once per connection.
    if (!caller.signing) {
      const signingKey = signingKeyOf(caller.certificateDer);
      caller.signing = { key: signingKey, id: keyId(signingKey) };
    }
    const signingKey = caller.signing.key;
    if (key !== caller.signing.id)
      throw new RequestError(401, 'key_mismatch', 'cb-key is not the signing key named in the client certificate');
    const bytes = requestSigningBytes(req.method ?? '', req.url ?? '', timestamp, nonce, bodySha256);
    if (!verifyBytes(signingKey, bytes, signature))
      throw new RequestError(401, 'bad_signature', 'request signature does not verify with the station key');
    const sentAt = Number(timestamp);
    const hubTime = now();
    if (!Number.isSafeInteger(sentAt) || Math.abs(hubTime - sentAt) > clockSkewWindowMs) {
      throw new RequestError(
        401,
        'clock_skew',
        `request time ${timestamp} is more than ${clockSkewWindowMs / 1000} s from the hub's clock ${hubTime}`,
        { hubTime },
      );
    }
    if (!/^[0-9a-f]{32}$/.test(nonce)) throw new RequestError(401, 'bad_signature', 'cb-nonce must be 16 bytes as hex');
    if (!(await records.useNonce(nonce, hubTime, hubTime - 2 * clockSkewWindowMs)))
      throw new RequestError(409, 'replayed_request', 'this request was already received (nonce seen before)');
  }

  async function ownSubmission(id: string, caller: Caller): Promise<SubmissionRecord> {
    const record = await records.get(id);
    // Another lab's submission is reported as absent, not as forbidden: its existence is not ours to reveal.
    if (!record || record.labId !== caller.labId) throw new RequestError(404, 'not_found', `no submission ${id}`);
    return record;
  }

  async function describe(record: SubmissionRecord): Promise<SubmissionResponse> {
    const response: SubmissionResponse = {
      submissionId: record.id,
      state: record.state,
      missing:
        record.state === 'open'
          ? record.manifest.artifacts.filter((a) => !artifacts.has(a.sha256)).map((a) => a.sha256)
          : [],
    };
    if (record.receipt && record.receiptSignature) {
      response.receipt = record.receipt;
      response.receiptSignature = record.receiptSignature;
    }
    if (record.state === 'correlated') {
      response.leads = await records.leadsFor(record.id);
      const notes = await records.correlationNotes(record.id);
      if (notes.length > 0) response.correlationNotes = notes;
    }
    return response;
  }

  // ---- handlers ----------------------------------------------------------------------------------------
  async function createSubmission(caller: Caller, body: Buffer): Promise<{ status: number; body: unknown }> {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new RequestError(400, 'invalid_request', 'body is not JSON');
    }
    const parsed = createSubmissionRequestSchema.safeParse(json);
    if (!parsed.success)
      throw new RequestError(400, 'invalid_request', 'submission does not follow the protocol', {
        issues: parsed.error.issues.slice(0, 10),
      });
    const { manifest, signature, originCertificate } = parsed.data;
    let origin;
    try {
      origin = checkCertificate(originCertificate, options.ca, new Date(now()));
    } catch (error) {
      throw new RequestError(
        403,
        'origin_certificate_rejected',
        `origin certificate rejected: ${(error as Error).message}`,
      );
    }
    if (origin.labId !== caller.labId)
      throw new RequestError(
        403,
        'lab_mismatch',
        `a station of ${caller.labId} may not relay submissions of ${origin.labId}`,
      );
    if (manifest.lab.labId !== origin.labId || manifest.lab.stationId !== origin.stationId) {
      throw new RequestError(403, 'lab_mismatch', 'manifest lab and station differ from the origin certificate');
    }
    const bytes = manifestBytes(manifest);
    if (!verifyBytes(origin.signingKey, bytes, signature))
      throw new RequestError(
        403,
        'manifest_signature_invalid',
        'manifest signature does not verify with the origin station key',
      );
    const manifestSha256 = sha256(bytes);
    const existing = await records.findByIdempotencyKey(manifest.idempotencyKey);
    if (existing) {
      if (existing.manifestSha256 !== manifestSha256)
        throw new RequestError(409, 'idempotency_conflict', 'this idempotency key was used for a different manifest');
      return { status: 200, body: await describe(existing) };
    }
    const id = randomUUID();
    const record = await records.insert(
      {
        id,
        idempotencyKey: manifest.idempotencyKey,
        labId: origin.labId,
        stationId: origin.stationId,
        caseRef: manifest.caseRef,
        itemRef: manifest.itemRef,
        calibre: manifest.specimen.calibre,
        manifest,
        manifestSha256,
        signature,
        createdAt: new Date(now()).toISOString(),
      },
      originCertificate,
    );
    // Another request with this key may have been inserted between the lookup and the insert (the records answer
    // asynchronously): the stored record decides, as if it had been found above.
    if (record.id !== id) {
      if (record.manifestSha256 !== manifestSha256)
        throw new RequestError(409, 'idempotency_conflict', 'this idempotency key was used for a different manifest');
      return { status: 200, body: await describe(record) };
    }
    return { status: 201, body: await describe(record) };
  }

  function artifactRef(record: SubmissionRecord, sha: string) {
    const ref = record.manifest.artifacts.find((a) => a.sha256 === sha);
    if (!ref) throw new RequestError(404, 'not_found', `artifact ${sha} is not in submission ${record.id}`);
    return ref;
  }

  // The chunks of one upload are handled one at a time: the disk work is asynchronous now, and a retried request
  // can arrive while its first copy is still being written; its offset check must see the first one's outcome.
  const uploadQueues = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (uploadQueues.get(key) ?? Promise.resolve()).then(work);
    const settled = result.then(
      () => {},
      () => {},
    );
    uploadQueues.set(key, settled);
    void settled.then(() => {
      if (uploadQueues.get(key) === settled) uploadQueues.delete(key);
    });
    return result;
  }

  function uploadChunk(
    req: IncomingMessage,
    record: SubmissionRecord,
    sha: string,
    body: ChunkBody,
    dropMidway: boolean,
  ): Promise<unknown> {
    uploadsInFlight++;
    lastUploadAt = performance.now();
    return oneAtATime(`${record.id}.${sha}`, () => storeChunk(req, record, sha, body, dropMidway)).finally(() => {
      uploadsInFlight--;
      lastUploadAt = performance.now();
    });
  }

  /**
   * An upload whose bytes all arrived but were never checked and stored (the hub stopped, or the station stopped
   * waiting, while it hashed) is checked and stored now, before anyone is told what is missing; without this its
   * full-size partial would say "nothing left to send" while the artifact never counts as stored. A mismatch drops
   * the partial, so the station sends the artifact again from byte 0.
   */
  function settleReceived(record: SubmissionRecord, ref: ArtifactRef): Promise<void> {
    const uploadId = `${record.id}.${ref.sha256}`;
    return oneAtATime(uploadId, async () => {
      if (ref.size > 0 && !artifacts.has(ref.sha256) && artifacts.partialSize(uploadId) === ref.size)
        await artifacts.finalize(uploadId, ref.sha256, ref.size);
    });
  }

  async function storeChunk(
    req: IncomingMessage,
    record: SubmissionRecord,
    sha: string,
    body: ChunkBody,
    dropMidway: boolean,
  ): Promise<unknown> {
    const ref = artifactRef(record, sha);
    if (artifacts.has(sha)) return { offset: ref.size, complete: true };
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''));
    if (!range) throw new RequestError(400, 'invalid_request', 'content-range must be "bytes start-end/total"');
    const [start, end, total] = range.slice(1).map(Number);
    if (total !== ref.size)
      throw new RequestError(400, 'invalid_request', `total ${total} differs from the manifest's size ${ref.size}`);
    if (end < start || end >= total || end - start + 1 !== body.length)
      throw new RequestError(400, 'invalid_request', 'content-range does not match the body');
    const uploadId = `${record.id}.${sha}`;
    const offset = artifacts.partialSize(uploadId);
    if (start !== offset)
      throw new RequestError(409, 'offset_mismatch', `upload continues at byte ${offset}`, { offset });
    if (dropMidway) {
      await artifacts.appendPartial(uploadId, start, firstBytes(body.source, Math.floor(body.length / 2)));
      throw new DroppedConnection();
    }
    const received = await artifacts.appendPartial(uploadId, start, exactly(body.source, body.length));
    if (received < total) return { offset: received, complete: false };
    if (!(await artifacts.finalize(uploadId, sha, total))) {
      throw new RequestError(
        422,
        'artifact_hash_mismatch',
        `artifact ${sha}: the received bytes do not hash to the manifest's SHA-256; upload discarded`,
      );
    }
    return { offset: total, complete: true };
  }

  async function commit(record: SubmissionRecord): Promise<SubmissionResponse> {
    if (record.state !== 'open') return describe(record);
    await Promise.all(
      record.manifest.artifacts.filter((a) => !artifacts.has(a.sha256)).map((a) => settleReceived(record, a)),
    );
    const missing = record.manifest.artifacts.filter((a) => !artifacts.has(a.sha256)).map((a) => a.sha256);
    if (missing.length > 0)
      throw new RequestError(409, 'artifacts_missing', `${missing.length} artifact(s) not yet uploaded`, { missing });
    const receipt: Receipt = {
      hubId,
      submissionId: record.id,
      idempotencyKey: record.idempotencyKey,
      manifestSha256: record.manifestSha256,
      artifacts: record.manifest.artifacts.map((a) => a.sha256),
      committedAt: new Date(now()).toISOString(),
    };
    const { record: committed, committedNow } = await records.commit(
      record.id,
      receipt,
      signBytes(hubSigningKey, Buffer.from(canonicalJson(receipt))),
    );
    if (committedNow) scheduleCorrelation(committed);
    return describe(committed);
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const caller = authenticateTls(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (method === 'GET' && url === '/v1/health')
      return { status: 200, body: { hubId, time: now(), protocol: protocolVersion } };
    const isChunk = method === 'PUT';
    let body: Buffer = Buffer.alloc(0);
    if (isChunk) {
      // A chunk is signed as UNSIGNED-PAYLOAD (its bytes are bound by the manifest's SHA-256, checked before
      // commit), so the request is authenticated from its headers before a byte of the body is taken.
      await authenticateRequest(req, caller, unsignedPayload);
    } else {
      const read = await readBody(req, 1024 * 1024, true);
      await authenticateRequest(req, caller, read.sha256);
      body = read.body;
    }
    const twice = roll(faults.duplicateRate);
    // A chunk streams from the connection to disk; only a request the fault injector processes twice is held in
    // memory first (a stream can be read once).
    let chunk: ChunkBody | undefined;
    if (isChunk && twice) {
      const held = (await readBody(req, maxChunkBytes, false)).body;
      chunk = { source: [held], length: held.byteLength };
    } else if (isChunk) chunk = { source: req, length: declaredLength(req) };
    const run = async (): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> => {
      if (method === 'POST' && url === '/v1/submissions') return await createSubmission(caller, body);
      let m = commitPath.exec(url);
      if (m && method === 'POST') return { status: 200, body: await commit(await ownSubmission(m[1], caller)) };
      m = artifactPath.exec(url);
      if (m && method === 'HEAD') {
        const record = await ownSubmission(m[1], caller);
        const ref = artifactRef(record, m[2]);
        await settleReceived(record, ref);
        const offset = artifacts.has(m[2]) ? ref.size : artifacts.partialSize(`${record.id}.${m[2]}`);
        return { status: 200, body: undefined, headers: { 'upload-offset': String(offset) } };
      }
      if (m && method === 'PUT')
        return {
          status: 200,
          body: await uploadChunk(
            req,
            await ownSubmission(m[1], caller),
            m[2],
            chunk!,
            !twice && roll(faults.dropMidUploadRate),
          ),
        };
      m = submissionPath.exec(url);
      if (m && method === 'GET') return { status: 200, body: await describe(await ownSubmission(m[1], caller)) };
      m = leadArtifactPath.exec(url);
      if (m && method === 'GET') {
        // Another lab's casing is served only through a lead on one of the caller's own submissions.
        const lead = (await records.leadsFor((await ownSubmission(m[1], caller)).id)).find(
          (l) => l.leadId === Number(m![2]),
        );
        if (!lead) throw new RequestError(404, 'not_found', `no lead ${m[2]} on submission ${m[1]}`);
        if (!lead.otherArtifacts.some((a) => a.sha256 === m![3]) || !artifacts.has(m[3]))
          throw new RequestError(404, 'not_found', `artifact ${m[3]} is not part of lead ${m[2]}`);
        return { status: 200, body: artifacts.read(m[3]), headers: { 'content-type': 'application/octet-stream' } };
      }
      throw new RequestError(404, 'not_found', `no route ${method} ${url}`);
    };
    if (twice) {
      try {
        await run();
      } catch {
        // The duplicate's own outcome is irrelevant: only the effect on the hub's state must stay the same.
      }
    }
    const result = await run();
    void res;
    return result;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const payload = Buffer.isBuffer(body) ? body : Buffer.from(body === undefined ? '' : JSON.stringify(body));
      res.writeHead(status, {
        'content-type': 'application/json',
        'cb-hub-time': String(now()),
        'content-length': payload.byteLength,
        ...headers,
      });
      res.end(payload);
    };
    try {
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
      // The station gave up waiting (its timeout) while the injected latency ran: nobody to answer.
      if (req.socket.destroyed) return;
      if (roll(faults.errorRate)) {
        req.resume();
        throw new RequestError(503, 'unavailable', 'injected fault: hub unavailable');
      }
      const result = await route(req, res);
      if (roll(faults.dropResponseRate)) throw new DroppedConnection();
      send(result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof DroppedConnection) {
        req.socket.destroy();
        return;
      }
      if (error instanceof RequestError) {
        send(error.status, {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details }),
          },
        });
        return;
      }
      // The station went away mid-request (what arrived of a chunk is kept): nobody to answer.
      if (req.socket.destroyed) return;
      console.error(`hub: ${req.method} ${req.url}: ${(error as Error).stack}`);
      send(500, { error: { code: 'internal', message: 'internal hub error' } });
    }
  }

  // Requests being handled, so that closing waits for them (a chunk being hashed and stored, a commit) before the
  // threads and files they use are closed.
  const handling = new Set<Promise<void>>();
  const server: Server = createServer(
    {
      key: options.tlsKey,
      cert: options.certificate,
      ca: options.ca,
      requestCert: true,
      // The handshake is accepted so that a refused certificate gets a clear reason as a 401, not a bare TLS alert.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      const handled = handle(req, res);
      handling.add(handled);
      void handled.finally(() => handling.delete(handled));
    },
  );
  server.keepAliveTimeout = 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    stopCorrelation.abort(new Error('the hub did not start'));
    while (correlating) await correlating;
    await release();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    hubId,
    records,
    artifacts,
    setFaults(next) {
      faults = faultsSchema.parse(next);
      dice = seededRandom(faults.seed);
    },
    async correlationIdle() {
      while (correlating) await correlating;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...handling]);
      stopCorrelation.abort(new Error('the hub is stopping'));
      while (correlating) await correlating;
      await release();
    },
  };
}
