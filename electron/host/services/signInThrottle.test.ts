import { describe, expect, it } from 'vitest';
import { SignInThrottle, signInLimits } from './signInThrottle.ts';

describe('SignInThrottle', () => {
  it('lets the desktop window through whatever other sources did, and caps the wait', () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < 40; i++) throttle.failed(`browser:${i}`, 'admin');
    expect(throttle.waitMs('browser:new', 'admin')).toBe(signInLimits.maxWaitMs);
    expect(throttle.waitMs('electron', 'admin')).toBe(0);
    for (let i = 0; i < 40; i++) throttle.failed('electron', 'admin');
    expect(throttle.waitMs('electron', 'admin')).toBe(signInLimits.maxWaitMs); // but its own failures count
    now += signInLimits.forgetAfterMs + 1;
    expect(throttle.waitMs('electron', 'admin')).toBe(0);
    expect(throttle.waitMs('browser:new', 'admin')).toBe(0);
  });

  it('keeps at most maxEntries counters, forgetting the stalest first', () => {
    const now = 0;
    const throttle = new SignInThrottle(() => now, { ...signInLimits, maxEntries: 3, freePerSource: 1 });
    throttle.failed('a', 'admin');
    for (let i = 0; i < 5; i++) throttle.failed(`s${i}`, `name${i}`);
    expect(throttle.waitMs('a', 'admin')).toBe(0); // dropped: the three newest are name2..name4
    expect(throttle.waitMs('s4', 'name4')).toBeGreaterThan(0);
  });
});
