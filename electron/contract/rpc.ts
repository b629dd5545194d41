// One small channel protocol for the whole contract, over anything that can carry messages
// (an Electron MessagePort, a WebSocket, an in-memory pair in tests):
//   client → host: call | cancel | subscribe | unsubscribe
//   host → client: result | error | progress | event
// Inputs are validated by the host before a handler runs; outputs are validated before they leave.
import { z } from 'zod';
import { AppError, errorSchema, type ErrorData } from './errors.ts';
import { parseBoundedJson } from './boundedJson.ts';
import type { Permission } from './auth.ts';

/** 'public': anyone connected; 'signedIn': any unlocked session; otherwise the named permission. */
export type Access = Permission | 'public' | 'signedIn';

export interface CallDef<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  kind: 'call';
  permission: Access;
  input: I;
  output: O;
  /**
   * What each progress report of a long call says besides how far it is (a stage, counts, a region), as codes the
   * UI turns into words; checked like the output before it leaves. Absent: the call reports fractions only.
   */
  progress?: P;
}

export interface EventDef<F extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  kind: 'event';
  permission: Access;
  filter: F;
  payload: P;
}

export function defineCall<I extends z.ZodType, O extends z.ZodType, P extends z.ZodType = z.ZodNever>(
  def: Omit<CallDef<I, O, P>, 'kind'>,
): CallDef<I, O, P> {
  return { kind: 'call', ...def };
}

export function defineEvent<F extends z.ZodType, P extends z.ZodType>(
  def: Omit<EventDef<F, P>, 'kind'>,
): EventDef<F, P> {
  return { kind: 'event', ...def };
}

export type CallMap = Record<string, CallDef>;
export type EventMap = Record<string, EventDef>;

export type CallInput<C extends CallDef> = z.input<C['input']>;
export type CallOutput<C extends CallDef> = z.output<C['output']>;
/** The detail of a call's progress reports (`never` for a call that reports fractions only). */
export type CallProgress<C extends CallDef> = C extends CallDef<z.ZodType, z.ZodType, infer P> ? z.output<P> : never;
export type EventFilter<E extends EventDef> = z.input<E['filter']>;
export type EventPayload<E extends EventDef> = z.output<E['payload']>;

// ---- wire messages ----------------------------------------------------------------------------

export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('call'),
    id: z.number().int().nonnegative(),
    method: z.string().max(100),
    input: z.unknown(),
  }),
  z.object({ t: z.literal('cancel'), id: z.number().int().nonnegative() }),
  z.object({
    t: z.literal('subscribe'),
    id: z.number().int().nonnegative(),
    event: z.string().max(100),
    filter: z.unknown(),
  }),
  z.object({ t: z.literal('unsubscribe'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type HostMessage =
  | { t: 'result'; id: number; output: unknown }
  | { t: 'error'; id: number; error: ErrorData }
  | { t: 'progress'; id: number; fraction: number; detail?: unknown }
  | { t: 'event'; id: number; payload: unknown };

/** A message pipe. Electron MessagePorts carry objects (and ArrayBuffers) natively; WebSockets use `encodeFrame`. */
export interface MessagePipe<In, Out> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

// ---- binary-safe framing for text/binary sockets --------------------------------------------------
// Messages with Uint8Array/ArrayBuffer values (camera frames, images) go as one binary frame:
// [u32 header length][UTF-8 JSON header][blob 0][blob 1]..., the header holding {"$bin": index, "len": n} markers.

type Blob = Uint8Array;

function extractBinaries(value: unknown, blobs: Blob[]): unknown {
  if (value instanceof Uint8Array) {
    blobs.push(value);
    return { $bin: blobs.length - 1, len: value.byteLength, kind: 'u8' };
  }
  if (value instanceof ArrayBuffer) {
    blobs.push(new Uint8Array(value));
    return { $bin: blobs.length - 1, len: value.byteLength, kind: 'ab' };
  }
  if (Array.isArray(value)) return value.map((v) => extractBinaries(v, blobs));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = extractBinaries(v, blobs);
    return out;
  }
  return value;
}

function restoreBinaries(value: unknown, blobs: Blob[]): unknown {
  if (Array.isArray(value)) return value.map((v) => restoreBinaries(v, blobs));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (isBlobMarker(record)) {
      const blob = blobs[record.$bin];
      if (!blob) throw new AppError('invalid_input', 'binary frame refers to a missing blob');
      return record.kind === 'ab' ? blob.slice().buffer : blob;
    }
    // fromEntries defines own properties: a "__proto__" key stays data instead of becoming the prototype.
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, restoreBinaries(v, blobs)]));
  }
  return value;
}

/** At most this many blobs in one frame; a marker's index is below it (the header is the client's text). */
const maxBlobsPerFrame = 1024;

function isBlobMarker(record: Record<string, unknown>): record is { $bin: number; len: number; kind?: unknown } {
  return typeof record.$bin === 'number' && typeof record.len === 'number';
}

export function encodeFrame(message: unknown): string | Uint8Array {
  const blobs: Blob[] = [];
  const header = extractBinaries(message, blobs);
  const json = JSON.stringify(header);
  if (blobs.length === 0) return json;
  const headerBytes = new TextEncoder().encode(json);
  const total = 4 + headerBytes.byteLength + blobs.reduce((n, b) => n + b.byteLength, 0);
  const frame = new Uint8Array(total);
  new DataView(frame.buffer).setUint32(0, headerBytes.byteLength, true);
  frame.set(headerBytes, 4);
  let offset = 4 + headerBytes.byteLength;
  for (const blob of blobs) {
    frame.set(blob, offset);
    offset += blob.byteLength;
  }
  return frame;
}

