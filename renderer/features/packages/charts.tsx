// Small charts for the manager's dashboard, drawn as SVG in the theme's colours: bars over weeks and a bar split
// by age. Each is an image with a text alternative; the numbers themselves are always shown (and linked) beside it.
import { Box, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** Bars of equal width, one per value (e.g. acquisitions per week), scaled to `max`. */
export function MiniBars({
  values,
  max,
  label,
  titles,
  colour = 'var(--mantine-color-blue-6)',
  width = 160,
  height = 32,
}: {
  values: number[];
  max: number;
  label: string;
  titles?: string[];
  colour?: string;
  width?: number;
  height?: number;
}) {
  const gap = 2;
  const barWidth = values.length ? (width - gap * (values.length - 1)) / values.length : width;
  return (
    <svg width={width} height={height} role="img" aria-label={label} style={{ display: 'block' }}>
      <line
        x1={0}
        x2={width}
        y1={height - 0.5}
        y2={height - 0.5}
        stroke="var(--mantine-color-dimmed)"
        strokeWidth={1}
      />
      {values.map((v, i) => {
        const h = max > 0 ? Math.max(v > 0 ? 2 : 0, Math.round(((height - 2) * v) / max)) : 0;
        return (
          <rect key={i} x={i * (barWidth + gap)} y={height - 1 - h} width={barWidth} height={h} fill={colour} rx={1}>
            {titles?.[i] ? <title>{titles[i]}</title> : null}
          </rect>
        );
      })}
    </svg>
  );
}

export interface Segment {
  value: number;
  colour: string;
  label: string;
}

/** One horizontal bar split into segments (e.g. waiting under 24 h, 24–72 h, over 72 h), with its legend. */
export function SplitBar({ segments, label, width = 260 }: { segments: Segment[]; label: string; width?: number }) {
  const total = segments.reduce((n, s) => n + s.value, 0);
  let x = 0;
  return (
    <Box>
      <svg width={width} height={12} role="img" aria-label={label} style={{ display: 'block' }}>
        <rect x={0} y={0} width={width} height={12} rx={3} fill="var(--mantine-color-default-border)" />
        {total > 0
          ? segments.map((s, i) => {
              const w = (width * s.value) / total;
              const rect = <rect key={i} x={x} y={0} width={w} height={12} fill={s.colour} />;
              x += w;
              return rect;
            })
          : null}
      </svg>
      <Group gap="sm" mt={4}>
        {segments.map((s) => (
          <Group key={s.label} gap={4} wrap="nowrap">
            <Box w={10} h={10} style={{ background: s.colour, borderRadius: 2 }} aria-hidden />
            <Text size="xs">
              {s.label}: {s.value}
            </Text>
          </Group>
        ))}
      </Group>
    </Box>
  );
}

/** Horizontal bars, one per row with its label and linked number (e.g. submissions by state). */
export function BarRows({
  rows,
  label,
  width = 180,
}: {
  rows: { key: string; label: string; value: number; colour: string; extra?: ReactNode; link: ReactNode }[];
  label: string;
  width?: number;
}) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <Box role="list" aria-label={label}>
      {rows.map((r) => (
        <Group key={r.key} gap="xs" wrap="nowrap" role="listitem" mb={4}>
          <Text size="sm" w={110} truncate>
            {r.label}
          </Text>
          <svg width={width} height={10} aria-hidden style={{ flexShrink: 0 }}>
            <rect x={0} y={0} width={(width * r.value) / max} height={10} rx={2} fill={r.colour} />
          </svg>
          {r.link}
          {r.extra}
        </Group>
      ))}
    </Box>
  );
}
