import type { Case } from '../../../electron/contract/index.ts';

export const statusColour: Record<Case['status'], string> = {
  open: 'cyan',
  active: 'teal',
  closed: 'gray',
  archived: 'dark',
};
