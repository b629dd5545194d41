// The hub's route table and the one path every request takes through it: the caller's certificate, the request
// signature (over the body, or UNSIGNED-PAYLOAD for a chunk, which then streams to disk), fault injection, the
// handler. Adding a message to the protocol is adding a row here (see docs/engineering.md, "Adding a network message").
import type { IncomingMessage } from 'node:http';
import {
  maxChunkBytes,
  protocolRevisionHeader,
  protocolVersion,
  requestRevision,
  unsignedPayload,
} from '../protocol.ts';
import type { Authenticator, Caller } from './auth.ts';
import type { Faults } from './faults.ts';
import { RequestError, declaredLength, readBody, type ChunkBody, type HandlerResult } from './http.ts';
import type { Hits } from './hits.ts';
import type { Submissions } from './submissions.ts';
import { artifactRef, type Uploads } from './uploads.ts';

export interface RouteRequest {
  caller: Caller;
  /** The path's captured groups. */
  params: string[];
  /** The protocol revision the caller reads (its `cb-protocol-revision` header; 1 without it). */
  revision: number;
  /** The body of a signed JSON request (empty for a chunk). */
  body: Buffer;
  /** A chunk upload's body (PUT only). */
  chunk?: ChunkBody;
  contentRange: string;
  /** Fault injection: whether this chunk is cut off half-way (asked once, when the handler is about to store it). */
  dropMidway(): boolean;
}

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  path: RegExp;
  /** Answered without a request signature (the connectivity probe); the client certificate is still checked. */
  unsigned?: boolean;
  handle(request: RouteRequest): Promise<HandlerResult>;
}

const id = '([0-9a-f-]{36})';
const sha = '([0-9a-f]{64})';

export function submissionRoutes(
  hub: {
    hubId: string;
    now: () => number;
    /** Throws when the hub cannot take submissions now (its database down or read-only): health answers 503. */
    ready?: () => Promise<void>;
  },
  submissions: Submissions,
  uploads: Uploads,
): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/v1\/health$/,
      unsigned: true,
      handle: async () => {
        await hub.ready?.();
        return { status: 200, body: { hubId: hub.hubId, time: hub.now(), protocol: protocolVersion } };
      },
    },
    {
      method: 'POST',
      path: /^\/v1\/submissions$/,
      handle: ({ caller, body, revision }) => submissions.create(caller, body, revision),
    },
    {
      method: 'POST',
      path: new RegExp(`^/v1/submissions/${id}/commit$`),
      handle: async ({ caller, params, revision }) => ({
        status: 200,
        body: await submissions.commit(await submissions.own(params[0], caller), revision),
      }),
    },
    {
      method: 'HEAD',
      path: new RegExp(`^/v1/submissions/${id}/artifacts/${sha}$`),
      handle: async ({ caller, params }) => {
        const record = await submissions.own(params[0], caller);
        const offset = await uploads.offset(record, artifactRef(record, params[1]));
        return { status: 200, body: undefined, headers: { 'upload-offset': String(offset) } };
      },
    },
    {
      method: 'PUT',
      path: new RegExp(`^/v1/submissions/${id}/artifacts/${sha}$`),
      handle: async ({ caller, params, chunk, contentRange, dropMidway }) => {
        const record = await submissions.own(params[0], caller);
        return { status: 200, body: await uploads.putChunk(record, params[1], contentRange, chunk!, dropMidway()) };
      },
    },
    {
      method: 'GET',
      path: new RegExp(`^/v1/submissions/${id}$`),
      handle: async ({ caller, params, revision }) => ({
        status: 200,
        body: await submissions.describe(await submissions.own(params[0], caller), revision),
      }),
    },
    {
      method: 'GET',
      path: new RegExp(`^/v1/submissions/${id}/leads/(\\d{1,15})/artifacts/${sha}$`),
      handle: async ({ caller, params }) => ({
        status: 200,
        body: await submissions.leadArtifact(caller, params[0], Number(params[1]), params[2]),
        headers: { 'content-type': 'application/octet-stream' },
      }),
    },
  ];
}

/** Hit reports and the labs' feeds (hits.ts). */
export function hitRoutes(hits: Hits): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/v1\/hits$/,
      handle: ({ caller, body }) => hits.report(caller, body),
    },
    {
      method: 'GET',
      path: /^\/v1\/feed(?:\?after=(\d{1,15})(?:&limit=(\d{1,4}))?)?$/,
      handle: async ({ caller, params, revision }) => ({
        status: 200,
        body: await hits.feed(caller, Number(params[0] ?? 0), Number(params[1] ?? 100), revision),
      }),
    },
  ];
}

/** Finds a request's route; null when there is none (answered 404 once the request is authenticated). */
function match(routes: Route[], method: string, url: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.path.exec(url);
    if (m) return { route, params: m.slice(1) };
  }
  return null;
}

/**
 * Runs one request through authentication and its route. Every request is authenticated before anything else
 * (an unknown route is 404 only to a caller the hub knows). A chunk (PUT) is signed as UNSIGNED-PAYLOAD — its bytes
 * are bound by the manifest's SHA-256, checked before commit — so it is authenticated from its headers before a
 * byte of its body is taken, then streamed.
 */
export function createDispatcher(
  routes: Route[],
  auth: Authenticator,
  faults: { current(): Faults; roll(rate: number): boolean },
) {
  return async function dispatch(req: IncomingMessage): Promise<HandlerResult> {
    const caller = auth.caller(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const found = match(routes, method, url);
    const revision = requestRevision(req.headers[protocolRevisionHeader]);
    if (found?.route.unsigned)
      return found.route.handle({
        caller,
        revision,
        params: found.params,
        body: Buffer.alloc(0),
        contentRange: '',
        dropMidway: () => false,
      });
    const isChunk = method === 'PUT';
    let body: Buffer = Buffer.alloc(0);
    if (isChunk) await auth.verify(req, caller, unsignedPayload);
    else {
      const read = await readBody(req, 1024 * 1024, true);
      await auth.verify(req, caller, read.sha256);
      body = read.body;
    }
    const { roll } = faults;
    const twice = roll(faults.current().duplicateRate);
    // A chunk streams from the connection to disk; only a request the fault injector processes twice is held in
    // memory first (a stream can be read once).
    let chunk: ChunkBody | undefined;
    if (isChunk && twice) {
      const held = (await readBody(req, maxChunkBytes, false)).body;
      chunk = { source: [held], length: held.byteLength };
    } else if (isChunk) chunk = { source: req, length: declaredLength(req) };
    const run = async (): Promise<HandlerResult> => {
      if (!found) throw new RequestError(404, 'not_found', `no route ${method} ${url}`);
      return found.route.handle({
        caller,
        revision,
        params: found.params,
        body,
        chunk,
        contentRange: String(req.headers['content-range'] ?? ''),
        dropMidway: () => !twice && roll(faults.current().dropMidUploadRate),
      });
    };
    if (twice) {
      try {
        await run();
      } catch {
        // The duplicate's own outcome is irrelevant: only the effect on the hub's state must stay the same.
      }
    }
    return run();
  };
}
