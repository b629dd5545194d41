// The renderer's one handle on the station: the connection, a call() that checks what comes back against
// the contract, and the sign-in state (first run, signed out, locked, signed in) that decides which screen shows.
import {
  AppError,
  calls,
  isAppError,
  type CallInput,
  type CallName,
  type CallOutput,
  type Calls,
  type CallDef,
  type CallOptions,
  type CallProgress,
  type Session,
} from '../../electron/contract/index.ts';
import { connectToStation, type Connection, type StationClient } from './connect.ts';
import { loadStoredSession, storeSession } from './tokens.ts';

export type AuthState =
  | { phase: 'checking' }
  | { phase: 'firstRun' }
  | { phase: 'signedOut'; notice?: 'sessionEnded' }
  | { phase: 'locked'; session: Session }
  | { phase: 'signedIn'; session: Session };

export interface Station {
  connection: Connection;
  call<M extends CallName>(
    method: M,
    input: CallInput<Calls[M]>,
    options?: CallOptions<CallProgress<Calls[M]>>,
  ): Promise<CallOutput<Calls[M]>>;
  getAuth(): AuthState;
  subscribeAuth(listener: () => void): () => void;
  /** Records a session the host just granted (setup, sign-in, unlock). */
  signedIn(session: Session): void;
  signOut(): Promise<void>;
  lock(): Promise<void>;
  /** Every failed call passes through here, so a `locked` or `unauthenticated` answer anywhere switches the screen. */
  noteError(error: unknown): void;
  /** Called once a (re)connection has its session back: the moment to refetch what is on screen. */
  onSessionRestored(listener: () => void): () => void;
}

export function createStation(connection: Connection = connectToStation()): Station {
  let auth: AuthState = { phase: 'checking' };
  const listeners = new Set<() => void>();
  const restoredListeners = new Set<() => void>();
  // While a new link re-attaches the session, calls made on the way may be refused as unauthenticated; that is not the end of the session.
  let reattaching = false;
  const setAuth = (next: AuthState) => {
    auth = next;
    if (next.phase === 'signedIn' || next.phase === 'locked') storeSession(next.session);
    else if (next.phase !== 'checking') storeSession(null);
    listeners.forEach((l) => l());
  };

  const requireClient = (): StationClient => {
    const client = connection.getClient();
    if (!client) throw new AppError('unavailable', 'not connected to the station');
    return client;
  };

  async function call<M extends CallName>(
    method: M,
    input: CallInput<Calls[M]>,
    options: CallOptions<CallProgress<Calls[M]>> = {},
  ): Promise<CallOutput<Calls[M]>> {
    const { onProgress } = options;
    const progressSchema = (calls[method] as CallDef).progress;
    const raw: unknown = await requireClient().call(method, input as never, {
      signal: options.signal,
      // A progress detail this version does not understand still moves the bar; only its words are left out.
      onProgress:
        onProgress &&
        ((fraction, detail) => {
          const checked = detail === undefined ? undefined : progressSchema?.safeParse(detail);
          onProgress(fraction, checked?.success ? (checked.data as CallProgress<Calls[M]>) : undefined);
        }),
    });
    const checked = calls[method].output.safeParse(raw);
    if (!checked.success)
      // The method and the issues are for the logs and the console; the screen says what happened in words.
      throw new AppError('internal', `the station answered ${method} with data this version does not understand`, {
        reason: 'contract_mismatch',
        method,
        issues: checked.error.issues,
      });
    return checked.data as CallOutput<Calls[M]>;
  }

  // After every (re)connection the host knows nothing about this tab: ask where we stand, then re-attach.
  async function establish(client: StationClient) {
    reattaching = true;
    try {
      await reattach(client);
    } finally {
      reattaching = false;
    }
    if (auth.phase === 'signedIn' || auth.phase === 'locked') restoredListeners.forEach((l) => l());
  }

  async function reattach(client: StationClient) {
    // The session may be shared with this browser's other tabs: their sign-in, lock, unlock and sign-out show here too.
    client.subscribe('auth.onSessionChanged', {}, (change) => {
      const current = auth;
      if (!change.signedIn) setAuth({ phase: 'signedOut', notice: 'sessionEnded' });
      else if (change.locked && current.phase === 'signedIn') setAuth({ phase: 'locked', session: current.session });
      else if (!change.locked && current.phase === 'locked') setAuth({ phase: 'signedIn', session: current.session });
      else if (current.phase === 'signedOut' || current.phase === 'firstRun') void readSignInState();
    });
    await readSignInState();
  }

  async function readSignInState() {
    try {
      const status = await call('auth.status', {});
      if (status.firstRun) return setAuth({ phase: 'firstRun' });
      if (status.session)
        return setAuth(
          status.locked ? { phase: 'locked', session: status.session } : { phase: 'signedIn', session: status.session },
        );
      const stored = loadStoredSession();
      if (!stored) return setAuth({ phase: 'signedOut' });
      try {
        setAuth({ phase: 'signedIn', session: await call('auth.resume', { token: stored.token }) });
      } catch (error) {
        if (isAppError(error, 'locked')) setAuth({ phase: 'locked', session: stored });
        else setAuth({ phase: 'signedOut', notice: 'sessionEnded' });
      }
    } catch (error) {
      // The link dropped while we were asking; the next connection starts over.
      if (!isAppError(error, 'unavailable')) console.error('casebench: could not read the sign-in state', error);
    }
  }
  connection.onConnected((client) => void establish(client));
  const initial = connection.getClient();
  if (initial) void establish(initial);

  return {
    connection,
    call,
    getAuth: () => auth,
    subscribeAuth: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signedIn: (session) => setAuth({ phase: 'signedIn', session }),
    signOut: async () => {
      try {
        await call('auth.signOut', {});
      } catch (error) {
        // Signing out here always works; a host out of reach ends that session on its own idle timeout.
        console.warn('casebench: the station did not confirm the sign-out', error);
      }
      setAuth({ phase: 'signedOut' });
    },
    lock: async () => {
      const current = auth;
      if (current.phase !== 'signedIn') return;
      await call('auth.lock', {});
      setAuth({ phase: 'locked', session: current.session });
    },
    noteError: (error) => {
      const current = auth;
      if (isAppError(error, 'locked') && current.phase === 'signedIn')
        setAuth({ phase: 'locked', session: current.session });
      else if (
        isAppError(error, 'unauthenticated') &&
        !reattaching &&
        (current.phase === 'signedIn' || current.phase === 'locked')
      )
        setAuth({ phase: 'signedOut', notice: 'sessionEnded' });
    },
    onSessionRestored: (listener) => {
      restoredListeners.add(listener);
      return () => restoredListeners.delete(listener);
    },
  };
}
