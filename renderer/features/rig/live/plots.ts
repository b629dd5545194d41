// The two small plots beside the live image, drawn straight onto canvases from the frame loop.

const histogramGrey = 'rgb(170, 170, 170)';
const saturatedRed = 'rgb(250, 82, 82)';
const trendCyan = 'rgb(34, 184, 207)';

/** Square-root scaled bars so dark and bright tails stay visible next to a tall peak; the top bin red when saturated. */
export function drawHistogram(canvas: HTMLCanvasElement, bins: ArrayLike<number>, saturated: boolean): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const n = bins.length;
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, bins[i] ?? 0);
  if (peak === 0) return;
  const barWidth = width / n;
  const scale = height / Math.sqrt(peak);
  ctx.fillStyle = histogramGrey;
  for (let i = 0; i < n - 1; i++) {
    const h = Math.sqrt(bins[i] ?? 0) * scale;
    if (h > 0) ctx.fillRect(i * barWidth, height - h, Math.max(1, barWidth - (n <= 64 ? 1 : 0)), h);
  }
  const top = Math.sqrt(bins[n - 1] ?? 0) * scale;
  ctx.fillStyle = saturated ? saturatedRed : histogramGrey;
  // The saturated bin is drawn at least 3 px wide so it is visible at 256 bins on a narrow canvas.
  if (top > 0) ctx.fillRect(width - Math.max(3, barWidth), height - top, Math.max(3, barWidth), top);
}

/** The focus trend: the last values, scaled to their own range so a small change near best focus shows. */
export function drawSparkline(canvas: HTMLCanvasElement, values: readonly number[]): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  if (values.length < 2) return;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max - min || 1;
  ctx.strokeStyle = trendCyan;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = (i / (values.length - 1)) * (width - 2) + 1;
    const y = height - 2 - ((v - min) / span) * (height - 4);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
}
