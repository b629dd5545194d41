// Regions of an acquisition: the detected circles, or the examiner's override when one is stored, drawn on the
// picture and labelled by origin. An examiner can edit them (mouse or keyboard), save with a reason, or go back
// to the detected ones; both are amendments the host audits.
import { Alert, Button, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AcquisitionRegionsView, Regions } from '../../../../electron/contract/index.ts';
import { useCall, useCan } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { ReasonModal } from './ReasonModal.tsx';
import { RegionsPicture, type DrawnCircle } from './RegionsPicture.tsx';
import {
  annulusIsRing,
  circleKeys,
  dragTo,
  draftFrom,
  draftOrigins,
  optionalCircles,
  placeCircle,
  removeCircle,
  setValue,
  toHeadRegions,
  type CircleKey,
  type DraftOrigin,
  type RegionDraft,
} from './regionDraft.ts';

type DraftBase = Pick<Regions, 'width' | 'height' | 'primer' | 'firingPin' | 'breechFace' | 'origin'>;

function drawn(
  regions: Pick<Regions, 'primer' | 'firingPin' | 'breechFace'>,
  label: (key: CircleKey) => string,
): DrawnCircle[] {
  const out: DrawnCircle[] = [];
  if (regions.primer) out.push({ key: 'primer', circle: regions.primer, label: label('primer') });
  if (regions.firingPin) out.push({ key: 'firingPin', circle: regions.firingPin, label: label('firingPin') });
  if (regions.breechFace)
    out.push({ key: 'outer', circle: regions.breechFace.outer, label: label('outer'), dashed: true });
  if (regions.breechFace?.inner)
    out.push({ key: 'inner', circle: regions.breechFace.inner, label: label('inner'), dashed: true });
  return out;
}

