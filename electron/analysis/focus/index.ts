export { autofocus, type AutofocusOptions, type AutofocusResult, type FocusSample } from './autofocus.ts';
export { sharpness, type SharpnessOptions } from './sharpness.ts';
