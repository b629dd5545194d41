// Scale bars: a round length (1, 2 or 5 × 10ⁿ µm), the largest not longer than the room there is.
export function niceLength(maxUm: number): number {
  if (!(maxUm > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(maxUm));
  for (const m of [5, 2, 1]) if (m * p <= maxUm) return m * p;
  return p;
}
