import type { z } from 'zod';
import type { CallDef, CallMap, EventDef, EventMap } from '../../contract/rpc.ts';
import type { Session } from '../../contract/auth.ts';

/** What a connection remembers between calls: which session token it signed in with. */
export interface ConnectionState {
  readonly id: number;
  sessionToken: string | null;
  /** The remote address, for the log. */
  readonly remote: string;
  /** The browser this connection came from (its access cookie), whose tabs share one sign-in; null otherwise. */
  readonly browser: string | null;
}

/** Reports how far a long call is (0..1) and, for a call with a progress schema, what it is doing. */
export type ProgressReporter<P = never> = [P] extends [never]
  ? (fraction: number) => void
  : (fraction: number, detail: P) => void;

export interface CallContext<P = never> {
  /** The signed-in, unlocked session; null only for 'public' calls. */
  session: Session | null;
  connection: ConnectionState;
  signal: AbortSignal;
  progress: ProgressReporter<P>;
}

/** The progress detail a handler of this call reports (the input side of its schema). */
export type HandlerProgress<C extends CallDef> = C extends CallDef<z.ZodType, z.ZodType, infer P> ? z.input<P> : never;

export type CallHandler<C extends CallDef> = (
  input: z.output<C['input']>,
  ctx: CallContext<HandlerProgress<C>>,
) => Promise<z.input<C['output']>> | z.input<C['output']>;
export type CallHandlers<M extends CallMap> = { [K in keyof M]: CallHandler<M[K]> };

/** Starts delivering events matching the filter; returns the function that stops it. */
export type EventSource<E extends EventDef> = (
  filter: z.output<E['filter']>,
  emit: (payload: z.input<E['payload']>) => void,
  ctx: Omit<CallContext, 'progress'>,
) => () => void;
export type EventSources<M extends EventMap> = { [K in keyof M]: EventSource<M[K]> };
