// Fast, seeded noise for the simulated sensor: xorshift32 for uniforms and a precomputed table of standard
// normal samples (Box–Muller once), so a 1024² frame needs no transcendental functions per pixel.

const tableSize = 1 << 16;
let gaussianTable: Float32Array | undefined;

function table(): Float32Array {
  if (gaussianTable) return gaussianTable;
  gaussianTable = new Float32Array(tableSize);
  let state = 0x9e3779b9;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  for (let i = 0; i < tableSize; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const t = 2 * Math.PI * uniform();
    gaussianTable[i] = r * Math.cos(t);
    gaussianTable[i + 1] = r * Math.sin(t);
  }
  return gaussianTable;
}

export interface GaussianSource {
  /** A standard normal sample. */
  next(): number;
}

export function gaussianSource(seed: number): GaussianSource {
  const samples = table();
  let state = seed >>> 0 || 1;
  return {
    next() {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      // Two table entries per draw, summed and rescaled: cheap decorrelation of the table's reuse.
      const s = state >>> 0;
      return (samples[s & 0xffff] + samples[s >>> 16]) * Math.SQRT1_2;
    },
  };
}
