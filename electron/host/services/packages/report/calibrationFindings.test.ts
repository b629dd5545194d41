// A calibration's findings in the report's language, or its English messages when not every problem can be worded.
import { describe, expect, it } from 'vitest';
import { calibrationFindings } from './calibrationFindings.ts';

const messages = ['lens distortion moves the corner by 4.2 px (limit 3.0 px)', 'the flux gate hums (limit 2)'];
const calibration = (problems: unknown[]) => ({ messages, results: { passed: false, problems } });
const lens = { code: 'lens_distortion', value: 4.2, limit: 3 };

describe('calibration findings in the report', () => {
  it('words every problem when each one can be', () => {
    const words = calibrationFindings('fr', calibration([lens]));
    expect(words).toHaveLength(1);
    expect(words[0]).toContain('4,20');
    expect(words[0]).not.toContain('lens distortion');
  });

  it('keeps the English messages when some problem cannot be worded, so none drops out', () => {
    // A code from a newer station: worded alone, the lens finding would be shown and the other one lost.
    expect(calibrationFindings('fr', calibration([lens, { code: 'flux_gate', value: 3, limit: 2 }]))).toEqual(messages);
    expect(calibrationFindings('fr', calibration([]))).toEqual(messages);
  });
});
