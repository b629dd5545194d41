// Keys the rig UI builds at run time (t(`rig.uvc.problem.${problem}`)) are invisible to the literal-key check
// in renderer/i18n/en.test.ts, so their vocabularies are checked here.
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en.ts';
import { rigDeviceStates, rigStates } from '../../../electron/contract/index.ts';
import { rigAxisSchema } from '../../../electron/contract/devices.ts';
import { uvcProblems } from './uvc/uvcProblem.ts';

describe('rig strings', () => {
  it('name and explain every UVC camera problem', () => {
    for (const problem of uvcProblems) {
      expect(en.rig.uvc.problem[problem], problem).toMatch(/\w/);
      expect(en.rig.uvc.advice[problem], problem).toMatch(/\w/);
    }
  });

  it('name every rig state, device state and axis role of the contract', () => {
    for (const state of rigStates) expect(en.rig.state[state], state).toMatch(/\w/);
    for (const state of rigDeviceStates) expect(en.rig.deviceState[state], state).toMatch(/\w/);
    for (const role of rigAxisSchema.shape.role.options) expect(en.rig.stage.role[role], role).toMatch(/\w/);
    expect(en.rig.deviceDown.disconnected).toMatch(/\{\{device\}\}/);
    expect(en.rig.deviceDown.error).toMatch(/\{\{device\}\}/);
  });
});
