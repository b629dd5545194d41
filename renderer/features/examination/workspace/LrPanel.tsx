// The likelihood ratio of this comparison explained: its value and interval, what it means, the model and its
// reference population, and the model's own validation drawn as a Tippett plot and an empirical cross-entropy
// plot with this comparison's LR marked on both. The curves come with the model (analysis.lrModel, computed by
// the host from the validation LRs the model ships with): the UI draws them, it never recomputes them.
import { Alert, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LikelihoodRatioView, LrModelSummaryView } from '../../../../electron/contract/index.ts';
import { useCall } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { formatNumber, formatPercent } from '../../../app/format.ts';

const colours = { km: '#1c7ed6', knm: '#e03131', pav: '#2f9e44', neutral: '#868e96' } as const;
const width = 360;
const height = 200;
const pad = { left: 40, right: 10, top: 10, bottom: 30 };

const fixed = (v: number, digits = 2) => formatNumber(v, digits);
const percent = (share: number) => formatPercent(share, share > 0 && share < 0.01 ? 2 : 1);

/** The LR itself, rounded as its precision deserves (10^2.28 ≈ 190, 10^−1.2 ≈ 1/16). */
function ratioText(log10Lr: number): string {
  const lr = Math.pow(10, Math.abs(log10Lr));
  const shown = lr >= 100 ? Math.round(lr / 10) * 10 : lr >= 10 ? Math.round(lr) : Math.round(lr * 10) / 10;
  return log10Lr < 0 ? `1/${shown}` : `${shown}`;
}

/** The LR in one line, for the analysis tab beside the CMC count. */
export function LrLine({ lr }: { lr: LikelihoodRatioView }) {
  const { t } = useTranslation();
  return (
    <Text size="xs" data-testid="compare-lr">
      {t('exam.lr.short', { value: fixed(lr.log10Lr), low: fixed(lr.interval[0]), high: fixed(lr.interval[1]) })}
      {lr.betweenClasses ? ` ${t('exam.lr.inconclusive')}` : ''}
      {lr.comparable ? '' : ` ${t('exam.lr.indicative')}`}
    </Text>
  );
}

export function LrPanel({ lr }: { lr: LikelihoodRatioView }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const model = useCall('analysis.lrModel', {});
  return (
    <Stack gap="xs" data-testid="lr-panel">
      <Text size="sm" fw={600} data-testid="lr-value">
        {t('exam.lr.value', {
          value: fixed(lr.log10Lr),
          ratio: ratioText(lr.log10Lr),
          low: fixed(lr.interval[0]),
          high: fixed(lr.interval[1]),
        })}
      </Text>
      {lr.clipped ? (
        <Text size="xs">
          {t(lr.clipped === 'upper' ? 'exam.lr.clippedUpper' : 'exam.lr.clippedLower', {
            unclipped: fixed(lr.unclipped),
          })}
        </Text>
      ) : null}
      {lr.betweenClasses ? (
        <Text size="xs" c="orange" data-testid="lr-between-classes">
          {t('exam.lr.betweenClasses')}
        </Text>
      ) : null}
      {lr.comparable ? null : (
        <Text size="xs" c="orange">
          {t('exam.lr.indicative')}
        </Text>
      )}
      <Text size="xs">{t('exam.lr.meaning')}</Text>
      {model.data ? (
        <ModelExplained model={model.data} lr={lr} />
      ) : model.error ? (
        <Alert color="red" role="alert">
          {t('exam.lr.failed', { message: errorText(model.error) })}
        </Alert>
      ) : (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="xs">{t('exam.lr.loading')}</Text>
        </Group>
      )}
    </Stack>
  );
}

function ModelExplained({ model, lr }: { model: LrModelSummaryView; lr: LikelihoodRatioView }) {
  const { t } = useTranslation();
  const v = model.validation;
  // The validation shares at this LR: read off the shipped Tippett curve (first threshold at or above it).
  const at = v.tippett.find((p) => p.threshold >= lr.log10Lr) ?? { km: 0, knm: 0 };
  const prior = -lr.log10Lr;
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed" data-testid="lr-model">
        {t('exam.lr.model', {
          model: model.name,
          population: model.population.name,
          km: model.population.km,
          knm: model.population.knm,
          method: v.method,
          cllr: fixed(v.cllr, 3),
          cllrMin: fixed(v.cllrMin, 3),
          kmMisleading: percent(v.misleading.km),
          knmMisleading: percent(v.misleading.knm),
          lower: fixed(model.bounds.lower),
          upper: fixed(model.bounds.upper),
        })}
      </Text>
      <Text size="xs" fw={600}>
        {t('exam.lr.tippett.title')}
      </Text>
      <Plot
        testId="lr-tippett"
        label={t('exam.lr.tippett.label', { value: fixed(lr.log10Lr) })}
        xLabel={t('exam.lr.tippett.x')}
        series={[
          { colour: colours.km, points: steps(v.tippett.map((p) => [p.threshold, p.km])) },
          { colour: colours.knm, points: steps(v.tippett.map((p) => [p.threshold, p.knm])) },
        ]}
        y={[0, 1]}
        marker={lr.log10Lr}
        markerLabel={t('exam.lr.thisOne')}
      />
      <Legend
        entries={[
          { colour: colours.km, text: t('exam.lr.tippett.km', { n: v.km.length }) },
          { colour: colours.knm, text: t('exam.lr.tippett.knm', { n: v.knm.length }) },
        ]}
      />
      <Text size="xs" data-testid="lr-tippett-reading">
        {t('exam.lr.tippett.reading', { value: fixed(lr.log10Lr), km: percent(at.km), knm: percent(at.knm) })}
      </Text>
      <Text size="xs" fw={600}>
        {t('exam.lr.ece.title')}
      </Text>
      <Plot
        testId="lr-ece"
        label={t('exam.lr.ece.label', { prior: fixed(prior) })}
        xLabel={t('exam.lr.ece.x')}
        series={[
          { colour: colours.neutral, dash: '2 3', points: v.ece.map((p) => [p.priorLog10Odds, p.neutral]) },
          { colour: colours.pav, dash: '6 4', points: v.ece.map((p) => [p.priorLog10Odds, p.eceMin]) },
          { colour: colours.km, points: v.ece.map((p) => [p.priorLog10Odds, p.ece]) },
        ]}
        y={[0, Math.ceil(Math.max(...v.ece.map((p) => Math.max(p.ece, p.neutral))) * 10) / 10]}
        marker={prior}
        markerLabel={t('exam.lr.thisOne')}
      />
      <Legend
        entries={[
          { colour: colours.km, text: t('exam.lr.ece.lrs') },
          { colour: colours.pav, text: t('exam.lr.ece.pav'), dash: true },
          { colour: colours.neutral, text: t('exam.lr.ece.neutral'), dash: true },
        ]}
      />
      <Text size="xs" data-testid="lr-ece-reading">
        {t('exam.lr.ece.reading', { prior: fixed(prior), value: fixed(lr.log10Lr) })}
      </Text>
    </Stack>
  );
}

