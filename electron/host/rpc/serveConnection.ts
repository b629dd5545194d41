// The host end of the channel protocol: validates every message and input, checks the session and the
// permission, runs the handler with an AbortSignal, validates the output, and cleans up when the pipe closes.
import { ZodError } from 'zod';
import { AppError, type ErrorData } from '../../contract/errors.ts';
import {
  clientMessageSchema,
  type CallDef,
  type ClientMessage,
  type EventDef,
  type HostMessage,
  type MessagePipe,
  type Access,
} from '../../contract/rpc.ts';
import { roleAllows, type Session } from '../../contract/auth.ts';
import type { CallContext, CallHandler, ConnectionState, EventSource } from './handlers.ts';
import type { Log } from '../../base/log.ts';

export interface RpcRegistry {
  calls: Record<string, CallDef>;
  events: Record<string, EventDef>;
  callHandlers: Record<string, CallHandler<CallDef>>;
  eventSources: Record<string, EventSource<EventDef>>;
  /** Resolves the connection's session; throws `locked` when the session is idle-locked. */
  sessionFor(connection: ConnectionState, touch: boolean): Session | null;
  log: Log;
}

let nextConnectionId = 1;

export function toErrorData(error: unknown): ErrorData {
  if (error instanceof AppError) return error.toData();
  if (error instanceof ZodError) {
    return {
      code: 'invalid_input',
      message: 'some fields are not valid',
      details: { issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
    };
  }
  return { code: 'internal', message: 'internal error (logged on the station)' };
}

function authorize(access: Access, session: Session | null): void {
  if (access === 'public') return;
  if (!session) throw new AppError('unauthenticated', 'sign in first');
  if (access === 'signedIn') return;
  if (!roleAllows(session.user.role, access))
    throw new AppError('forbidden', `the ${session.user.role} role may not do this (needs ${access})`);
}

/** What a user whose password an administrator chose may still do: choose their own, lock, and the public calls. */
const whilePasswordChangeDue = new Set(['auth.changePassword', 'auth.lock']);

function refuseWhilePasswordChangeDue(name: string, access: Access, session: Session | null): void {
  if (access === 'public' || !session?.passwordChangeDue || whilePasswordChangeDue.has(name)) return;
  throw new AppError('forbidden', 'choose a password of your own first: the one you signed in with was given to you');
}

export function serveConnection(
  pipe: MessagePipe<unknown, HostMessage>,
  registry: RpcRegistry,
  remote = 'local',
  browser?: string,
): ConnectionState {
  const connection: ConnectionState = { id: nextConnectionId++, sessionToken: null, remote, browser: browser ?? null };
  const running = new Map<number, AbortController>();
  const subscriptions = new Map<number, () => void>();
  let closed = false;

  const send = (message: HostMessage) => {
    if (!closed) pipe.send(message);
  };

  pipe.onMessage((raw) => {
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      registry.log('warn', 'rejected malformed rpc message', { connection: connection.id, remote });
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number')
        send({ t: 'error', id, error: { code: 'invalid_input', message: 'malformed message' } });
      return;
    }
    handle(parsed.data);
  });

  pipe.onClose(() => {
    closed = true;
    for (const controller of running.values()) controller.abort(new AppError('canceled', 'connection closed'));
    running.clear();
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
  });

  function handle(message: ClientMessage): void {
    switch (message.t) {
      case 'call':
        void runCall(message.id, message.method, message.input);
        break;
      case 'cancel':
        running.get(message.id)?.abort(new AppError('canceled', 'canceled by the user'));
        break;
      case 'subscribe':
        startSubscription(message.id, message.event, message.filter);
        break;
      case 'unsubscribe':
        subscriptions.get(message.id)?.();
        subscriptions.delete(message.id);
        break;
    }
  }

  async function runCall(id: number, method: string, rawInput: unknown): Promise<void> {
    if (running.has(id))
      return send({ t: 'error', id, error: { code: 'invalid_input', message: 'duplicate call id' } });
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const def = registry.calls[method];
      const handler = registry.callHandlers[method];
      if (!def || !handler) throw new AppError('not_found', `unknown call "${method}"`);
      const session = def.permission === 'public' ? safeSession() : registry.sessionFor(connection, true);
      authorize(def.permission, session);
      refuseWhilePasswordChangeDue(method, def.permission, session);
      const input = def.input.parse(rawInput);
      const progress = (fraction: number, detail?: unknown) => {
        const checked = def.progress && detail !== undefined ? def.progress.safeParse(detail) : undefined;
        // A detail off the call's progress schema is a bug of the handler (not of the caller's input): it fails the call.
        if (checked && !checked.success)
          throw new Error(`${method} reported progress its contract does not declare: ${checked.error.message}`);
        send({
          t: 'progress',
          id,
          fraction: Math.min(1, Math.max(0, fraction)),
          ...(checked ? { detail: checked.data } : {}),
        });
      };
      const output = await handler(input, {
        session,
        connection,
        signal: controller.signal,
        progress: progress as CallContext['progress'],
      });
      if (controller.signal.aborted) throw new AppError('canceled', 'canceled');
      send({ t: 'result', id, output: def.output.parse(output) });
    } catch (error) {
      const data =
        controller.signal.aborted && !(error instanceof AppError && error.code !== 'canceled')
          ? { code: 'canceled' as const, message: 'canceled' }
          : toErrorData(error);
      if (data.code === 'internal')
        registry.log('error', `call ${method} failed`, { error: String((error as Error)?.stack ?? error) });
      send({ t: 'error', id, error: data });
    } finally {
      running.delete(id);
    }
  }

  /** Public calls still see who is signed in, but a locked or absent session is not an error for them. */
  function safeSession(): Session | null {
    try {
      return registry.sessionFor(connection, false);
    } catch {
      return null;
    }
  }

  function startSubscription(id: number, event: string, rawFilter: unknown): void {
    try {
      const def = registry.events[event];
      const source = registry.eventSources[event];
      if (!def || !source) throw new AppError('not_found', `unknown event "${event}"`);
      const session = def.permission === 'public' ? safeSession() : registry.sessionFor(connection, false);
      authorize(def.permission, session);
      refuseWhilePasswordChangeDue(event, def.permission, session);
      const filter = def.filter.parse(rawFilter ?? {});
      const controller = new AbortController();
      const stop = source(filter, (payload) => send({ t: 'event', id, payload: def.payload.parse(payload) }), {
        session,
        connection,
        signal: controller.signal,
      });
      subscriptions.set(id, () => {
        controller.abort();
        stop();
      });
    } catch (error) {
      send({ t: 'error', id, error: toErrorData(error) });
    }
  }

  return connection;
}
