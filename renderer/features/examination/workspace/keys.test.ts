import { describe, expect, it } from 'vitest';
import { actionOf, workspaceActions, workspaceKeys } from './keys.ts';

describe('workspace keys', () => {
  it('give every action a key and no key two actions', () => {
    const bound = new Set(workspaceKeys.map((k) => k.action));
    expect(workspaceActions.filter((a) => !bound.has(a))).toEqual([]);
    const keys = workspaceKeys.flatMap((k) => k.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('match letters in either case, except a capital with its own action', () => {
    expect(actionOf('L')).toBe('toggleLock');
    expect(actionOf('v')).toBe('nextMode');
    expect(actionOf('V')).toBe('previousMode');
    expect(actionOf('ArrowLeft')).toBe('panLeft');
    expect(actionOf('F5')).toBeUndefined();
  });
});
