import { describe, expect, it } from 'vitest';
import { uvcProblemOf, videoInputs } from './uvcProblem.ts';

const domError = (name: string) => Object.assign(new Error('x'), { name });

describe('UVC camera problems', () => {
  it('maps the browser error names to what the user can act on', () => {
    expect(uvcProblemOf(domError('NotAllowedError'))).toBe('denied');
    expect(uvcProblemOf(domError('SecurityError'))).toBe('denied');
    expect(uvcProblemOf(domError('NotFoundError'))).toBe('noCamera');
    expect(uvcProblemOf(domError('OverconstrainedError'))).toBe('noCamera');
    expect(uvcProblemOf(domError('NotReadableError'))).toBe('busy');
    expect(uvcProblemOf(domError('TypeError'))).toBe('failed');
    expect(uvcProblemOf('nonsense')).toBe('failed');
    expect(uvcProblemOf(null)).toBe('failed');
  });

  it('keeps only video inputs', () => {
    const devices = [
      { kind: 'audioinput' as const, deviceId: 'a', label: 'Mic' },
      { kind: 'videoinput' as const, deviceId: 'v1', label: 'USB microscope' },
      { kind: 'videoinput' as const, deviceId: '', label: '' },
    ];
    expect(videoInputs(devices)).toEqual([
      { deviceId: 'v1', label: 'USB microscope' },
      { deviceId: '', label: '' },
    ]);
  });
});
