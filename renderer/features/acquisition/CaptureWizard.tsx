// Guided capture: choose the regions, see whether the rig's calibration allows capture, press one button, follow
// each step, cancel at any time (the host stores nothing half-captured), then read the quality checks.
import {
  Alert,
  Anchor,
  Box,
  Button,
  Checkbox,
  Group,
  List,
  Modal,
  Paper,
  Progress,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { captureRegions, type CaptureStep, type Item } from '../../../electron/contract/index.ts';
import { callKey, useCall, useCan, useStation } from '../../api/hooks.tsx';
import { useErrorText } from '../../api/useErrorText.ts';
import { formatDateTime } from '../../app/format.ts';
import { href } from '../../app/router.ts';
import { QualityBadges } from './QualityBadges.tsx';
import { useLongCall } from '../../api/useLongCall.ts';
import { captureStepOf, captureStepText } from './captureSteps.ts';
import { roleLabel } from './roles.ts';
import { ReliefThumbnail } from './ReliefThumbnail.tsx';
import { GreyImage } from '../../shared/GreyImage.tsx';
import { useLightWords } from '../rig/lightWords.ts';
import { useRecordedProfileName, useRigStatus } from '../rig/useRig.ts';
import { useFocusOnStep } from '../../shared/useFocusOnStep.ts';
import { qualityCheckText } from './qualityWords.ts';
import { captureBlockText } from './captureBlocks.ts';

type CaptureRegion = (typeof captureRegions)[number];

export function CaptureWizard({ opened, onClose, item }: { opened: boolean; onClose: () => void; item: Item }) {
  const { t } = useTranslation();
  const light = useLightWords();
  const profileName = useRecordedProfileName();
  const rigDevices = useRigStatus().data?.devices;
  const { errorText } = useErrorText();
  const queryClient = useQueryClient();
  const canCalibrate = useCan('rig.operate');
  const readiness = useCall('capture.readiness', {}, { enabled: opened });
  const [regions, setRegions] = useState<CaptureRegion[]>(['breech_face', 'firing_pin']);
  const capture = useLongCall('capture.run', { stepOf: captureStepOf });
  const { state } = capture;
  const running = state.phase === 'running';
  const firstRegion = useRef<HTMLInputElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useFocusOnStep(state.phase, {
    idle: firstRegion,
    running: cancelButton,
    done: closeButton,
    canceled: closeButton,
    failed: closeButton,
  });

  useEffect(() => {
    if (opened) {
      capture.reset();
      void readiness.refetch();
    }
  }, [opened]);

  const start = async () => {
    await capture.run({ itemId: item.id, regions });
    void queryClient.invalidateQueries({ queryKey: ['acquisitions.list'] });
    void queryClient.invalidateQueries({ queryKey: ['audit.forCase'] });
  };

  const ready = readiness.data;
  const calibration = ready?.calibration;
  const blocked = !ready?.ready || regions.length === 0;
  const title = t('capture.title', { exhibit: item.exhibitNumber });

  return (
    <Modal
      opened={opened}
      onClose={() => !running && onClose()}
      closeOnEscape={!running}
      closeOnClickOutside={false}
      withCloseButton={!running}
      title={title}
      size="lg"
    >
      <Stack gap="sm" aria-label={title} role="group">
        {state.phase === 'idle' ? (
          <>
            <Checkbox.Group
              label={t('capture.regions')}
              value={regions}
              onChange={(v) => setRegions(captureRegions.filter((r) => v.includes(r)))}
            >
              <Group mt={4}>
                {/* The focus starts on the first region: the start button may still be disabled while the rig
                    answers, and a disabled button cannot take the focus (it would stay behind the dialog). */}
                {captureRegions.map((r, i) => (
                  <Checkbox
                    key={r}
                    value={r}
                    label={t(`regionName.${r}`)}
                    data-autofocus={i === 0 || undefined}
                    ref={i === 0 ? firstRegion : undefined}
                  />
                ))}
              </Group>
            </Checkbox.Group>
            <DemoSpecimenPicker itemId={item.id} enabled={opened} />
            <Paper withBorder p="xs" data-testid="capture-calibration">
              <Text size="sm" fw={500}>
                {t('capture.calibration')} ·{' '}
                {ready?.rigProfile ? t('capture.rig', { profile: profileName(ready.rigProfile) }) : t('capture.noRig')}
              </Text>
              {readiness.error ? (
                <Text c="red" role="alert">
                  {errorText(readiness.error)}
                </Text>
              ) : null}
              {calibration && !calibration.expired ? (
                <Text size="sm" c="green">
                  {t('capture.calibrationValid', {
                    date: formatDateTime(calibration.expiresAt),
                    kind: t(`calibrationKind.${calibration.kind}`),
                    performed: formatDateTime(calibration.performedAt),
                  })}
                </Text>
              ) : null}
              {calibration?.expired ? (
                <Text size="sm" c="red">
                  {t('capture.calibrationExpired', { date: formatDateTime(calibration.expiresAt) })}
                </Text>
              ) : null}
              {ready && !calibration ? (
                <Text size="sm" c="red">
                  {t('capture.noCalibration')}
                </Text>
              ) : null}
              {ready && ready.blocks.length > 0 ? (
                <>
                  <Text size="sm" mt={4}>
                    {t('capture.notReady')}
                  </Text>
                  <List size="sm" data-testid="capture-blocks">
                    {ready.blocks.map((block) => (
                      <List.Item key={JSON.stringify(block)}>{captureBlockText(t, block, rigDevices)}</List.Item>
                    ))}
                  </List>
                </>
              ) : null}
              {ready && (!calibration || calibration.expired) ? (
                canCalibrate ? (
                  <Anchor size="sm" href={href('/calibration')} onClick={onClose}>
                    {t('capture.calibrate')}
                  </Anchor>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('capture.askManager')}
                  </Text>
                )
              ) : null}
            </Paper>
            <Button
              size="xl"
              fullWidth
              disabled={blocked}
              loading={readiness.isFetching && !ready}
              onClick={() => void start()}
            >
              {t('capture.start')}
            </Button>
          </>
        ) : null}

        {state.phase === 'running' ? (
          <>
            <Text fw={500}>{state.canceling ? t('capture.canceling') : t('capture.running')}</Text>
            <Progress value={state.fraction * 100} animated aria-label={t('capture.running')} size="lg" />
            <Group justify="space-between">
              <Text size="sm" data-testid="capture-message" aria-live="polite">
                {state.detail ? captureStepText(t, state.detail, light) : null}
              </Text>
              <Text size="sm" c="dimmed">
                {t('capture.percent', { percent: Math.round(state.fraction * 100) })}
              </Text>
            </Group>
            <CapturedFrames steps={state.steps} />
            <Steps steps={state.steps} />
            <Button
              ref={cancelButton}
              color="red"
              variant="light"
              onClick={capture.cancel}
              disabled={state.canceling}
              data-autofocus
            >
              {t('capture.cancel')}
            </Button>
          </>
        ) : null}

        {state.phase === 'canceled' ? (
          <Alert color="yellow" role="status">
            {t('capture.canceled')}
          </Alert>
        ) : null}
        {state.phase === 'failed' ? (
          <Alert color="red" role="alert">
            {t('capture.failed')} {errorText(state.error)}
          </Alert>
        ) : null}

        {state.phase === 'done' ? (
          <Stack gap="xs" data-testid="capture-result">
            <Alert color="green">{t('capture.done', { count: state.output.acquisitions.length })}</Alert>
            {state.output.acquisitions.map((a) => (
              <Paper key={a.id} withBorder p="xs">
                <Group justify="space-between">
                  <Group gap="xs">
                    <ReliefThumbnail
                      acquisitionId={a.id}
                      size={72}
                      label={`${item.exhibitNumber} · ${t(`regionName.${a.region}`)}`}
                    />
                    <Text fw={500}>{t(`regionName.${a.region}`)}</Text>
                  </Group>
                  <Anchor href={href(`/cases/${item.caseId}/acquisitions/${a.id}`)} onClick={onClose}>
                    {t('capture.openViewer')}
                  </Anchor>
                </Group>
                <QualityBadges summary={a} report={a.quality} />
                {a.quality?.checks
                  .filter((c) => !c.passed)
                  .map((c) => (
                    <Text key={c.id} size="xs" c="red">
                      {qualityCheckText(t, c)}
                    </Text>
                  ))}
              </Paper>
            ))}
          </Stack>
        ) : null}

        {state.phase === 'done' || state.phase === 'canceled' || state.phase === 'failed' ? (
          <>
            <CapturedFrames steps={state.steps} />
            <Steps steps={state.steps} />
          </>
        ) : null}
        {state.phase === 'done' || state.phase === 'canceled' || state.phase === 'failed' ? (
          <Group justify="flex-end">
            <Button variant="default" onClick={capture.reset}>
              {t('capture.again')}
            </Button>
            <Button ref={closeButton} onClick={onClose}>
              {t('capture.close')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Modal>
  );
}

/**
 * On the demo rig the camera images a reference scan, not the casing on the stage: say so, and let the technician
 * choose which reference casing is "loaded" for this item (remembered by the station for the item).
 */
function DemoSpecimenPicker({ itemId, enabled }: { itemId: number; enabled: boolean }) {
  const { t } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const queryClient = useQueryClient();
  const canChoose = useCan('acquisition.write');
  const choice = useCall('capture.demoSpecimen', { itemId }, { enabled });
  // The choice shows at once; the station's answer replaces it (or the error says why it was refused).
  const [saving, setSaving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const data = choice.data;
  if (!data) return null;
  const choose = async (specimen: string | null) => {
    if (!specimen || specimen === data.chosen) return;
    setSaving(specimen);
    setError(null);
    try {
      const saved = await station.call('capture.setDemoSpecimen', { itemId, specimen });
      queryClient.setQueryData(callKey('capture.demoSpecimen', { itemId }), saved);
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(null);
    }
  };
  return (
    <Paper withBorder p="xs" data-testid="demo-specimen">
      <Text size="sm" fw={500}>
        {t('capture.demo.title')}
      </Text>
      <Text size="sm" mb={4}>
        {t('capture.demo.note')}
      </Text>
      <Select
        label={t('capture.demo.specimen')}
        data={data.specimens.map((s) => ({ value: s.id, label: s.label }))}
        value={saving ?? data.chosen}
        onChange={(value) => void choose(value)}
        disabled={!canChoose || saving !== null}
        searchable
        allowDeselect={false}
        maxDropdownHeight={240}
        description={data.remembered ? t('capture.demo.remembered') : t('capture.demo.default')}
      />
      {error ? (
        <Text size="sm" c="red" role="alert">
          {errorText(error)}
        </Text>
      ) : null}
    </Paper>
  );
}

/** Each frame as it is taken, by region and light: the technician sees the images, not only the step names. */
function CapturedFrames({ steps }: { steps: CaptureStep[] }) {
  const { t } = useTranslation();
  const light = useLightWords();
  const frames = steps.filter((s) => s.preview);
  if (frames.length === 0) return null;
  return (
    <Group gap={6} data-testid="capture-frames" aria-label={t('capture.frames')} role="group">
      {frames.map((s) => {
        const preview = s.preview!;
        const region = s.region ? t(`regionName.${s.region}`) : '';
        const label = `${region} · ${roleLabel(t, preview.role, light)}`;
        return (
          <Stack key={`${s.region}/${preview.role}`} gap={2} w={84}>
            <GreyImage {...preview} label={label} size={84} />
            <Text size="xs" lineClamp={2}>
              {label}
            </Text>
          </Stack>
        );
      })}
    </Group>
  );
}

function Steps({ steps }: { steps: CaptureStep[] }) {
  const { t } = useTranslation();
  const light = useLightWords();
  const box = useRef<HTMLDivElement>(null);
  // The newest step stays in sight.
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [steps]);
  if (steps.length === 0) return null;
  return (
    <div>
      <Text size="xs" c="dimmed">
        {t('capture.steps')}
      </Text>
      <Box ref={box} mah={160} style={{ overflowY: 'auto' }}>
        <List size="xs" data-testid="capture-steps">
          {steps.map((s, i) => (
            <List.Item key={i}>{captureStepText(t, s, light)}</List.Item>
          ))}
        </List>
      </Box>
    </div>
  );
}
