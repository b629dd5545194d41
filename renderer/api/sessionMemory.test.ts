import { describe, expect, it } from 'vitest';
import { forgetSession, forgetWithSession, sessionSlot } from './sessionMemory.ts';

describe('session memory', () => {
  it('keeps a value until the session ends, for every slot', () => {
    const search = sessionSlot<{ query: string }>();
    const other = sessionSlot<number>();
    search.set({ query: 'Q1' });
    other.set(3);
    expect(search.get()).toEqual({ query: 'Q1' });
    forgetSession();
    expect(search.get()).toBeNull();
    expect(other.get()).toBeNull();
    search.set({ query: 'Q2' });
    expect(search.get()).toEqual({ query: 'Q2' });
  });

  it('runs what a cache registered when the session ends, every time it ends', () => {
    const cache = new Map([['acquisition 1', 'picture']]);
    forgetWithSession(() => cache.clear());
    forgetSession();
    expect(cache.size).toBe(0);
    cache.set('acquisition 2', 'picture');
    forgetSession();
    expect(cache.size).toBe(0);
  });
});
