// Why capture cannot start, in the user's language, from the host's data (capture.readiness `blocks`) rather than
// its English sentences.
import type { TFunction } from 'i18next';
import type { CaptureBlock, RigDeviceView } from '../../../electron/contract/index.ts';
import { formatDateTime } from '../../app/format.ts';
import { deviceWords } from '../rig/deviceWords.ts';

type RigDevice = Pick<RigDeviceView, 'label' | 'kind' | 'channels' | 'axes'>;

/**
 * The reasons worded; `rigDevices` (the rig status's devices) words a changed device as the rig panel does
 * ("Ring light"). A device not among them (gone from the rig, or no rig status at hand) is named by its profile
 * label, said to be one ('device “ring”'), never bare.
 */
export function captureBlockText(t: TFunction, block: CaptureBlock, rigDevices: readonly RigDevice[] = []): string {
  switch (block.kind) {
    case 'no_rig':
      return t('capture.block.noRig');
    case 'no_calibration':
      return t('capture.block.noCalibration', { kind: t(`calibrationKind.${block.calibrationKind}`) });
    case 'calibration_failed':
      return t('capture.block.failed', { reference: block.reference });
    case 'calibration_expired':
      return t('capture.block.expired', { reference: block.reference, date: formatDateTime(block.expiresAt) });
    case 'calibration_other_rig':
      return t('capture.block.otherRig', { reference: block.reference, profile: block.rigProfile });
    case 'calibration_devices_changed':
      return t('capture.block.devicesChanged', {
        reference: block.reference,
        devices: block.devices
          .map((label) => {
            const device = rigDevices.find((d) => d.label === label);
            return device ? deviceWords(t, device, rigDevices) : t('rig.deviceName.labelled', { label });
          })
          .join(t('capture.block.listSeparator')),
      });
  }
}
