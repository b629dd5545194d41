// Every device of the rig with its state, last error and connect / disconnect.
import { Badge, Button, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RigDeviceView } from '../../../../electron/contract/index.ts';
import { formatDateTime } from '../../../app/format.ts';
import { canConnect, deviceStateColour } from './stateColour.ts';
import { deviceWords, driverWords, lastErrorWords } from '../deviceWords.ts';

export interface DeviceListProps {
  devices: RigDeviceView[];
  canOperate: boolean;
  pending: ReadonlySet<string>;
  onConnect(device: string): void;
  onDisconnect(device: string): void;
}

export function DeviceList({ devices, canOperate, pending, onConnect, onDisconnect }: DeviceListProps) {
  const { t } = useTranslation();
  return (
    <Table verticalSpacing={4} horizontalSpacing={6} aria-label={t('rig.devices.title')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('rig.devices.device')}</Table.Th>
          <Table.Th>{t('rig.devices.state')}</Table.Th>
          <Table.Th>{t('rig.devices.lastError')}</Table.Th>
          {canOperate ? <Table.Th /> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {devices.map((device) => (
          <Table.Tr key={device.label} data-testid={`device-${device.label}`}>
            <Table.Td>
              <Text size="sm">{deviceWords(t, device, devices)}</Text>
              <Text size="xs" c="dimmed">
                {driverWords(device.driver)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge
                color={deviceStateColour[device.state]}
                variant="light"
                data-testid={`device-state-${device.label}`}
                data-state={device.state}
              >
                {t(`rig.deviceState.${device.state}`)}
              </Badge>
            </Table.Td>
            <Table.Td maw={260}>
              {device.lastError ? (
                <Tooltip label={formatDateTime(device.lastError.at)}>
                  <Text
                    size="xs"
                    c={device.state === 'error' || device.state === 'disconnected' ? 'red' : 'dimmed'}
                    lineClamp={3}
                    data-testid={`device-error-${device.label}`}
                  >
                    {lastErrorWords(t, device, devices)}
                  </Text>
                </Tooltip>
              ) : (
                <Text size="xs" c="dimmed">
                  —
                </Text>
              )}
            </Table.Td>
            {canOperate ? (
              <Table.Td>
                {canConnect(device.state) ? (
                  <Button
                    size="compact-xs"
                    variant="light"
                    loading={pending.has(`connect:${device.label}`)}
                    onClick={() => onConnect(device.label)}
                    aria-label={t('rig.devices.connectOne', { device: deviceWords(t, device, devices) })}
                  >
                    {t('rig.devices.connect')}
                  </Button>
                ) : (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="gray"
                    disabled={device.state === 'connecting'}
                    loading={pending.has(`disconnect:${device.label}`)}
                    onClick={() => onDisconnect(device.label)}
                    aria-label={t('rig.devices.disconnectOne', { device: deviceWords(t, device, devices) })}
                  >
                    {t('rig.devices.disconnect')}
                  </Button>
                )}
              </Table.Td>
            ) : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
