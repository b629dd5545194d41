export {
  checkCalibration,
  checkCoverage,
  checkFocus,
  checkSaturation,
  qualityReport,
  type CalibrationStamp,
  type QualityCheck,
  type QualityCheckId,
  type QualityReport,
} from './checks.ts';
export { adviseExposure, type ExposureAdvice, type ExposureOptions } from './exposure.ts';
