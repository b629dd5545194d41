// Worker thread for a calibration run: imaging the virtual targets and fitting them takes seconds of CPU,
// which must not stall the host (its calls, live view and the rig drivers' port reading) meanwhile.
// Canceling terminates the thread; nothing it computed is stored.
import { parentPort, workerData } from 'node:worker_threads';
import type { RigProfile } from '../../../../native/rig/profile.ts';
import { loadOpenCv } from '../../../analysis/opencv.ts';
import type { CalibrationFailure, CalibrationStep } from '../../../contract/acquisitions.ts';
import { CalibrationError } from '../../../analysis/calibration/errors.ts';
import { runVirtualCalibration, type CalibrationRunKind } from './calibrationRunner.ts';

export type CalibrationWorkerMessage =
  | { type: 'progress'; fraction: number; step: CalibrationStep }
  | { type: 'done'; outcome: Awaited<ReturnType<typeof runVirtualCalibration>> }
  | {
      type: 'error';
      name: string;
      message: string;
      /** Set for a CalibrationError: the code and figures the station words. */
      failure?: CalibrationFailure;
      figures?: Record<string, number>;
    };

const { profile, kind } = workerData as { profile: RigProfile; kind: CalibrationRunKind };
const post = (message: CalibrationWorkerMessage) => parentPort!.postMessage(message);
try {
  const outcome = await runVirtualCalibration(await loadOpenCv(), profile, kind, (fraction, step) =>
    post({ type: 'progress', fraction, step }),
  );
  post({ type: 'done', outcome });
} catch (error) {
  const typed = error instanceof CalibrationError ? { failure: error.failure, figures: error.figures } : {};
  post({ type: 'error', name: (error as Error).name, message: (error as Error).message, ...typed });
}
