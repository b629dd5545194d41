// Progress of long work, in the CLI's words. The host reports codes (the contract's progress schemas) and each
// front end says them in its own: the UI through i18n (renderer/i18n), the command line in English, here.
import type { CalibrationStep, CaptureStep } from '../contract/acquisitions.ts';
import type { SearchProgress } from '../contract/analysis.ts';
import type { PackageStep } from '../contract/packages.ts';

export function captureStepText(p: CaptureStep): string {
  const what = {
    connecting: 'connecting to the rig',
    autofocus: p.frames === undefined ? 'autofocus' : `autofocus, ${p.frames} frames`,
    manual_focus: `manual focus at ${p.focusMm} mm`,
    exposure: 'exposure',
    light: `light ${p.light}`,
    photometric_stereo: '3D by photometric stereo',
    quality_checks: 'quality checks',
    storing_originals: 'storing originals',
    recording: 'recording the acquisitions',
    done: 'done',
  }[p.step];
  return p.region ? `${p.region}: ${what}` : what;
}

export function calibrationStepText(p: CalibrationStep): string {
  return {
    dark_frames: 'imaging the white target: dark frames',
    white_target: `imaging the white target under ${p.light}`,
    dot_grid: 'imaging the dot grid',
    sphere: `imaging the sphere under ${p.light}`,
    fitting_lattice: 'fitting the dot lattice',
    uniformity: 'uniformity and repeatability',
    fitting_lights: 'fitting light directions',
    fitting_suite: 'fitting scale, light directions and uniformity',
    light_vectors: 'light vectors for photometric stereo',
    storing: 'storing the calibration record',
  }[p.step];
}

export function searchProgressText(p: SearchProgress): string {
  return `${p.stage} ${p.done}/${p.total}`;
}

export function packageStepText(p: PackageStep): string {
  const bytes =
    p.done !== undefined && p.total ? ` (${Math.round(p.done / 1048576)} of ${Math.round(p.total / 1048576)} MiB)` : '';
  return {
    audit_check: 'checking the audit trail',
    evidence: `original files${bytes}`,
    openfmc: 'Open-FMC X3P copies',
    record: 'case record, audit extract and CASE/UCO',
    report: 'report',
    sealing: 'manifest and signature',
    archive: 'reading the archive',
    signature: 'checking the signature',
    members: `checking every member${bytes}`,
    contents: 'checking the case record and the audit extract',
    storing: `storing the files${bytes}`,
    recording: 'recording the case',
    done: 'done',
  }[p.step];
}

/** Progress as lines on stderr, each step once, with the percentage. */
export function progressLines<P>(
  stderr: NodeJS.WritableStream,
  text: (detail: P) => string,
): (fraction: number, detail: P) => void {
  let last = '';
  return (fraction, detail) => {
    const line = text(detail);
    if (line !== last) stderr.write(`${String(Math.round(fraction * 100)).padStart(3)} %  ${(last = line)}\n`);
  };
}
