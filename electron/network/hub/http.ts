// The hub's HTTP plumbing: protocol errors as thrown values, request bodies read whole (JSON requests) or streamed
// (artifact chunks), and the answer written with the hub's clock on it.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { maxChunkBytes, unsignedPayload, type HubErrorCode } from '../protocol.ts';

/** A refusal the station is told about: status, protocol error code, message and optional details. */
export class RequestError extends Error {
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
export class DroppedConnection extends Error {}

export interface HandlerResult {
  status: number;
  /** JSON-encoded unless a Buffer; nothing when undefined. */
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Reads the body, hashing it on the way in unless it is an artifact chunk (see `unsignedPayload`). A body over
 * `limit` (declared, or as it arrives) is refused with 413 and the rest is not kept: the answer closes the
 * connection (see `closesConnection`), so the sender hears why instead of seeing its connection dropped.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  hashIt: boolean,
): Promise<{ body: Buffer; sha256: string }> {
  const tooLarge = () =>
    new RequestError(413, hashIt ? 'invalid_request' : 'artifact_too_large', `request body over ${limit} bytes`);
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = hashIt ? createHash('sha256') : undefined;
    let length = 0;
    const onData = (chunk: Buffer) => {
      hash?.update(chunk);
      length += chunk.byteLength;
      if (length > limit) {
        req.off('data', onData);
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () =>
      resolve({ body: Buffer.concat(chunks, length), sha256: hash ? hash.digest('hex') : unsignedPayload }),
    );
    req.on('error', reject);
  });
}

/** An answer after which the connection is closed: the request's body was not read to its end. */
export function closesConnection(error: RequestError): boolean {
  return error.status === 413 || error.status === 411;
}

/** Parses a JSON request body; a body that is not JSON is the station's error. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RequestError(400, 'invalid_request', 'body is not JSON');
  }
}

/** The body of a chunk upload: the request itself (streamed) or bytes held in memory, and its declared length. */
export interface ChunkBody {
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  length: number;
}

export function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length']);
  if (req.headers['content-length'] === undefined || !Number.isSafeInteger(length) || length < 0) {
    throw new RequestError(411, 'invalid_request', 'a chunk upload needs a content-length');
  }
  if (length > maxChunkBytes) throw new RequestError(413, 'artifact_too_large', `chunk over ${maxChunkBytes} bytes`);
  return length;
}

/** The source's bytes, failing unless there are exactly `length` (a short body is a connection lost mid-chunk). */
export async function* exactly(source: ChunkBody['source'], length: number): AsyncIterable<Uint8Array> {
  let seen = 0;
  for await (const piece of source) {
    seen += piece.byteLength;
    if (seen > length) throw new RequestError(400, 'invalid_request', 'the body is longer than its content-range');
    yield piece;
  }
  if (seen < length) throw new RequestError(400, 'invalid_request', 'the body ended before its content-range did');
}

/** The first `count` bytes of the source (the fault injector's upload cut off half-way). */
export async function* firstBytes(source: ChunkBody['source'], count: number): AsyncIterable<Uint8Array> {
  let left = count;
  for await (const piece of source) {
    if (left <= 0) return;
    const part = piece.byteLength > left ? piece.subarray(0, left) : piece;
    left -= part.byteLength;
    yield part;
  }
}

/**
 * An answer's body read from a file as it is sent (an artifact may be 2 GiB): never held in memory, never read on
 * the event loop, so stations downloading at once cost the hub neither its memory nor its other requests.
 */
export class FileBody {
  readonly path: string;
  readonly size: number;
  constructor(path: string, size: number) {
    this.path = path;
    this.size = size;
  }
}

/** Writes an answer: JSON unless the body is bytes or a file, always with the hub's clock (`cb-hub-time`). */
export function sendAnswer(res: ServerResponse, hubTime: number, result: HandlerResult): void {
  const { status, body, headers = {} } = result;
  if (body instanceof FileBody) {
    res.writeHead(status, {
      'content-type': 'application/octet-stream',
      'cb-hub-time': String(hubTime),
      'content-length': body.size,
      ...headers,
    });
    // A file that fails mid-way cannot be answered any more: the cut connection tells the station (short body).
    pipeline(createReadStream(body.path, { start: 0, end: Math.max(0, body.size - 1) }), res, (error) => {
      if (error) res.destroy();
    });
    return;
  }
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(body === undefined ? '' : JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'cb-hub-time': String(hubTime),
    'content-length': payload.byteLength,
    ...headers,
  });
  res.end(payload);
}

/** The protocol's error body for a refusal. */
export function errorAnswer(error: RequestError): HandlerResult {
  return {
    status: error.status,
    body: {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    },
  };
}
