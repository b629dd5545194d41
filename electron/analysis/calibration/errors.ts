// A calibration that cannot measure (target not found, not lit, saturated) says why with a code and its figures, so
// the station can word it for the technician; the English message stays for logs and the CLI. It is a RangeError
// like the other refusals of bad input in the calibration code.
import type { CalibrationFailure } from '../../contract/acquisitions.ts';

export class CalibrationError extends RangeError {
  readonly failure: CalibrationFailure;
  readonly figures: Record<string, number>;
  constructor(failure: CalibrationFailure, message: string, figures: Record<string, number> = {}) {
    super(message);
    this.name = 'CalibrationError';
    this.failure = failure;
    this.figures = figures;
  }
}