export function RegionsPanel({ acquisitionId }: { acquisitionId: number }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const canEdit = useCan('conclusion.write');
  const view = useCall('acquisitions.regions', { id: acquisitionId });
  const [draft, setDraft] = useState<RegionDraft | null>(null);
  /** The regions the draft started from and the draft as it started, so unchanged circles keep their label. */
  const [start, setStart] = useState<{ base: DraftBase; draft: RegionDraft } | null>(null);
  const beginDraft = (base: DraftBase) => {
    const fresh = draftFrom(base);
    setStart({ base, draft: fresh });
    setDraft(fresh);
  };
  const [asking, setAsking] = useState<'set' | 'clear' | null>(null);
  const [active, setActive] = useState<CircleKey>('outer');

  if (view.error)
    return (
      <Text c="red" role="alert">
        {errorText(view.error)}
      </Text>
    );
  if (!view.data) return <Text>{t('common.loading')}</Text>;
  const v: AcquisitionRegionsView = view.data;
  const current = v.override ?? v.detected;
  const size = current ?? (draft ? { width: draft.width, height: draft.height } : null);
  const circleName = (key: CircleKey) => t(`regions.circle.${key}`);
  const label = (origin: DraftOrigin | ((key: CircleKey) => DraftOrigin)) => (key: CircleKey) =>
    t('regions.label', {
      circle: circleName(key),
      origin: t(`regions.origin.${typeof origin === 'function' ? origin(key) : origin}`),
    });
  const origins = draft && start ? draftOrigins(start.base, start.draft, draft) : null;
  const circles = draft
    ? drawn(
        toHeadRegions(draft),
        label((key) => origins?.[key] ?? 'manual'),
      )
    : current
      ? drawn(current, label(current.origin))
      : [];
  const role = t(`regions.role.${v.role}`, { defaultValue: v.role });

  return (
    <Stack gap="xs">
      <Text size="sm">{t('regions.explain', { role })}</Text>
      <Group gap="xs">
        {current ? (
          <Text size="sm" fw={600} data-testid="regions-in-force">
            {t('regions.inForce', { origin: t(`regions.origin.${current.origin}`) })}
          </Text>
        ) : (
          <Text size="sm">{t('regions.none')}</Text>
        )}
        {v.override ? (
          <Text size="sm" c="dimmed">
            {t('regions.manualBy', { method: v.override.method })}
          </Text>
        ) : null}
      </Group>
      {v.detectionError ? (
        <Text size="sm" c="orange">
          {t('regions.detectionFailed', { reason: v.detectionError })}
        </Text>
      ) : null}
      {canEdit && !draft ? (
        <Group gap="xs">
          <Button
            size="xs"
            onClick={() =>
              beginDraft(
                current ?? {
                  width: v.detected?.width ?? 0,
                  height: v.detected?.height ?? 0,
                  primer: null,
                  firingPin: null,
                  breechFace: null,
                  origin: 'auto',
                },
              )
            }
            disabled={!size}
          >
            {t('regions.edit')}
          </Button>
          {v.override ? (
            <Button size="xs" variant="light" onClick={() => setAsking('clear')}>
              {t('regions.reset')}
            </Button>
          ) : null}
        </Group>
      ) : null}
      <Group align="flex-start" gap="lg" wrap="nowrap">
        {size ? (
          <RegionsPicture
            acquisitionId={acquisitionId}
            role={v.role}
            width={size.width}
            height={size.height}
            circles={circles}
            active={draft ? active : null}
            onDrag={(key, part, x, y) => setDraft((d) => (d ? dragTo(d, key, part, x, y) : d))}
          />
        ) : null}
        {draft ? (
          <Stack gap="xs" miw={320}>
            <Text size="xs" c="dimmed">
              {t('regions.editHelp')}
            </Text>
            {/* One circle a line: four names side by side do not fit beside the picture at 1024 px. */}
            <SegmentedControl
              size="xs"
              orientation="vertical"
              fullWidth
              aria-label={t('regions.activeCircle')}
              value={active}
              onChange={(value) => setActive(value as CircleKey)}
              data={circleKeys.map((key) => ({ value: key, label: circleName(key), disabled: draft[key] === null }))}
            />
            {circleKeys.map((key) => {
              const circle = draft[key];
              const optional = (optionalCircles as readonly CircleKey[]).includes(key);
              const circleKey = key as (typeof optionalCircles)[number];
              return (
                <fieldset key={key} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
                  <Text component="legend" size="xs" fw={600} p={0}>
                    {label((k) => origins?.[k] ?? 'manual')(key)}
                  </Text>
                  {circle ? (
                    <SimpleGrid cols={3} spacing={4}>
                      {(['cx', 'cy', 'r'] as const).map((field) => (
                        <NumberInput
                          key={field}
                          size="xs"
                          label={t('regions.fieldUnit', { field: t(`regions.field.${field}`) })}
                          aria-label={t('regions.fieldLabel', {
                            circle: circleName(key),
                            field: t('regions.fieldUnit', { field: t(`regions.field.${field}`) }),
                          })}
                          value={circle[field]}
                          decimalScale={1}
                          step={1}
                          onChange={(value) =>
                            typeof value === 'number' && setDraft((d) => (d ? setValue(d, key, field, value) : d))
                          }
                        />
                      ))}
                    </SimpleGrid>
                  ) : null}
                  {optional && circle ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      mt={2}
                      onClick={() => setDraft((d) => (d ? removeCircle(d, circleKey) : d))}
                    >
                      {t('regions.remove', { circle: circleName(key) })}
                    </Button>
                  ) : null}
                  {circle ? null : (
                    <Group gap="xs" data-testid={`regions-absent-${key}`}>
                      <Text size="xs" c="dimmed">
                        {t('regions.notPlacedHint')}
                      </Text>
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => {
                          setDraft((d) => (d ? placeCircle(d, circleKey) : d));
                          setActive(key);
                        }}
                      >
                        {t('regions.place', { circle: circleName(key) })}
                      </Button>
                    </Group>
                  )}
                </fieldset>
              );
            })}
            {annulusIsRing(draft) ? null : (
              <Text size="sm" c="red" role="alert">
                {t('regions.notRing')}
              </Text>
            )}
            <Group gap="xs">
              <Button size="xs" onClick={() => setAsking('set')} disabled={!annulusIsRing(draft)}>
                {t('regions.save')}
              </Button>
              {v.detected ? (
                <Button size="xs" variant="light" onClick={() => beginDraft(v.detected!)}>
                  {t('regions.startFromDetected')}
                </Button>
              ) : null}
              <Button size="xs" variant="default" onClick={() => setDraft(null)}>
                {t('regions.cancel')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Group>
      {!size ? <Alert color="gray">{t('regions.none')}</Alert> : null}
      <ReasonModal
        mode={asking}
        acquisitionId={acquisitionId}
        version={v.version}
        regions={draft ? toHeadRegions(draft) : null}
        onClose={(saved) => {
          setAsking(null);
          if (saved) setDraft(null);
        }}
      />
    </Stack>
  );
}
