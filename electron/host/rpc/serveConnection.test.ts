import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, defineCall, defineEvent, type CallDef, type EventDef } from '../../contract/rpc.ts';
import { AppError } from '../../contract/errors.ts';
import type { Session } from '../../contract/auth.ts';
import { serveConnection, type RpcRegistry } from './serveConnection.ts';
import { memoryPipePair } from './memoryPipe.ts';
import type { CallHandler, EventSource } from './handlers.ts';

// A registry of its own, so the channel protocol (progress, cancel, events, binary payloads) is tested
// independently of any domain.
const calls = {
  'test.slow': defineCall({
    permission: 'public',
    input: z.object({ steps: z.number().int() }),
    output: z.object({ done: z.number() }),
    progress: z.object({ step: z.number().int() }),
  }),
  'test.badProgress': defineCall({
    permission: 'public',
    input: z.object({}),
    output: z.object({}),
    progress: z.object({ step: z.number().int() }),
  }),
  'test.echoBytes': defineCall({
    permission: 'public',
    input: z.object({ data: z.instanceof(Uint8Array) }),
    output: z.object({ data: z.instanceof(Uint8Array), length: z.number() }),
  }),
  'test.secret': defineCall({ permission: 'user.manage', input: z.object({}), output: z.object({}) }),
};
const events = {
  'test.onTick': defineEvent({
    permission: 'public',
    filter: z.object({ every: z.number() }),
    payload: z.object({ n: z.number() }),
  }),
};

function setup(session: Session | null = null) {
  const aborted: string[] = [];
  let activeTicks = 0;
  const registry: RpcRegistry = {
    calls: calls as unknown as Record<string, CallDef>,
    events: events as unknown as Record<string, EventDef>,
    callHandlers: {
      'test.slow': (async (input: { steps: number }, ctx) => {
        for (let i = 0; i < input.steps; i++) {
          if (ctx.signal.aborted) {
            aborted.push('slow');
            throw new AppError('canceled', 'canceled');
          }
          ctx.progress((i + 1) / input.steps, { step: i + 1 });
          await new Promise((r) => setTimeout(r, 5));
        }
        return { done: input.steps };
      }) as CallHandler<CallDef>,
      'test.echoBytes': ((input: { data: Uint8Array }) => ({
        data: input.data.slice().reverse(),
        length: input.data.length,
      })) as CallHandler<CallDef>,
      'test.secret': (() => ({})) as CallHandler<CallDef>,
      'test.badProgress': ((_input: object, ctx) => {
        ctx.progress(0.5, { step: 'one' });
        return {};
      }) as CallHandler<CallDef>,
    },
    eventSources: {
      'test.onTick': ((filter: { every: number }, emit: (p: unknown) => void) => {
        activeTicks++;
        let n = 0;
        const timer = setInterval(() => emit({ n: ++n }), filter.every);
        return () => {
          activeTicks--;
          clearInterval(timer);
        };
      }) as EventSource<EventDef>,
    },
    sessionFor: () => session,
    log: () => {},
  };
  const { client, host } = memoryPipePair();
  serveConnection(host, registry);
  return {
    client: createClient<typeof calls, typeof events>(client),
    aborted,
    activeTicks: () => activeTicks,
    close: () => client.close(),
  };
}

describe('channel protocol', () => {
  it('delivers progress before the result', async () => {
    const { client } = setup();
    const progress: number[] = [];
    const result = await client.call('test.slow', { steps: 4 }, { onProgress: (f) => progress.push(f) });
    expect(result.done).toBe(4);
    expect(progress).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('delivers each progress detail, typed by the call and checked against its schema', async () => {
    const { client } = setup();
    const steps: number[] = [];
    await client.call('test.slow', { steps: 3 }, { onProgress: (_f, detail) => detail && steps.push(detail.step) });
    expect(steps).toEqual([1, 2, 3]);
    // A handler reporting a detail its call does not declare fails the call (a bug, logged), and sends nothing unchecked.
    const seen: unknown[] = [];
    await expect(
      client.call('test.badProgress', {}, { onProgress: (_f, detail) => seen.push(detail) }),
    ).rejects.toMatchObject({ code: 'internal' });
    expect(seen).toEqual([]);
  });

  it('cancels a running call: the handler sees the abort and the caller gets "canceled"', async () => {
    const { client, aborted } = setup();
    const controller = new AbortController();
    const pending = client.call(
      'test.slow',
      { steps: 1000 },
      { signal: controller.signal, onProgress: (f) => f > 0.005 && controller.abort() },
    );
    await expect(pending).rejects.toMatchObject({ code: 'canceled' });
    await new Promise((r) => setTimeout(r, 20));
    expect(aborted).toEqual(['slow']);
  });

  it('closing the connection aborts running calls and stops subscriptions', async () => {
    const { client, aborted, activeTicks, close } = setup();
    const ticks: number[] = [];
    client.subscribe('test.onTick', { every: 5 }, (p) => ticks.push(p.n));
    const pending = client.call('test.slow', { steps: 1000 });
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks.length).toBeGreaterThan(0);
    expect(activeTicks()).toBe(1);
    close();
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    await new Promise((r) => setTimeout(r, 20));
    expect(aborted).toEqual(['slow']);
    expect(activeTicks()).toBe(0);
  });

  it('carries binary payloads and validates inputs', async () => {
    const { client } = setup();
    const result = await client.call('test.echoBytes', { data: new Uint8Array([1, 2, 3]) });
    expect([...result.data]).toEqual([3, 2, 1]);
    await expect(client.call('test.slow', { steps: 'many' as unknown as number })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(client.call('test.nothing' as 'test.slow', { steps: 1 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('checks permissions against the session', async () => {
    await expect(setup(null).client.call('test.secret', {})).rejects.toMatchObject({ code: 'unauthenticated' });
    const tech = {
      token: 't',
      user: { id: 2, username: 'tech', displayName: 'T', role: 'technician', disabled: false, createdAt: '' },
      permissions: [],
      idleLockMinutes: 15,
      passwordChangeDue: false,
    } satisfies Session;
    await expect(setup(tech).client.call('test.secret', {})).rejects.toMatchObject({ code: 'forbidden' });
  });
});
