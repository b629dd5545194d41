// The fine stage of CMC: the reference split into cells; for each rotation near the registered angle, each
// cell's best translation inside a search region of the rotated target, found by FFT correlation and scored by
// the exact pairwise-complete Pearson correlation at that translation (as cmcR does).
import { nextPowerOfTwo } from '../fft.ts';
import { sampleRotated, type Raster } from '../raster.ts';
import { throwIfAborted } from '../errors.ts';
import type { Correlator } from './correlator.ts';
import type { CmcParams } from './params.ts';
import { cached, type PreparedScan } from './prepared.ts';

export interface CellTemplate {
  index: number;
  col: number;
  row: number;
  x0: number;
  y0: number;
  validFraction: number;
  count: number;
  spectrum: Float32Array;
}

export interface CellGeometry {
  cellWidth: number;
  cellHeight: number;
  n: number;
  marginX: number;
  marginY: number;
}

/** Best match of one cell over the searched rotations. dx, dy: A(p) ≈ B_θ(p + d) for p in the cell. */
export interface CellMatch {
  index: number;
  col: number;
  row: number;
  x0: number;
  y0: number;
  width: number;
  height: number;
  validFraction: number;
  thetaDeg: number;
  dx: number;
  dy: number;
  corr: number;
}

export function cellGeometry(reference: Raster, params: CmcParams): CellGeometry {
  const cellWidth = Math.ceil(reference.width / params.cellsX);
  const cellHeight = Math.ceil(reference.height / params.cellsY);
  const n = nextPowerOfTwo(Math.max(cellWidth, cellHeight) + 2 * params.searchMarginPx);
  return {
    cellWidth,
    cellHeight,
    n,
    marginX: Math.floor((n - cellWidth) / 2),
    marginY: Math.floor((n - cellHeight) / 2),
  };
}

export function cellTemplates(
  scan: PreparedScan,
  params: CmcParams,
  geometry: CellGeometry,
  correlator: Correlator,
): CellTemplate[] {
  const { cellWidth: cw, cellHeight: ch, n } = geometry;
  const key = `cells:${params.cellsX}x${params.cellsY}:${n}:${params.minCellValidFraction}`;
  return cached(scan, key, () => {
    const { width, height, data } = scan.raster;
    const templates: CellTemplate[] = [];
    const buffer = new Float32Array(n * n);
    for (let row = 0; row < params.cellsY; row++) {
      for (let col = 0; col < params.cellsX; col++) {
        const x0 = col * cw;
        const y0 = row * ch;
        const values = new Float64Array(cw * ch).fill(NaN);
        let count = 0;
        for (let y = 0; y < ch && y0 + y < height; y++) {
          for (let x = 0; x < cw && x0 + x < width; x++) {
            const v = data[(y0 + y) * width + x0 + x];
            values[y * cw + x] = v;
            if (v === v) count++;
          }
        }
        const validFraction = count / (cw * ch);
        if (validFraction < params.minCellValidFraction) continue;
        // The cell sits at the top-left of the buffer, so correlation index s = where it lands in the region.
        fillCell(values, cw, ch, n, buffer);
        templates.push({
          index: row * params.cellsX + col,
          col,
          row,
          x0,
          y0,
          validFraction,
          count,
          spectrum: correlator.spectrum(buffer),
        });
      }
    }
    return templates;
  });
}

function fillCell(values: Float64Array, cw: number, ch: number, n: number, out: Float32Array): void {
  out.fill(0);
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v === v) {
      sum += v;
      count++;
    }
  }
  const mean = count ? sum / count : 0;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const v = values[y * cw + x];
      if (v === v) out[y * n + x] = v - mean;
    }
  }
}

/** Working buffers for one direction, reused across cells and angles. */
interface Workspace {
  region: Float32Array;
  corr: Float32Array;
  /** Integral images (n+1)² of the region's squared values and of its valid-point count. */
  energy: Float64Array;
  valid: Float64Array;
  /** The region of the rotated target as sampled (NaN kept), for the exact correlation. */
  raw: Float64Array;
}

