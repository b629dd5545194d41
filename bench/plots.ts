// Small SVG charts for the benchmark reports and the docs: Tippett and empirical cross-entropy plots of a
// likelihood-ratio system. Plain SVG (no library), so the files diff and render anywhere.
import type { EcePoint } from '../electron/analysis/lr/performance.ts';

interface Series {
  label: string;
  colour: string;
  dash?: string;
  points: [number, number][];
}

function chart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
  series: Series[];
  notes?: string[];
}): string {
  const width = 640;
  const height = 420;
  const m = { left: 64, right: 20, top: 40, bottom: 56 };
  const px = (x: number) => m.left + ((x - options.x[0]) / (options.x[1] - options.x[0])) * (width - m.left - m.right);
  const py = (y: number) =>
    height - m.bottom - ((y - options.y[0]) / (options.y[1] - options.y[0])) * (height - m.top - m.bottom);
  const ticks = (lo: number, hi: number) => {
    const step = (hi - lo) / 5;
    return Array.from({ length: 6 }, (_, i) => Math.round((lo + i * step) * 100) / 100);
  };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escape(options.title)}</text>`,
  ];
  for (const t of ticks(...options.x))
    parts.push(
      `<line x1="${px(t)}" y1="${py(options.y[0])}" x2="${px(t)}" y2="${py(options.y[1])}" stroke="#ddd"/>`,
      `<text x="${px(t)}" y="${height - m.bottom + 16}" text-anchor="middle">${t}</text>`,
    );
  for (const t of ticks(...options.y))
    parts.push(
      `<line x1="${px(options.x[0])}" y1="${py(t)}" x2="${px(options.x[1])}" y2="${py(t)}" stroke="#ddd"/>`,
      `<text x="${m.left - 6}" y="${py(t) + 4}" text-anchor="end">${t}</text>`,
    );
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#333"/>`,
    `<text x="${(m.left + width - m.right) / 2}" y="${height - 16}" text-anchor="middle">${escape(options.xLabel)}</text>`,
    `<text x="16" y="${(m.top + height - m.bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(m.top + height - m.bottom) / 2})">${escape(options.yLabel)}</text>`,
  );
  options.series.forEach((s, i) => {
    const d = s.points.map(([x, y], k) => `${k ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    const ly = m.top + 16 + i * 18;
    parts.push(
      `<line x1="${width - m.right - 190}" y1="${ly - 4}" x2="${width - m.right - 165}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
      `<text x="${width - m.right - 160}" y="${ly}">${escape(s.label)}</text>`,
    );
  });
  (options.notes ?? []).forEach((note, i) =>
    parts.push(`<text x="${m.left + 8}" y="${m.top + 16 + i * 16}" fill="#444">${escape(note)}</text>`),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Step curves: share of pairs with log10 LR ≥ t, known matches and known non-matches. */
export function tippettSvg(km: number[], knm: number[], title: string, notes: string[] = []): string {
  const lo = Math.floor(Math.min(...km, ...knm)) - 0.5;
  const hi = Math.ceil(Math.max(...km, ...knm)) + 0.5;
  const curve = (values: number[]): [number, number][] => {
    const sorted = [...values].sort((a, b) => a - b);
    const points: [number, number][] = [[lo, 1]];
    sorted.forEach((v, i) => {
      points.push([v, 1 - i / sorted.length], [v, 1 - (i + 1) / sorted.length]);
    });
    points.push([hi, 0]);
    return points;
  };
  return chart({
    title,
    xLabel: 'log10 likelihood ratio (threshold t)',
    yLabel: 'share of pairs with log10 LR ≥ t',
    x: [lo, hi],
    y: [0, 1],
    series: [
      { label: `known matches (${km.length})`, colour: '#1f6fb4', points: curve(km) },
      { label: `known non-matches (${knm.length})`, colour: '#c0392b', points: curve(knm) },
    ],
    notes,
  });
}

export function eceSvg(points: EcePoint[], title: string, notes: string[] = []): string {
  const max = Math.max(...points.map((p) => Math.max(p.ece, p.neutral)));
  return chart({
    title,
    xLabel: 'prior log10 odds (same firearm)',
    yLabel: 'empirical cross-entropy (bits)',
    x: [points[0].priorLog10Odds, points[points.length - 1].priorLog10Odds],
    y: [0, Math.ceil(max * 10) / 10],
    series: [
      { label: 'the LRs', colour: '#1f6fb4', points: points.map((p) => [p.priorLog10Odds, p.ece]) },
      {
        label: 'after PAV (best possible)',
        colour: '#27ae60',
        dash: '6 4',
        points: points.map((p) => [p.priorLog10Odds, p.eceMin]),
      },
      {
        label: 'LR = 1 (no evidence)',
        colour: '#888',
        dash: '2 3',
        points: points.map((p) => [p.priorLog10Odds, p.neutral]),
      },
    ],
    notes,
  });
}
