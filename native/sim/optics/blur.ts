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

/** Three-tap kernel [a, 1 − 2a, a] with variance 2a = σ²: a continuous blur for σ below one pixel. */
function smallBlurInPlace(image: Float32Array, width: number, height: number, sigma: number): void {
  const a = (sigma * sigma) / 2;
  const c = 1 - 2 * a;
  const scratch = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const left = image[o + (x > 0 ? x - 1 : 0)];
      const right = image[o + (x < width - 1 ? x + 1 : x)];
      scratch[o + x] = c * image[o + x] + a * (left + right);
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : 0) * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    const o = y * width;
    for (let x = 0; x < width; x++) image[o + x] = c * scratch[o + x] + a * (scratch[up + x] + scratch[down + x]);
  }
}

/** Blurs `image` in place with an approximate Gaussian of standard deviation sigma (pixels). */
export function gaussianBlurInPlace(image: Float32Array, width: number, height: number, sigma: number): void {
  if (!(sigma > 0.01)) return;
  // Box widths need σ ≥ ~1; below that a three-tap kernel keeps the blur growing smoothly from zero,
  // which autofocus relies on (a dead zone would hide the true focus).
  if (sigma < 0.8) return smallBlurInPlace(image, width, height, sigma);
  const scratch = new Float32Array(image.length);
  for (const box of boxWidths(sigma)) {
    const radius = (box - 1) / 2;
    if (radius < 1) continue;
    horizontalPass(image, scratch, width, height, radius);
    verticalPass(scratch, image, width, height, radius);
  }
}
