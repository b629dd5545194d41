import type { ClientMessage, HostMessage, MessagePipe } from '../../contract/rpc.ts';

/** Two connected pipe ends in one process, copying messages as a MessagePort would (for tests and the CLI). */
export function memoryPipePair(): {
  client: MessagePipe<HostMessage, ClientMessage>;
  host: MessagePipe<unknown, HostMessage>;
} {
  const toHost: ((m: unknown) => void)[] = [];
  const toClient: ((m: HostMessage) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l();
  };
  const deliver = <T>(listeners: ((m: T) => void)[], message: T) => {
    if (closed) return;
    const copy = structuredClone(message);
    queueMicrotask(() => listeners.forEach((l) => l(copy)));
  };
  return {
    client: {
      send: (m) => deliver(toHost, m),
      onMessage: (l) => void toClient.push(l),
      onClose: (l) => void closeListeners.push(l),
      close,
    },
    host: {
      send: (m) => deliver(toClient, m),
      onMessage: (l) => void toHost.push(l),
      onClose: (l) => void closeListeners.push(l),
      close,
    },
  };
}
