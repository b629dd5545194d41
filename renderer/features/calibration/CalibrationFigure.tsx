// The calibration report as a picture a person can read: each panel says what it measures, with its colour key,
// units and the limits the checks used. Flat field: each light's response over the field (the stored report
// tiles, one per light, labelled). Light directions: where each fitted light sits on the sphere (polar plot).
// Distortion: where the lens moves points of the dot grid (vectors from the fitted radial coefficient).
import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalibrationDetail } from '../../../electron/contract/index.ts';
import { useCall } from '../../api/hooks.tsx';
import { formatNumber } from '../../app/format.ts';
import { useLightWords } from '../rig/lightWords.ts';
import { calibrationParts, type CalibrationParts } from './figures.ts';

// The flat-field tiles of the stored report (electron/analysis/calibration/report.ts): rows of at most four
// square tiles with a 4 px gap, in the order of the uniformity figures; ±10 % around the mean, blue to red.
const tileGap = 4;
const keyRange = 0.1;

function PassBadge({ passed }: { passed: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge size="xs" color={passed ? 'green' : 'red'}>
      {passed ? t('calibration.passed') : t('calibration.failed')}
    </Badge>
  );
}

function Panel({ title, hint, children }: { title: string; hint?: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="sm" component="figure" m={0}>
      <Stack gap="xs">
        <Title order={3} size="h6" component="figcaption">
          {title}
        </Title>
        {hint ? (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        ) : null}
        {children}
      </Stack>
    </Paper>
  );
}

function FlatFieldPanel({ id, uniformity }: { id: number; uniformity: NonNullable<CalibrationParts['uniformity']> }) {
  const { t } = useTranslation();
  const light = useLightWords();
  const report = useCall('calibrations.report', { id });
  const [image, setImage] = useState<HTMLImageElement | null>(null);
  useEffect(() => {
    if (!report.data) return;
    const url = URL.createObjectURL(
      new Blob([report.data.bytes as Uint8Array<ArrayBuffer>], { type: report.data.mediaType }),
    );
    const img = new Image();
    img.onload = () => setImage(img);
    img.src = url;
    return () => URL.revokeObjectURL(url);
  }, [report.data]);
  const n = uniformity.channels.length;
  const perRow = Math.min(4, n);
  const tile = image ? (image.naturalWidth - (perRow + 1) * tileGap) / perRow : 0;
  const limit = uniformity.maxNonUniformity;
  return (
    <Panel title={t('calibration.picture.flatTitle')} hint={t('calibration.picture.flatHint')}>
      <Group gap="sm" align="flex-start" data-testid="report-flat-field">
        {uniformity.channels.map((c, k) => {
          const words = light(c.channel);
          const value = formatNumber(c.nonUniformity * 100, 1);
          return (
            <Stack key={c.channel} gap={2} w={112}>
              <Tile
                image={image}
                x={tileGap + (k % perRow) * (tile + tileGap)}
                y={tileGap + Math.floor(k / perRow) * (tile + tileGap)}
                size={tile}
                label={t('calibration.picture.tileLabel', { light: words })}
              />
              <Text size="xs" fw={500} lineClamp={2}>
                {words}
              </Text>
              <Text size="xs">
                {limit === null
                  ? t('calibration.picture.nonUniformity', { value })
                  : t('calibration.picture.nonUniformityLimit', { value, limit: formatNumber(limit * 100, 1) })}
              </Text>
              <PassBadge passed={c.passed} />
            </Stack>
          );
        })}
      </Group>
      <ColourKey />
    </Panel>
  );
}

function Tile({
  image,
  x,
  y,
  size,
  label,
}: {
  image: HTMLImageElement | null;
  x: number;
  y: number;
  size: number;
  label: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (image && context && size > 0) context.drawImage(image, x, y, size, size, 0, 0, 112, 112);
  }, [image, x, y, size]);
  return (
    <canvas ref={canvas} width={112} height={112} role="img" aria-label={label} style={{ background: '#282828' }} />
  );
}

