// A calibration check out of its limits, as a code with its figures (the UI words it in the user's language) and
// the one English sentence for it (logs, the CLI, the audit trail and records read by older tools).
import type { CalibrationProblem } from '../../contract/acquisitions.ts';

const percent = (fraction: number | undefined, digits: number) => ((fraction ?? NaN) * 100).toFixed(digits);

function englishOf(p: CalibrationProblem): string {
  switch (p.code) {
    case 'dot_residual':
      return `dot positions deviate by up to ${p.value?.toFixed(2)} px from the fitted grid (limit ${p.limit} px): target damaged, dirty or out of focus`;
    case 'lens_distortion':
      return `lens distortion moves the image corner by ${p.value?.toFixed(2)} px (limit ${p.limit} px)`;
    case 'scale_xy':
      return `pixel scale differs by ${percent(p.value, 1)} % between x and y`;
    case 'non_uniformity':
      return `response varies by ${percent(p.value, 1)} % over the field (limit ${percent(p.limit, 1)} %)`;
    case 'repeatability':
      return `level varies by ${percent(p.value, 2)} % between repeats (limit ${percent(p.limit, 2)} %)`;
    case 'repeats_missing':
      return 'repeatability needs at least two repeated frames';
    case 'light_misfit':
      return `the sphere does not look Lambertian under this light (misfit ${percent(p.value, 0)} %)`;
  }
}

/** The English sentence of a problem, prefixed with its light channel when it is about one. */
export function problemEnglish(p: CalibrationProblem): string {
  return p.channel === undefined ? englishOf(p) : `${p.channel}: ${englishOf(p)}`;
}
