// A test pair's sides are named neutrally — the set, the pair's number, A or B — in the reader's language. The host
// also sends an English label (for the API and the technical record); the screens word it from these fields.
import type { TFunction } from 'i18next';
import type { Workspace } from '../../../electron/contract/index.ts';

export interface TestPairName {
  name: string;
  position: number;
}

export function testSideLabel(t: TFunction, test: TestPairName, side: 'a' | 'b'): string {
  return t(`exam.tests.side.${side}`, { name: test.name, position: test.position });
}

/** The workspace with its sides named in the reader's language when it is a test pair (casework as it came). */
export function withTestLabels(t: TFunction, workspace: Workspace): Workspace {
  const test = workspace.test;
  if (!test) return workspace;
  return {
    ...workspace,
    a: { ...workspace.a, label: testSideLabel(t, test, 'a') },
    b: { ...workspace.b, label: testSideLabel(t, test, 'b') },
  };
}
