export {
  averageFrames,
  buildDarkFrame,
  buildFlatField,
  correctFrame,
  type CorrectedFrame,
  type DarkFrame,
  type FlatField,
  type RawFrame,
} from './frames.ts';
export { calibrateFromDotGrid, type DotGridOptions, type SpatialCalibration } from './spatial.ts';
export {
  calibrateLightsFromSphere,
  locateSphere,
  type LightCalibration,
  type SphereGeometry,
  type SphereImage,
} from './lights.ts';
export { uniformityReport, type ChannelReport, type UniformityReport } from './report.ts';
export { decodePng, encodePng, type PngImage } from './png.ts';
export {
  captureDark,
  captureTargetUnderLight,
  captureUnderLight,
  specimenOf,
  targetSpecimen,
  type VirtualRig,
} from './virtualRig.ts';
export { decodeTiff, encodeTiff } from './tiff.ts';
export { calibrateRig, photometricLights, type CalibrationCaptures, type RigCalibration } from './suite.ts';
