// Every value the examination screens put into a translated key has English words (the keys are built from
// the contract's closed lists, so the literal-key check in renderer/i18n cannot see them).
import { describe, expect, it } from 'vitest';
import {
  afteConclusions,
  cannotConcludeCodes,
  ineligibleCodes,
  annotationLayers,
  comparisonStates,
  conclusionRoles,
  testOutcomes,
  testTruths,
  verificationStates,
  worklistKinds,
} from '../../../electron/contract/index.ts';
import { en } from '../../i18n/en.ts';
import { viewModes } from '../../shared/field/fieldState.ts';
import { workspaceActions } from './workspace/keys.ts';

function has(key: string): boolean {
  let node: unknown = en;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

describe('examination words', () => {
  it('cover every vocabulary value the screens show', () => {
    const lists: Array<[string, readonly string[]]> = [
      ['exam.afte', afteConclusions],
      ['exam.afteHelp', afteConclusions],
      ['exam.layer', annotationLayers],
      ['exam.state', comparisonStates],
      ['exam.conclusionRole', conclusionRoles],
      ['exam.verificationState', verificationStates],
      ['exam.worklist.kind', worklistKinds],
      ['exam.tests.outcome', testOutcomes],
      ['exam.tests.truthName', testTruths],
      ['exam.mode', viewModes],
      ['exam.action', workspaceActions],
      ['exam.cannotConclude', cannotConcludeCodes],
      ['exam.ineligible', ineligibleCodes],
      ['exam.accessRole', ['examiner', 'verifier', 'arbiter', 'participant', 'reviewer']],
      ['exam.conclusion.title', ['examiner', 'verifier', 'arbiter', 'participant', 'reviewer']],
      ['exam.tool.hint', ['profile', 'polygon', 'brush']],
    ];
    const missing = lists.flatMap(([prefix, values]) => values.map((v) => `${prefix}.${v}`)).filter((k) => !has(k));
    expect(missing).toEqual([]);
  });
});
