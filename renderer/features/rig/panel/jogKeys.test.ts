import { describe, expect, it } from 'vitest';
import { clampToLimits, jogActionFor, nextStep } from './jogKeys.ts';

describe('stage jog keys', () => {
  it('maps keys to moves, step changes, home and stop', () => {
    expect(jogActionFor('ArrowUp')).toEqual({ kind: 'move', axis: 'focus', direction: 1 });
    expect(jogActionFor('ArrowLeft')).toEqual({ kind: 'move', axis: 'rotation', direction: -1 });
    expect(jogActionFor(']')).toEqual({ kind: 'step', direction: 1 });
    expect(jogActionFor('Home')).toEqual({ kind: 'home' });
    expect(jogActionFor('Escape')).toEqual({ kind: 'stop' });
    expect(jogActionFor('a')).toBeNull();
  });

  it('walks the step list and stops at its ends', () => {
    expect(nextStep('mm', 0.01, 1)).toBe(0.05);
    expect(nextStep('mm', 0.01, -1)).toBe(0.005);
    expect(nextStep('mm', 1, 1)).toBe(1);
    expect(nextStep('mm', 0.001, -1)).toBe(0.001);
    expect(nextStep('deg', 7, 1)).toBe(15);
    expect(nextStep('deg', 7, -1)).toBe(5);
  });

  it('clamps a jog target to the axis limits', () => {
    expect(clampToLimits(12, -10, 10)).toBe(10);
    expect(clampToLimits(-12, -10, 10)).toBe(-10);
    expect(clampToLimits(3)).toBe(3);
  });
});