/** A right-continuous step curve through (threshold, share ≥ threshold) points, from share 1 down to 0. */
function steps(points: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  points.forEach(([x, y], i) => {
    out.push([x, y], [x, i + 1 < points.length ? points[i + 1]![1] : 0]);
  });
  return out;
}

interface Series {
  colour: string;
  dash?: string;
  points: Array<[number, number]>;
}

function ticksOf(lo: number, hi: number): number[] {
  const span = hi - lo;
  const step = span > 6 ? 2 : span > 2.5 ? 1 : span > 1.2 ? 0.5 : 0.2;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}

/** Lines over a shared x range with a vertical marker; drawn left to right in every language. */
function Plot(props: {
  testId: string;
  label: string;
  xLabel: string;
  series: Series[];
  y: [number, number];
  marker: number;
  markerLabel: string;
}) {
  const xs = props.series.flatMap((s) => s.points.map((p) => p[0]));
  const lo = Math.floor(Math.min(...xs, props.marker) * 2) / 2 - 0.5;
  const hi = Math.ceil(Math.max(...xs, props.marker) * 2) / 2 + 0.5;
  const x = (v: number) => pad.left + ((v - lo) / (hi - lo)) * (width - pad.left - pad.right);
  const y = (v: number) =>
    pad.top + (1 - (v - props.y[0]) / (props.y[1] - props.y[0] || 1)) * (height - pad.top - pad.bottom);
  const path = (points: Array<[number, number]>) =>
    [[lo, points[0]![1]] as [number, number], ...points, [hi, points[points.length - 1]![1]] as [number, number]]
      .map(([px, py], i) => `${i ? 'L' : 'M'}${x(px).toFixed(1)} ${y(py).toFixed(1)}`)
      .join('');
  const markerX = x(props.marker);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxWidth: width }}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      direction="ltr"
      fontSize={10}
    >
      <rect
        x={pad.left}
        y={pad.top}
        width={width - pad.left - pad.right}
        height={height - pad.top - pad.bottom}
        fill="none"
        stroke="currentColor"
        strokeOpacity={0.5}
      />
      {ticksOf(lo, hi).map((v) => (
        <g key={`x${v}`}>
          <line x1={x(v)} x2={x(v)} y1={pad.top} y2={height - pad.bottom} stroke="currentColor" strokeOpacity={0.12} />
          <text x={x(v)} y={height - pad.bottom + 11} textAnchor="middle" fill="currentColor">
            {fixed(v, Number.isInteger(v) ? 0 : 1)}
          </text>
        </g>
      ))}
      {ticksOf(props.y[0], props.y[1]).map((v) => (
        <g key={`y${v}`}>
          <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} stroke="currentColor" strokeOpacity={0.12} />
          <text x={pad.left - 4} y={y(v) + 3} textAnchor="end" fill="currentColor">
            {fixed(v, 1)}
          </text>
        </g>
      ))}
      <text x={(pad.left + width - pad.right) / 2} y={height - 4} textAnchor="middle" fill="currentColor">
        {props.xLabel}
      </text>
      {props.series.map((s, i) => (
        <path key={i} d={path(s.points)} fill="none" stroke={s.colour} strokeWidth={1.8} strokeDasharray={s.dash} />
      ))}
      <line
        data-testid={`${props.testId}-marker`}
        data-value={props.marker}
        x1={markerX}
        x2={markerX}
        y1={pad.top}
        y2={height - pad.bottom}
        stroke="currentColor"
        strokeWidth={1.5}
        strokeDasharray="4 2"
      />
      <text
        x={markerX + (markerX > width / 2 ? -3 : 3)}
        y={pad.top + 10}
        textAnchor={markerX > width / 2 ? 'end' : 'start'}
        fill="currentColor"
      >
        {props.markerLabel}
      </text>
    </svg>
  );
}

function Legend({ entries }: { entries: Array<{ colour: string; text: string; dash?: boolean }> }) {
  return (
    <Group gap="md">
      {entries.map((e) => (
        <Group gap={4} key={e.text}>
          <svg width={18} height={4} aria-hidden="true">
            <line
              x1={0}
              x2={18}
              y1={2}
              y2={2}
              stroke={e.colour}
              strokeWidth={3}
              strokeDasharray={e.dash ? '4 2' : undefined}
            />
          </svg>
          <Text size="xs">{e.text}</Text>
        </Group>
      ))}
    </Group>
  );
}
