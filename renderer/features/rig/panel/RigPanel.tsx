// The device panel of the station's rig: profile and state, live view with its numbers, camera settings,
// stage jog, light sliders per channel, and each device's state and last error.
import { channelWords } from '../lightWords.ts';
import { axisWords, deviceWords, lastErrorWords, profileName } from '../deviceWords.ts';
import { Alert, Badge, Button, CloseButton, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RigDeviceView, RigFrame } from '../../../../electron/contract/index.ts';
import { useCan, useEvent, useStation } from '../../../api/hooks.tsx';
import { useErrorText } from '../../../api/useErrorText.ts';
import { createFramePublisher, type LiveFrame } from '../live/frameFeed.ts';
import { LiveView } from '../live/LiveView.tsx';
import { UserText } from '../../../shared/UserText.tsx';
import { useRigControl, useRigStatus } from '../useRig.ts';
import { CameraControls } from './CameraControls.tsx';
import { DeviceList } from './DeviceList.tsx';
import { clampToLimits } from './jogKeys.ts';
import { JogQueue } from './jogQueue.ts';
import { LightSliders } from './LightSliders.tsx';
import { rigStateColour } from './stateColour.ts';
import { StageJog } from './StageJog.tsx';

function usable(device: RigDeviceView): boolean {
  return device.state === 'ready' || device.state === 'busy';
}

export function liveFrameOf(frame: RigFrame): LiveFrame {
  return {
    width: frame.width,
    height: frame.height,
    pixels: frame.pixels,
    focus: frame.stats.focus,
    histogram: frame.stats.histogram,
    saturatedFraction: frame.stats.saturatedFraction,
    mean: frame.stats.mean,
    capturedAt: frame.capturedAt,
    seq: frame.seq,
  };
}

