// Keys the rig UI builds at run time (t(`rig.uvc.problem.${problem}`)) are invisible to the literal-key check
// in renderer/i18n/en.test.ts, so their vocabularies are checked here.
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.ts';
import { uvcProblems } from './uvc/uvcProblem.ts';

describe('rig strings', () => {
  it('name and explain every UVC camera problem', () => {
    for (const problem of uvcProblems) {
      expect(en.rig.uvc.problem[problem], problem).toMatch(/\w/);
      expect(en.rig.uvc.advice[problem], problem).toMatch(/\w/);
    }
  });
});
