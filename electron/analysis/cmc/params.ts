// Parameters of the CMC comparison, with the defaults and their sources (see docs/analysis.md).
import { z } from 'zod';

export const cmcParamsSchema = z.object({
  /** Cells per axis on the reference scan (Song 2013; cmcR default 8 × 8). */
  cellsX: z.number().int().min(1).max(32).default(8),
  cellsY: z.number().int().min(1).max(32).default(8),
  /** A cell takes part only when at least this fraction of it is measured (below it, correlations are noise). */
  minCellValidFraction: z.number().min(0.05).max(1).default(0.5),
  /** Congruency thresholds (Song 2013; Tong et al. 2015; the issue's defaults). */
  corrThreshold: z.number().min(0).max(1).default(0.5),
  translationThresholdPx: z.number().min(0).default(20),
  angleThresholdDeg: z.number().min(0).default(6),
  /**
   * Coarse registration: block-mean downsampling factor of the refinement and angular step over the full 360°.
   * At 50 µm/px a 16–250 µm band still holds wavelengths of 2–5 px, and two scans' correlation falls to the level
   * of chance within about 1.5° of the true angle (measured on Fadul matches, processed and raw): a 4° grid can
   * land 2° away and miss it, a 2° grid lands within 1°.
   */
  coarseFactor: z.number().int().min(2).max(32).default(8),
  coarseStepDeg: z.number().positive().max(45).default(2),
  /**
   * The 360° sweep may run at a coarser factor that only ranks the angles: the best `sweepKeep` share of them is
   * then scored again at coarseFactor. Equal to coarseFactor (the default): every angle is scored at the
   * refinement level. At 100 µm/px the band holds almost no marks, and on raw measurements (form, crater and
   * edges left after levelling) the true angle fell outside even the best 60 % of that ranking.
   */
  sweepFactor: z.number().int().min(2).max(64).default(8),
  sweepKeep: z.number().min(0.01).max(1).default(0.34),
  /** Local maxima (among the angles scored at coarseFactor) refined in whole degrees, then quarter degrees. */
  coarseCandidates: z.number().int().min(1).max(20).default(3),
  /**
   * Fine per-cell rotation offsets (degrees) around the registered angle, at full resolution. One angle: the
   * coarse registration is within about a degree, which turns a 425 µm cell's corners by under a pixel, and on
   * all 780 Fadul pairs ±2° only added chance agreements (known non-matches up to 2 CMCs instead of 1) at 3×
   * the cost (docs/analysis.md).
   */
  fineOffsetsDeg: z.array(z.number()).min(1).default([0]),
  /** Minimum search margin (px) around each cell's registered position; the FFT size grows to honour it. */
  searchMarginPx: z.number().int().min(4).max(256).default(24),
  /** How the two directions combine: the minimum is the conservative choice (cmcR reports it for Fadul). */
  combine: z.enum(['min', 'mean', 'max']).default('min'),
});

export type CmcParams = z.infer<typeof cmcParamsSchema>;
export type CmcParamsInput = z.input<typeof cmcParamsSchema>;

export function resolveCmcParams(input: CmcParamsInput = {}): CmcParams {
  const parsed = cmcParamsSchema.safeParse(input);
  if (!parsed.success)
    throw new RangeError(
      `invalid CMC parameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/**
 * Preprocessing used before CMC unless the caller says otherwise: 16–250 µm (NIST's band for breech faces,
 * Chu, Song et al. 2013). The long cut-off sits well below the 8 × 8 cell width (~425 µm on a 3.4 mm scan), so
 * every cell holds several wavelengths and a chance correlation ≥ 0.5 between unrelated cells is rare; with
 * 500 µm a cell holds about one wavelength. See docs/analysis.md for the measured effect of both.
 */
export const cmcPreprocessDefaults = { shortCutoff: 16e-6, longCutoff: 250e-6 } as const;
