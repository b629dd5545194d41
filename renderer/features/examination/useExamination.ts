// One comparison's workspace from the host, kept fresh: refetched whenever the host says it changed (another
// examiner's conclusion, a manager's assignment) and replaced by the answers of calls that return it.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Workspace } from '../../../electron/contract/index.ts';
import { callKey, useCall, useEvent } from '../../api/hooks.tsx';

export function useExamination(comparisonId: number) {
  const queryClient = useQueryClient();
  const key = callKey('examinations.get', { comparisonId });
  const query = useCall('examinations.get', { comparisonId }, { enabled: comparisonId > 0 });
  useEvent('examinations.changed', { comparisonId }, () => void queryClient.invalidateQueries({ queryKey: key }));
  const replace = useCallback(
    (workspace: Workspace) =>
      queryClient.setQueryData(callKey('examinations.get', { comparisonId: workspace.comparison.id }), workspace),
    [queryClient],
  );
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: key }), [queryClient, key]);
  return { query, replace, refresh };
}
