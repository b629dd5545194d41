// Gaussian blur approximated by three box blurs (running sums): cost independent of the radius, which keeps
// a strongly defocused 1024² frame as fast as a sharp one. Edges are clamped.

/** Box widths whose three-fold convolution has standard deviation sigma (Kovesi's construction). */
function boxWidths(sigma: number): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / 3 + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const upper = lower + 2;
  const m = Math.round((12 * sigma * sigma - 3 * lower * lower - 12 * lower - 9) / (-4 * lower - 4));
  return [0, 1, 2].map((i) => (i < m ? lower : upper));
}

function horizontalPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number): void {
  const scale = 1 / (2 * radius + 1);
  for (let row = 0; row < height; row++) {
    const start = row * width;
    const first = src[start];
    const last = src[start + width - 1];
    let sum = first * (radius + 1);
    for (let k = 1; k <= radius; k++) sum += src[start + Math.min(k, width - 1)];
    for (let i = 0; i < width; i++) {
      dst[start + i] = sum * scale;
      const add = i + radius + 1;
      const remove = i - radius;
      sum += (add < width ? src[start + add] : last) - (remove >= 0 ? src[start + remove] : first);
    }
  }
}

/** Vertical running sums kept for a whole row at once, so memory is read row by row (cache-friendly). */
function verticalPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number): void {
  const scale = 1 / (2 * radius + 1);
  const sums = new Float32Array(width);
  const rowAt = (r: number) => Math.min(Math.max(r, 0), height - 1) * width;
  for (let x = 0; x < width; x++) sums[x] = src[x] * (radius + 1);
  for (let k = 1; k <= radius; k++) {
    const o = rowAt(k);
    for (let x = 0; x < width; x++) sums[x] += src[o + x];
  }
  for (let y = 0; y < height; y++) {
    const out = y * width;
    const add = rowAt(y + radius + 1);
    const remove = rowAt(y - radius);
    for (let x = 0; x < width; x++) {
      dst[out + x] = sums[x] * scale;
      sums[x] += src[add + x] - src[remove + x];
    }
  }
}

/** Blurs `image` in place with an approximate Gaussian of standard deviation sigma (pixels). */
export function gaussianBlurInPlace(image: Float32Array, width: number, height: number, sigma: number): void {
  if (!(sigma >= 0.5)) return;
  const scratch = new Float32Array(image.length);
  for (const box of boxWidths(sigma)) {
    const radius = (box - 1) / 2;
    if (radius < 1) continue;
    horizontalPass(image, scratch, width, height, radius);
    verticalPass(scratch, image, width, height, radius);
  }
}
