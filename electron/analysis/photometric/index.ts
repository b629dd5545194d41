export {
  estimateNormals,
  type CalibratedLight,
  type NormalField,
  type NormalOptions,
  type PhotometricImages,
} from './normals.ts';
export { integrateGradients, type GradientField } from './integrate.ts';
export { reconstructTopography, type TopographyResult, type ReconstructOptions } from './reconstruct.ts';
