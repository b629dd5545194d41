// A long contract call (search, capture, calibration): how far it is, what it is doing (the call's typed progress
// detail, which the screen turns into words), the steps it went through, and a cancel that aborts it in the host.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  isAppError,
  type CallInput,
  type CallName,
  type CallOutput,
  type CallProgress,
  type Calls,
} from '../../electron/contract/index.ts';
import { useStation } from './hooks.tsx';

export type LongCallState<O, P> =
  | { phase: 'idle' }
  | { phase: 'running'; fraction: number; detail: P | undefined; steps: P[]; canceling: boolean }
  | { phase: 'done'; output: O; steps: P[] }
  | { phase: 'canceled'; steps: P[] }
  | { phase: 'failed'; error: unknown; steps: P[] };

/**
 * Adds a progress detail to the steps. A detail of the step shown last (the same `stepOf` key: "autofocus, 3 frames"
 * after "autofocus, 2 frames") replaces it, so the list reads as steps rather than ticks.
 */
export function addStep<P>(steps: P[], detail: P, stepOf: (detail: P) => string): void {
  const last = steps[steps.length - 1];
  if (last !== undefined && stepOf(last) === stepOf(detail)) steps[steps.length - 1] = detail;
  else steps.push(detail);
}

export interface LongCallOptions<P> {
  /** What makes a progress detail a new step (default: none does; only the latest detail is kept). */
  stepOf?: (detail: P) => string;
}

export function useLongCall<M extends CallName>(method: M, options: LongCallOptions<CallProgress<Calls[M]>> = {}) {
  type Output = CallOutput<Calls[M]>;
  type Detail = CallProgress<Calls[M]>;
  const station = useStation();
  const [state, setState] = useState<LongCallState<Output, Detail>>({ phase: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const stepOf = useRef(options.stepOf ?? (() => ''));
  stepOf.current = options.stepOf ?? (() => '');
  // Leaving the screen cancels what it started: nothing keeps running unseen.
  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(
    async (input: CallInput<Calls[M]>): Promise<Output | null> => {
      const abort = new AbortController();
      controller.current = abort;
      const steps: Detail[] = [];
      setState({ phase: 'running', fraction: 0, detail: undefined, steps, canceling: false });
      try {
        const output = await station.call(method, input, {
          signal: abort.signal,
          onProgress: (fraction, detail) => {
            if (detail !== undefined) addStep(steps, detail, stepOf.current);
            setState((s) =>
              s.phase === 'running' ? { ...s, fraction, detail: detail ?? s.detail, steps: [...steps] } : s,
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