export function RigPanel() {
  const { t, i18n } = useTranslation();
  const { errorText } = useErrorText();
  const station = useStation();
  const canOperate = useCan('rig.operate');
  const status = useRigStatus();
  const { run, pending, error, clearError } = useRigControl();
  const feed = useMemo(() => createFramePublisher(), []);
  const [snapError, setSnapError] = useState<unknown>(null);
  const [snapping, setSnapping] = useState(false);

  useEvent('rig.onFrame', {}, (frame: RigFrame) => feed.push(liveFrameOf(frame)));
  // Acknowledging what is on screen lets the host skip frames for a slow link instead of queueing them.
  const acknowledge = useCallback(
    (frame: LiveFrame) => {
      if (frame.seq !== undefined) station.call('rig.frameAck', { seq: frame.seq }).catch(() => undefined);
    },
    [station],
  );

  // One jog queue per stage; clamping reads the newest status, so a queued press respects the limits as they are then.
  const latest = useRef(status.data);
  latest.current = status.data;
  const queues = useRef(new Map<string, JogQueue>());
  const jogQueue = (device: string): JogQueue => {
    let queue = queues.current.get(device);
    if (!queue) {
      queue = new JogQueue(
        ({ axis, delta }) => run(`jog:${device}`, 'rig.stage.moveBy', { device, axis, delta }),
        ({ axis, delta }) => {
          const a = latest.current?.devices.find((d) => d.label === device)?.axes.find((x) => x.name === axis);
          if (!a || a.position === null) return delta;
          return clampToLimits(a.position + delta, a.min ?? undefined, a.max ?? undefined) - a.position;
        },
      );
      queues.current.set(device, queue);
    }
    return queue;
  };

  const snap = async () => {
    setSnapError(null);
    setSnapping(true);
    try {
      feed.push(liveFrameOf(await station.call('rig.snap', {})));
    } catch (failure) {
      setSnapError(failure);
    } finally {
      setSnapping(false);
    }
  };

  const rig = status.data;
  if (status.error)
    return (
      <Text c="red" role="alert">
        {errorText(status.error)}
      </Text>
    );
  if (!rig) return <Text c="dimmed">{t('common.loading')}</Text>;

  const held = rig.exclusive !== null;
  const nameOf = (device: RigDeviceView) => deviceWords(t, device, rig.devices);
  const camera = rig.devices.find((d) => d.kind === 'camera');
  const stages = rig.devices.filter((d) => d.kind === 'stage');
  const lights = rig.devices.filter((d) => d.kind === 'light');
  const controlsOff = (device: RigDeviceView) => !canOperate || held || !usable(device);
  const shownError = error ?? snapError;

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap" align="start">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <Text fw={600} data-testid="rig-profile">
              {rig.profile ? <UserText text={profileName(rig.profile, i18n.language)} /> : t('rig.noProfile')}
            </Text>
            {rig.profile?.simulated ? (
              <Badge variant="outline" color="gray" style={{ flexShrink: 0 }}>
                {t('rig.simulated')}
              </Badge>
            ) : null}
            <Badge
              color={rigStateColour[rig.state]}
              data-testid="rig-state"
              data-state={rig.state}
              style={{ flexShrink: 0 }}
            >
              {t(`rig.state.${rig.state}`)}
            </Badge>
          </Group>
          {/* The host's own words (with the USB scan's diagnostics) stay in the tooltip; the demo rig is said plainly. */}
          <Text size="xs" c="dimmed" lineClamp={1} title={rig.message} data-testid="rig-message">
            {rig.profile?.simulated ? t('rig.simulatedMessage') : rig.message}
          </Text>
        </Stack>
        {canOperate && rig.state !== 'none' ? (
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Button
              size="xs"
              variant="light"
              loading={pending.has('connect:*')}
              onClick={() => void run('connect:*', 'rig.connect', {})}
            >
              {t('rig.connectAll')}
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              loading={pending.has('disconnect:*')}
              onClick={() => void run('disconnect:*', 'rig.disconnect', {})}
            >
              {t('rig.disconnectAll')}
            </Button>
          </Group>
        ) : null}
      </Group>
      {rig.devices
        .filter((d) => d.state === 'disconnected' || d.state === 'error')
        .map((device) => (
          <Alert key={device.label} color="red" variant="light" p="xs" data-testid={`device-down-${device.label}`}>
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm">
                {t(`rig.deviceDown.${device.state === 'error' ? 'error' : 'disconnected'}`, { device: nameOf(device) })}
                {device.lastError ? ` ${lastErrorWords(t, device, rig.devices)}` : ''}
              </Text>
              {canOperate ? (
                <Button
                  size="compact-xs"
                  variant="light"
                  color="red"
                  loading={pending.has(`connect:${device.label}`)}
                  onClick={() => void run(`connect:${device.label}`, 'rig.connect', { device: device.label })}
                  aria-label={t('rig.devices.connectOne', { device: nameOf(device) })}
                >
                  {t('rig.devices.connect')}
                </Button>
              ) : null}
            </Group>
          </Alert>
        ))}
      {held ? (
        <Alert color="yellow" variant="light" p="xs" data-testid="rig-exclusive">
          {t('rig.exclusive', { purpose: rig.exclusive!.purpose })}
        </Alert>
      ) : null}
      {shownError ? (
        <Alert color="red" variant="light" p="xs" role="alert" data-testid="rig-error">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{errorText(shownError)}</Text>
            <CloseButton
              size="sm"
              aria-label={t('rig.dismiss')}
              onClick={() => {
                clearError();
                setSnapError(null);
              }}
            />
          </Group>
        </Alert>
      ) : null}
      {rig.state === 'none' ? (
        <Text c="dimmed">{t('rig.none')}</Text>
      ) : (
        <Group align="flex-start" gap="sm" wrap="nowrap">
          <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
            <LiveView
              feed={feed}
              label={t('rig.live.image', { device: camera ? nameOf(camera) : t('rig.deviceName.camera') })}
              placeholder={rig.live.running ? t('rig.live.waiting') : t('rig.live.startHint')}
              height="calc(100vh - 275px)"
              onFrameDrawn={acknowledge}
            />
          </Stack>
          {/* Controls take at most 380 px and less on a small screen (30 % of the window, at least 300 px). */}
          <Stack gap="xs" style={{ flex: '0 0 clamp(300px, 30vw, 380px)', minWidth: 0 }}>
            {camera ? (
              <Paper withBorder p="xs">
                <Title order={3} size="h6" mb={4}>
                  {nameOf(camera)}
                </Title>
                <CameraControls
                  camera={camera}
                  live={rig.live}
                  disabled={controlsOff(camera)}
                  pending={pending}
                  snapping={snapping}
                  onSet={(setting) => void run('camera', 'rig.setCameraProperty', { device: camera.label, ...setting })}
                  onLive={(start) =>
                    void (start ? run('live', 'rig.liveStart', { maxFps: 30 }) : run('live', 'rig.liveStop', {}))
                  }
                  onSnap={() => void snap()}
                />
              </Paper>
            ) : null}
            {stages.map((stage) => (
              <Paper withBorder p="xs" key={stage.label}>
                <Group justify="space-between" mb={4}>
                  <Title order={3} size="h6">
                    {nameOf(stage)}
                  </Title>
                  {stage.homed === false ? (
                    <Text size="xs" c="yellow">
                      {t('rig.stage.notHomed')}
                    </Text>
                  ) : null}
                </Group>
                <StageJog
                  axes={stage.axes.map((a) => ({
                    name: a.name,
                    words: axisWords(t, a),
                    unit: a.unit,
                    role: a.role,
                    position: a.position,
                    min: a.min ?? undefined,
                    max: a.max ?? undefined,
                  }))}
                  busy={
                    stage.state === 'busy' || pending.has(`jog:${stage.label}`) || pending.has(`home:${stage.label}`)
                  }
                  disabled={controlsOff(stage)}
                  onJog={(axis, delta) => void jogQueue(stage.label).jog({ axis, delta })}
                  onHome={() => void run(`home:${stage.label}`, 'rig.stage.home', { device: stage.label })}
                  onStop={() => {
                    jogQueue(stage.label).clear();
                    void run(`stop:${stage.label}`, 'rig.stage.stop', { device: stage.label });
                  }}
                />
              </Paper>
            ))}
            {lights.map((light) => (
              <Paper withBorder p="xs" key={light.label}>
                <Title order={3} size="h6" mb={4}>
                  {nameOf(light)}
                </Title>
                <LightSliders
                  device={light.label}
                  deviceWords={nameOf(light)}
                  channels={light.channels.map((c) => ({ id: c.id, name: channelWords(t, c), level: c.level }))}
                  disabled={controlsOff(light)}
                  onSet={(channel, level) =>
                    void run(`light:${light.label}`, 'rig.setLights', {
                      device: light.label,
                      levels: { [channel]: level },
                    })
                  }
                />
              </Paper>
            ))}
            <Paper withBorder p="xs">
              <Title order={3} size="h6" mb={4}>
                {t('rig.devices.title')}
              </Title>
              <DeviceList
                devices={rig.devices}
                canOperate={canOperate}
                pending={pending}
                onConnect={(device) => void run(`connect:${device}`, 'rig.connect', { device })}
                onDisconnect={(device) => void run(`disconnect:${device}`, 'rig.disconnect', { device })}
              />
            </Paper>
          </Stack>
        </Group>
      )}
    </Stack>
  );
}
