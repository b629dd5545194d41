export {
  calibrationProblem,
  checkCalibration,
  checkCoverage,
  checkFocus,
  checkSaturation,
  qualityReport,
  type CalibrationProblem,
  type CalibrationStamp,
  type QualityCheck,
  type QualityCheckId,
  type QualityReport,
} from './checks.ts';
export { adviseExposure, type ExposureAdvice, type ExposureOptions } from './exposure.ts';