/**
 * What the host accepts as the JSON of one client message (a text frame, or a binary frame's header): large
 * payloads travel as blobs, so the JSON is small, and keeping it small and shallow bounds what parsing it can cost
 * (see boundedJson.ts). The client trusts its host and decodes the host's messages without these limits.
 */
export const messageJsonLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 64 };

function parseMessageJson(text: string, limits: typeof messageJsonLimits | undefined): unknown {
  if (!limits) return JSON.parse(text);
  try {
    return parseBoundedJson(text, limits);
  } catch (error) {
    throw new AppError('invalid_input', `the message is not acceptable JSON: ${(error as Error).message}`);
  }
}

export function decodeFrame(frame: string | Uint8Array, limits?: typeof messageJsonLimits): unknown {
  if (typeof frame === 'string') return parseMessageJson(frame, limits);
  if (frame.byteLength < 4) throw new AppError('invalid_input', 'binary frame too short');
  const headerLength = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
  if (4 + headerLength > frame.byteLength)
    throw new AppError('invalid_input', 'binary frame header overruns the frame');
  if (limits && headerLength > limits.maxBytes * 4)
    throw new AppError('invalid_input', 'binary frame header is larger than any message');
  const header = parseMessageJson(new TextDecoder().decode(frame.subarray(4, 4 + headerLength)), limits);
  const lengths: number[] = [];
  collectLengths(header, lengths);
  const blobs: Blob[] = [];
  let offset = 4 + headerLength;
  // Indexed loop, not for-of: a hole must be seen as one (for-of would walk a sparse array to its length).
  for (let index = 0; index < lengths.length; index++) {
    const len = lengths[index];
    if (len === undefined) throw new AppError('invalid_input', `binary frame has no blob ${index}`);
    if (offset + len > frame.byteLength)
      throw new AppError('invalid_input', 'binary frame shorter than its header says');
    blobs.push(frame.slice(offset, offset + len));
    offset += len;
  }
  return restoreBinaries(header, blobs);
}

function collectLengths(value: unknown, lengths: number[]): void {
  if (Array.isArray(value)) value.forEach((v) => collectLengths(v, lengths));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (isBlobMarker(record)) {
      const { $bin, len } = record;
      if (!Number.isInteger($bin) || $bin < 0 || $bin >= maxBlobsPerFrame || !Number.isInteger(len) || len < 0)
        throw new AppError('invalid_input', 'binary frame has an invalid blob marker');
      lengths[$bin] = len;
    } else Object.values(record).forEach((v) => collectLengths(v, lengths));
  }
}

// ---- client ---------------------------------------------------------------------------------------

export interface CallOptions<P = unknown> {
  signal?: AbortSignal;
  /** `detail` follows the call's progress schema; absent when the host reported only how far it is. */
  onProgress?: (fraction: number, detail?: P) => void;
}

export interface Client<C extends CallMap, E extends EventMap> {
  call<M extends keyof C & string>(
    method: M,
    input: CallInput<C[M]>,
    options?: CallOptions<CallProgress<C[M]>>,
  ): Promise<CallOutput<C[M]>>;
  subscribe<N extends keyof E & string>(
    event: N,
    filter: EventFilter<E[N]>,
    listener: (payload: EventPayload<E[N]>) => void,
  ): () => void;
  /** Rejects every pending call with `unavailable` and forgets subscriptions. */
  close(): void;
}

export function createClient<C extends CallMap, E extends EventMap>(
  pipe: MessagePipe<HostMessage, ClientMessage>,
): Client<C, E> {
  let nextId = 1;
  const pending = new Map<
    number,
    {
      resolve: (v: unknown) => void;
      reject: (e: unknown) => void;
      onProgress?: CallOptions['onProgress'];
      cleanup: () => void;
    }
  >();
  const subscriptions = new Map<number, (payload: unknown) => void>();
  let closed = false;

  pipe.onMessage((message) => {
    if (message.t === 'event') {
      subscriptions.get(message.id)?.(message.payload);
      return;
    }
    const entry = pending.get(message.id);
    if (!entry) return;
    if (message.t === 'progress') {
      entry.onProgress?.(message.fraction, message.detail);
      return;
    }
    pending.delete(message.id);
    entry.cleanup();
    if (message.t === 'result') entry.resolve(message.output);
    else entry.reject(AppError.from(errorSchema.parse(message.error)));
  });
  pipe.onClose(() => failAll());

  function failAll() {
    closed = true;
    for (const entry of pending.values()) {
      entry.cleanup();
      entry.reject(new AppError('unavailable', 'connection to the station was lost'));
    }
    pending.clear();
    subscriptions.clear();
  }

  return {
    call(method, input, options = {}) {
      if (closed) return Promise.reject(new AppError('unavailable', 'connection to the station is closed'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const { signal } = options;
        const onAbort = () => pipe.send({ t: 'cancel', id });
        if (signal?.aborted) {
          reject(new AppError('canceled', 'canceled'));
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, {
          resolve: resolve as (v: unknown) => void,
          reject,
          onProgress: options.onProgress as CallOptions['onProgress'],
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        });
        pipe.send({ t: 'call', id, method, input });
      });
    },
    subscribe(event, filter, listener) {
      const id = nextId++;
      subscriptions.set(id, listener as (payload: unknown) => void);
      if (!closed) pipe.send({ t: 'subscribe', id, event, filter });
      return () => {
        if (subscriptions.delete(id) && !closed) pipe.send({ t: 'unsubscribe', id });
      };
    },
    close() {
      failAll();
      pipe.close();
    },
  };
}
