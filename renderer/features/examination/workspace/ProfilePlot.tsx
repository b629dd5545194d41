// Both line profiles in one plot: distance along the line against height (each curve less its own mean), A in
// blue and B in orange, gaps where a side has no data, and the two curves' correlation at the current alignment.
import { Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LineProfiles } from './profile.ts';
import { formatNumber } from '../../../app/format.ts';

const colours = ['#4dabf7', '#ff922b'] as const;
const width = 340;
const height = 170;
const pad = { left: 44, right: 8, top: 8, bottom: 26 };

function pathOf(at: Float64Array, values: Float64Array, x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(at[i]!).toFixed(1)} ${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function ProfilePlot({ profiles, names }: { profiles: LineProfiles; names: [string, string] }) {
  const { t } = useTranslation();
  const all = profiles.heights.flatMap((h) => (h ? [...h].filter((v) => v === v) : []));
  const lo = all.length ? Math.min(...all) : -1;
  const hi = all.length ? Math.max(...all) : 1;
  const span = hi > lo ? hi - lo : 1;
  const x = (d: number) => pad.left + (d / Math.max(profiles.lengthUm, 1e-9)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - lo) / span) * (height - pad.top - pad.bottom);
  return (
    <Stack gap={4}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={t('exam.profile.plotLabel', {
          length: formatNumber(profiles.lengthUm, 0),
          correlation: formatNumber(profiles.correlation, 2),
        })}
        data-testid="profile-plot"
      >
        <rect
          x={pad.left}
          y={pad.top}
          width={width - pad.left - pad.right}
          height={height - pad.top - pad.bottom}
          fill="#1a1b1e"
        />
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#555" strokeDasharray="3 3" />
        {profiles.heights.map((h, i) =>
          h ? (
            <path key={i} d={pathOf(profiles.at, h, x, y)} fill="none" stroke={colours[i]} strokeWidth={1.5} />
          ) : null,
        )}
        <text x={pad.left - 4} y={pad.top + 10} textAnchor="end" fontSize={10} fill="#aaa">
          {formatNumber(hi, 2)}
        </text>
        <text x={pad.left - 4} y={height - pad.bottom} textAnchor="end" fontSize={10} fill="#aaa">
          {formatNumber(lo, 2)}
        </text>
        <text x={pad.left} y={height - 8} fontSize={10} fill="#aaa">
          0
        </text>
        <text x={width - pad.right} y={height - 8} textAnchor="end" fontSize={10} fill="#aaa">
          {t('exam.profile.lengthUm', { value: formatNumber(profiles.lengthUm, 0) })}
        </text>
      </svg>
      <Group gap="md">
        {names.map((name, i) => (
          <Group gap={4} key={i}>
            <svg width={14} height={4} aria-hidden="true">
              <rect width={14} height={4} fill={colours[i]} />
            </svg>
            <Text size="xs">{name}</Text>
          </Group>
        ))}
      </Group>
      <Text size="xs" c="dimmed" data-testid="profile-facts">
        {t('exam.profile.facts', {
          step: formatNumber(profiles.stepUm, 2),
          correlation: formatNumber(profiles.correlation, 3),
        })}
      </Text>
    </Stack>
  );
}
