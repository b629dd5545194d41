// React access to the station: TanStack Query over contract calls, event subscriptions, and the
// permission check the UI uses to hide what the role cannot do (the host refuses it anyway).
import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import {
  keepPreviousData,
  MutationCache,
  QueryCache,
  QueryClient,
  QueryClientProvider,
  useMutation,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import {
  isAppError,
  type CallInput,
  type CallName,
  type CallOutput,
  type Calls,
  type EventFilter,
  type EventName,
  type EventPayload,
  type Events,
  type Permission,
} from '../../electron/contract/index.ts';
import type { AuthState, Station } from './station.ts';
import type { ConnectionState } from './connect.ts';

const StationContext = createContext<Station | null>(null);

export function createQueryClient(station: Station): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error) => station.noteError(error) }),
    mutationCache: new MutationCache({ onError: (error) => station.noteError(error) }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Only a dropped link is worth retrying; the host's other answers are final.
        retry: (count, error) => count < 3 && isAppError(error, 'unavailable'),
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function StationProvider({
  station,
  queryClient,
  children,
}: {
  station: Station;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  // A new link means the host may have restarted: refetch what is on screen once the session is back on it.
  useEffect(() => station.onSessionRestored(() => void queryClient.invalidateQueries()), [station, queryClient]);
  return (
    <StationContext.Provider value={station}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </StationContext.Provider>
  );
}

export function useStation(): Station {
  const station = useContext(StationContext);
  if (!station) throw new Error('useStation outside StationProvider');
  return station;
}

export function useAuth(): AuthState {
  const station = useStation();
  return useSyncExternalStore(station.subscribeAuth, station.getAuth);
}

export function useConnectionState(): ConnectionState {
  const { connection } = useStation();
  return useSyncExternalStore(connection.subscribe, connection.getState);
}

export function useSession() {
  const auth = useAuth();
  return auth.phase === 'signedIn' || auth.phase === 'locked' ? auth.session : null;
}

export function useCan(permission: Permission): boolean {
  const session = useSession();
  return !!session?.permissions.includes(permission);
}

export function callKey<M extends CallName>(method: M, input?: CallInput<Calls[M]>): unknown[] {
  return input === undefined ? [method] : [method, input];
}

export function useCall<M extends CallName>(
  method: M,
  input: CallInput<Calls[M]>,
  options: { enabled?: boolean; keepPrevious?: boolean } = {},
): UseQueryResult<CallOutput<Calls[M]>, Error> {
  const station = useStation();
  return useQuery<CallOutput<Calls[M]>, Error, CallOutput<Calls[M]>, unknown[]>({
    queryKey: callKey(method, input),
    queryFn: ({ signal }) => station.call(method, input, { signal }),
    enabled: options.enabled ?? true,
    // Keeps the last page on screen while the next one loads, so paging and filtering do not flash.
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
  });
}

/** A write call; on success the named calls' cached answers are refetched. */
export function useCallMutation<M extends CallName>(method: M, invalidates: CallName[] = []) {
  const station = useStation();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<Calls[M]>) => station.call(method, input),
    onSuccess: () => Promise.all(invalidates.map((name) => queryClient.invalidateQueries({ queryKey: [name] }))),
  });
}

export function useEvent<N extends EventName>(
  event: N,
  filter: EventFilter<Events[N]>,
  listener: (payload: EventPayload<Events[N]>) => void,
) {
  const station = useStation();
  const latest = useRef(listener);
  latest.current = listener;
  const filterKey = JSON.stringify(filter);
  const connection = useConnectionState();
  useEffect(() => {
    const client = station.connection.getClient();
    if (!client) return;
    return client.subscribe(event, JSON.parse(filterKey) as EventFilter<Events[N]>, (payload) =>
      latest.current(payload),
    );
  }, [station, event, filterKey, connection.status]);
}