/** Blue (dimmer) → white (the field's mean) → red (brighter), −10 % … +10 %, as the tiles are coloured. */
function ColourKey() {
  const { t } = useTranslation();
  const pct = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${formatNumber(Math.abs(v) * 100, 0)} %`;
  return (
    <Stack gap={2} maw={360} data-testid="report-colour-key">
      <div
        role="img"
        aria-label={t('calibration.picture.keyLabel')}
        style={{ height: 12, background: 'linear-gradient(to right, rgb(0,0,255), rgb(255,255,255), rgb(255,0,0))' }}
      />
      <Group justify="space-between">
        <Text size="xs">{pct(-keyRange)}</Text>
        <Text size="xs">{t('calibration.picture.keyMean')}</Text>
        <Text size="xs">{pct(keyRange)}</Text>
      </Group>
      <Text size="xs" c="dimmed">
        {t('calibration.picture.keyCaption')}
      </Text>
    </Stack>
  );
}

function LightDirectionsPanel({ lights }: { lights: NonNullable<CalibrationParts['lights']> }) {
  const { t } = useTranslation();
  const light = useLightWords();
  const size = 240;
  const c = size / 2;
  const rim = c - 28;
  const at = (azimuthDeg: number, elevationDeg: number) => {
    const r = rim * (1 - Math.max(0, Math.min(90, elevationDeg)) / 90);
    const a = (azimuthDeg * Math.PI) / 180;
    // Image axes: 0° to the right, 90° down, as the rig profile and the camera count them.
    return { x: c + r * Math.cos(a), y: c + r * Math.sin(a) };
  };
  const limit = lights.maxResidual;
  return (
    <Panel title={t('calibration.picture.lightsTitle')} hint={t('calibration.picture.lightsHint')}>
      <Group align="flex-start" gap="md" wrap="wrap">
        <svg
          width={size}
          height={size}
          viewBox={`0 0 ${size} ${size}`}
          role="img"
          aria-label={t('calibration.picture.lightsTitle')}
          data-testid="report-light-directions"
        >
          {[0, 30, 60].map((elevation) => {
            // Ring labels between two light positions (lights sit every 45° on most rigs), clear of the side words.
            const label = at(67.5, elevation);
            return (
              <g key={elevation}>
                <circle cx={c} cy={c} r={rim * (1 - elevation / 90)} fill="none" stroke="currentColor" opacity={0.35} />
                <text x={label.x + 2} y={label.y - 2} fontSize={10} fill="currentColor">
                  {elevation}°
                </text>
              </g>
            );
          })}
          {(['right', 'bottom', 'left', 'top'] as const).map((side, k) => {
            const p = at(k * 90, -12);
            return (
              <text
                key={side}
                x={p.x}
                y={p.y}
                fontSize={10}
                textAnchor="middle"
                dominantBaseline="middle"
                fill="currentColor"
              >
                {t(`lights.side.${side}`)}
              </text>
            );
          })}
          {lights.lights.map((l, k) => {
            const p = at(l.azimuthDeg, l.elevationDeg);
            const failed = limit !== null && l.residual !== null && l.residual > limit;
            return (
              <g key={l.channel}>
                <circle cx={p.x} cy={p.y} r={6} fill={failed ? '#e03131' : '#1c7ed6'} stroke="white" />
                <text x={p.x + 8} y={p.y + 4} fontSize={11} fill="currentColor">
                  {k + 1}
                </text>
              </g>
            );
          })}
        </svg>
        <Stack gap={2}>
          {lights.lights.map((l, k) => (
            <Text size="xs" key={l.channel}>
              {k + 1}.{' '}
              {t('calibration.picture.lightEntry', {
                light: light(l.channel),
                azimuth: formatNumber(l.azimuthDeg, 1),
                elevation: formatNumber(l.elevationDeg, 1),
                misfit: l.residual === null ? '—' : formatNumber(l.residual * 100, 1),
              })}
            </Text>
          ))}
          {limit !== null ? (
            <Text size="xs" c="dimmed">
              {t('calibration.picture.misfitLimit', { limit: formatNumber(limit * 100, 0) })}
            </Text>
          ) : null}
        </Stack>
      </Group>
    </Panel>
  );
}

function DistortionPanel({ scale }: { scale: NonNullable<CalibrationParts['scale']> }) {
  const { t } = useTranslation();
  const size = 240;
  const margin = 20;
  const half = (size - 2 * margin) / 2;
  // Magnify so the corner vector is about a third of a grid step, whatever the lens.
  const cornerOnScreen = Math.abs(scale.k1) * Math.SQRT2 * half;
  const factor = cornerOnScreen > 0 ? Math.max(1, Math.round((half / 6 / cornerOnScreen) * 10) / 10) : 1;
  const points: Array<{ x: number; y: number; dx: number; dy: number }> = [];
  for (let i = -3; i <= 3; i++)
    for (let j = -3; j <= 3; j++) {
      // Normalised like the fit: r = 1 at the half diagonal.
      const nx = (i / 3) * Math.SQRT1_2;
      const ny = (j / 3) * Math.SQRT1_2;
      const r2 = nx * nx + ny * ny;
      points.push({ x: nx, y: ny, dx: scale.k1 * r2 * nx, dy: scale.k1 * r2 * ny });
    }
  const toScreen = (v: number) => size / 2 + v * half * Math.SQRT2;
  const limits = scale.limits;
  const cornerPassed = limits === null || scale.cornerDistortionPx <= limits.maxDistortionPx;
  const residualPassed = limits === null || scale.maxResidualPx === null || scale.maxResidualPx <= limits.maxResidualPx;
  return (
    <Panel title={t('calibration.picture.distortionTitle')} hint={t('calibration.picture.distortionHint', { factor })}>
      <Group align="flex-start" gap="md" wrap="wrap">
        <svg
          width={size}
          height={size}
          viewBox={`0 0 ${size} ${size}`}
          role="img"
          aria-label={t('calibration.picture.distortionTitle')}
          data-testid="report-distortion"
        >
          <rect
            x={margin}
            y={margin}
            width={size - 2 * margin}
            height={size - 2 * margin}
            fill="none"
            stroke="currentColor"
            opacity={0.35}
          />
          {points.map((p, k) => {
            const x = toScreen(p.x);
            const y = toScreen(p.y);
            const x2 = toScreen(p.x + p.dx * factor);
            const y2 = toScreen(p.y + p.dy * factor);
            return (
              <g key={k}>
                <circle cx={x} cy={y} r={2} fill="currentColor" />
                <line x1={x} y1={y} x2={x2} y2={y2} stroke="#f08c00" strokeWidth={1.5} />
              </g>
            );
          })}
        </svg>
        <Stack gap={4}>
          <Text size="xs">
            {t('calibration.picture.scaleLine', {
              x: formatNumber(scale.umPerPixelX, 3),
              y: formatNumber(scale.umPerPixelY, 3),
            })}
          </Text>
          <Group gap={6}>
            <Text size="xs">
              {limits
                ? t('calibration.picture.cornerLimit', {
                    value: formatNumber(scale.cornerDistortionPx, 2),
                    limit: formatNumber(limits.maxDistortionPx, 1),
                  })
                : t('calibration.picture.corner', { value: formatNumber(scale.cornerDistortionPx, 2) })}
            </Text>
            {limits ? <PassBadge passed={cornerPassed} /> : null}
          </Group>
          <Group gap={6}>
            <Text size="xs">
              {limits && scale.maxResidualPx !== null
                ? t('calibration.picture.residualLimit', {
                    rms: formatNumber(scale.rmsResidualPx, 2),
                    worst: formatNumber(scale.maxResidualPx, 2),
                    limit: formatNumber(limits.maxResidualPx, 1),
                  })
                : t('calibration.picture.residual', { rms: formatNumber(scale.rmsResidualPx, 2) })}
            </Text>
            {limits && scale.maxResidualPx !== null ? <PassBadge passed={residualPassed} /> : null}
          </Group>
        </Stack>
      </Group>
    </Panel>
  );
}

/** Every panel the record has data for; nothing when it has none (the table of results stays below). */
export function CalibrationFigure({ calibration }: { calibration: CalibrationDetail }) {
  const parts = calibrationParts(calibration.kind, calibration.results);
  // The stored report picture holds the flat-field tiles for these kinds (a dot grid or sphere photo otherwise).
  const tiles = ['suite', 'uniformity', 'flat_dark'].includes(calibration.kind) && calibration.reportSha256;
  if (!parts.scale && !parts.lights && !(parts.uniformity && tiles)) return null;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm" data-testid="calibration-figure">
      {parts.uniformity && tiles ? <FlatFieldPanel id={calibration.id} uniformity={parts.uniformity} /> : null}
      {parts.lights ? <LightDirectionsPanel lights={parts.lights} /> : null}
      {parts.scale ? <DistortionPanel scale={parts.scale} /> : null}
    </SimpleGrid>
  );
}