export function searchCells(
  reference: PreparedScan,
  target: PreparedScan,
  registration: { thetaDeg: number; tx: number; ty: number },
  params: CmcParams,
  correlatorFor: (n: number) => Correlator,
  signal?: AbortSignal,
): { geometry: CellGeometry; matches: CellMatch[] } {
  const geometry = cellGeometry(reference.raster, params);
  const { n, cellWidth: cw, cellHeight: ch, marginX, marginY } = geometry;
  const correlator = correlatorFor(n);
  const templates = cellTemplates(reference, params, geometry, correlator);
  const tgt = target.raster;
  const ws: Workspace = {
    region: new Float32Array(n * n),
    corr: new Float32Array(n * n),
    energy: new Float64Array((n + 1) * (n + 1)),
    valid: new Float64Array((n + 1) * (n + 1)),
    raw: new Float64Array(n * n),
  };
  const best: CellMatch[] = templates.map((t) => ({
    index: t.index,
    col: t.col,
    row: t.row,
    x0: t.x0,
    y0: t.y0,
    width: cw,
    height: ch,
    validFraction: t.validFraction,
    thetaDeg: NaN,
    dx: NaN,
    dy: NaN,
    corr: -Infinity,
  }));
  const tx = Math.round(registration.tx);
  const ty = Math.round(registration.ty);
  for (const offset of params.fineOffsetsDeg) {
    throwIfAborted(signal);
    const thetaDeg = registration.thetaDeg + offset;
    templates.forEach((template, i) => {
      // Only the search region of the rotated target is ever computed: no full rotated copy per angle.
      const rx = template.x0 + tx - marginX;
      const ry = template.y0 + ty - marginY;
      sampleRotated(tgt, thetaDeg, rx, ry, n, n, ws.raw);
      if (!fillRegion(ws, n)) return;
      correlator.correlate(template.spectrum, ws.region, ws.corr);
      const shift = bestNormalisedShift(ws, n, cw, ch, template.count);
      if (!shift) return;
      const corr = pearsonAt(
        template,
        reference.raster,
        cw,
        ch,
        { width: n, height: n, data: ws.raw },
        shift.sx,
        shift.sy,
        template.count,
      );
      if (corr > best[i].corr) {
        best[i].corr = corr;
        best[i].thetaDeg = thetaDeg;
        best[i].dx = rx + shift.sx - template.x0;
        best[i].dy = ry + shift.sy - template.y0;
      }
    });
  }
  for (const m of best) if (m.corr === -Infinity) m.corr = NaN;
  return { geometry, matches: best };
}

/** Mean-subtracted, NaN → 0 copy of the sampled region into the FFT buffer, with integral images. */
function fillRegion(ws: Workspace, n: number): boolean {
  const { region, energy, valid, raw } = ws;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (v === v) {
      sum += v;
      count++;
    }
  }
  if (count === 0) return false;
  const mean = sum / count;
  const stride = n + 1;
  for (let y = 0; y < n; y++) {
    let rowEnergy = 0;
    let rowValid = 0;
    const row = y * n;
    const above = y * stride + 1;
    const here = (y + 1) * stride + 1;
    for (let x = 0; x < n; x++) {
      const v = raw[row + x];
      if (v === v) {
        const d = v - mean;
        region[row + x] = d;
        rowEnergy += d * d;
        rowValid++;
      } else region[row + x] = 0;
      energy[here + x] = energy[above + x] + rowEnergy;
      valid[here + x] = valid[above + x] + rowValid;
    }
  }
  return true;
}

function windowSum(table: Float64Array, stride: number, x: number, y: number, w: number, h: number): number {
  return (
    table[(y + h) * stride + x + w] - table[y * stride + x + w] - table[(y + h) * stride + x] + table[y * stride + x]
  );
}

/** The translation maximising correlation / √(window energy), over windows holding at least half the cell's points. */
function bestNormalisedShift(
  ws: Workspace,
  n: number,
  cw: number,
  ch: number,
  cellCount: number,
): { sx: number; sy: number } | undefined {
  const stride = n + 1;
  const minValid = 0.5 * cellCount;
  let best = -Infinity;
  let bx = -1;
  let by = -1;
  for (let sy = 0; sy <= n - ch; sy++) {
    for (let sx = 0; sx <= n - cw; sx++) {
      const c = ws.corr[sy * n + sx];
      if (c <= 0) continue;
      if (windowSum(ws.valid, stride, sx, sy, cw, ch) < minValid) continue;
      const e = windowSum(ws.energy, stride, sx, sy, cw, ch);
      if (e <= 0) continue;
      const score = c / Math.sqrt(e);
      if (score > best) {
        best = score;
        bx = sx;
        by = sy;
      }
    }
  }
  return bx < 0 ? undefined : { sx: bx, sy: by };
}

/** Pearson correlation over the points valid in both the cell (read from its scan) and the target window at (x, y). */
function pearsonAt(
  template: CellTemplate,
  cell: Raster,
  cw: number,
  ch: number,
  src: Raster,
  x: number,
  y: number,
  cellCount: number,
): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  // The last row and column of cells may reach past the scan's edge: those points are unmeasured.
  const rows = Math.min(ch, cell.height - template.y0);
  const cols = Math.min(cw, cell.width - template.x0);
  for (let j = 0; j < rows; j++) {
    const ty = y + j;
    if (ty < 0 || ty >= src.height) continue;
    const cellRow = (template.y0 + j) * cell.width + template.x0;
    for (let i = 0; i < cols; i++) {
      const tx = x + i;
      if (tx < 0 || tx >= src.width) continue;
      const a = cell.data[cellRow + i];
      const b = src.data[ty * src.width + tx];
      if (a !== a || b !== b) continue;
      n++;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
  }
  // Fewer than half the cell's points in common: the correlation would describe a sliver, not the cell.
  if (n < Math.max(16, 0.5 * cellCount)) return NaN;
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : NaN;
}
