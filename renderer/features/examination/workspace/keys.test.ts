import { describe, expect, it } from 'vitest';
import { actionOf, keyBelongsTo, workspaceActions, workspaceKeys, type FocusedControl } from './keys.ts';

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
    // The picture a side shows (its topography or any light of the capture) is a workspace action too, so the
    // help overlay lists it (review of issue 12: it was reachable only by tabbing to the side's picker).
    expect(actionOf('i')).toBe('nextPicture');
    // G starts the application's section keys (G then 1…9): the workspace must not take it.
    expect(actionOf('g')).toBeUndefined();
  });

  it('stay with a focused control only for the keys that control uses', () => {
    const control = (tag: string, type = '', role: string | null = null): FocusedControl => ({
      tag,
      type,
      role,
      editable: false,
    });
    // Typing goes to text fields, always.
    expect(keyBelongsTo(control('INPUT', 'text'), 'l')).toBe(true);
    expect(keyBelongsTo(control('TEXTAREA'), ']')).toBe(true);
    expect(keyBelongsTo({ ...control('DIV'), editable: true }, 'a')).toBe(true);
    // A switch just ticked keeps only Space and Enter: the workspace's keys still work after it.
    const toggle = control('INPUT', 'checkbox', 'switch');
    expect(keyBelongsTo(toggle, ' ')).toBe(true);
    expect(keyBelongsTo(toggle, ']')).toBe(false);
    expect(keyBelongsTo(toggle, 'ArrowLeft')).toBe(false);
    expect(keyBelongsTo(control('INPUT', 'radio'), 'ArrowDown')).toBe(true);
    // Sliders keep their arrows, buttons their Space and Enter; nothing focused leaves every key to the workspace.
    expect(keyBelongsTo(control('DIV', '', 'slider'), 'ArrowRight')).toBe(true);
    expect(keyBelongsTo(control('DIV', '', 'slider'), 'y')).toBe(false);
    expect(keyBelongsTo(control('BUTTON'), 'Enter')).toBe(true);
    expect(keyBelongsTo(control('BUTTON'), 'v')).toBe(false);
    expect(keyBelongsTo(null, 'v')).toBe(false);
  });
});
