// A long contract call (capture, calibration) with its progress messages and a cancel that aborts it in the host.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  isAppError,
  type CallInput,
  type CallName,
  type CallOutput,
  type Calls,
} from '../../../electron/contract/index.ts';
import { useStation } from '../../api/hooks.tsx';

export type LongCallState<O> =
  | { phase: 'idle' }
  | { phase: 'running'; fraction: number; message: string; steps: string[]; canceling: boolean }
  | { phase: 'done'; output: O; steps: string[] }
  | { phase: 'canceled'; steps: string[] }
  | { phase: 'failed'; error: unknown; steps: string[] };

/** Adds a progress message to the list of steps; a message that only updates the last step ("autofocus, 3 frames"
 * after "autofocus, 2 frames") replaces it, so the list reads as steps rather than ticks. */
export function addStep(steps: string[], message: string): void {
  const last = steps[steps.length - 1];
  if (last === message) return;
  const stage = (m: string) => m.split(',')[0]!.trim();
  if (last !== undefined && stage(last) === stage(message)) steps[steps.length - 1] = message;
  else steps.push(message);
}

export function useLongCall<M extends CallName>(method: M) {
  const station = useStation();
  const [state, setState] = useState<LongCallState<CallOutput<Calls[M]>>>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);
  // Leaving the screen cancels what it started: nothing keeps running unseen.
  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(
    async (input: CallInput<Calls[M]>): Promise<CallOutput<Calls[M]> | null> => {
      const abort = new AbortController();
      controller.current = abort;
      const steps: string[] = [];
      setState({ phase: 'running', fraction: 0, message: '', steps, canceling: false });
      try {
        const output = await station.call(method, input, {
          signal: abort.signal,
          onProgress: (fraction, message) => {
            if (message) addStep(steps, message);
            setState((s) =>
              s.phase === 'running' ? { ...s, fraction, message: message ?? s.message, steps: [...steps] } : s,
            );
          },
        });
        setState({ phase: 'done', output, steps });
        return output;
      } catch (error) {
        setState(
          abort.signal.aborted || isAppError(error, 'canceled')
            ? { phase: 'canceled', steps }
            : { phase: 'failed', error, steps },
        );
        return null;
      } finally {
        if (controller.current === abort) controller.current = null;
      }
    },
    [station, method],
  );

  const cancel = useCallback(() => {
    controller.current?.abort();
    setState((s) => (s.phase === 'running' ? { ...s, canceling: true } : s));
  }, []);

  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, run, cancel, reset };
}
