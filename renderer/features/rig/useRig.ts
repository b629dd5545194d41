// The rig's status, kept current by `rig.onChanged`, and its control calls: each answers with the new status,
// which replaces the cached one at once, so the panel never waits for a refetch.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, Calls, RigStatus } from '../../../electron/contract/index.ts';
import { callKey, useCall, useEvent, useStation } from '../../api/hooks.tsx';
import { recordedProfileName } from './deviceWords.ts';

export function useRigStatus() {
  const queryClient = useQueryClient();
  const status = useCall('rig.status', {});
  useEvent('rig.onChanged', {}, (next: RigStatus) => queryClient.setQueryData(callKey('rig.status', {}), next));
  return status;
}

/** Names a rig profile as a record kept it, in the user's language when it is the profile the station runs now. */
export function useRecordedProfileName(
  options: { needsId?: boolean } = {},
): (recorded: string, recordedId?: string | null) => string {
  const { i18n } = useTranslation();
  const current = useRigStatus().data?.profile;
  return (recorded, recordedId) =>
    recordedProfileName(recorded, current, i18n.language, { recordedId, needsId: options.needsId });
}

type ControlMethod =
  | 'rig.connect'
  | 'rig.disconnect'
  | 'rig.setLights'
  | 'rig.setCameraProperty'
  | 'rig.stage.moveTo'
  | 'rig.stage.moveBy'
  | 'rig.stage.home'
  | 'rig.stage.stop'
  | 'rig.liveStart'
  | 'rig.liveStop';

/** Runs control calls; `pending` names the ones under way (by a key the caller chooses), `error` is the last failure. */
export function useRigControl() {
  const station = useStation();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(null);

  const run = useCallback(
    async <M extends ControlMethod>(key: string, method: M, input: CallInput<Calls[M]>): Promise<boolean> => {
      setPending((p) => new Set(p).add(key));
      setError(null);
      try {
        const next = (await station.call(method, input)) as RigStatus;
        queryClient.setQueryData(callKey('rig.status', {}), next);
        return true;
      } catch (failure) {
        setError(failure);
        return false;
      } finally {
        setPending((p) => {
          const rest = new Set(p);
          rest.delete(key);
          return rest;
        });
      }
    },
    [station, queryClient],
  );

  return { run, pending, error, clearError: () => setError(null) };
}
