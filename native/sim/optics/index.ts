export { prepareSpecimen, type HeightField, type Specimen, type SpecimenOptions } from './specimen.ts';
export {
  coaxialLight,
  demoRigGeometry,
  demoRigLights,
  directionFromAngles,
  fullRing,
  normalise,
  ringSegments,
  type Light,
  type Vec3,
} from './lights.ts';
export { dotGridTarget, flatWhiteTarget, sphereTarget, type Target } from './targets.ts';
export {
  defaultOptics,
  defaultReflectance,
  defaultSensor,
  exposureForPeak,
  pixelSizeOf,
  checkScene,
  defocusBlurSigmaM,
  exposeRadiance,
  renderImage,
  renderRadiance,
  shadeSpecimen,
  type CameraSettings,
  type OpticsSettings,
  type Reflectance,
  type RenderedImage,
  type Scene,
  type SensorModel,
} from './render.ts';
export { gaussianBlurInPlace } from './blur.ts';
