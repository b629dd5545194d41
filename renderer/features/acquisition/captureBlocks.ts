// Why capture cannot start, in the user's language, from the host's data (capture.readiness `blocks`) rather than
// its English sentences.
import type { TFunction } from 'i18next';
import type { CaptureBlock } from '../../../electron/contract/index.ts';
import { formatDateTime } from '../../app/format.ts';

export function captureBlockText(t: TFunction, block: CaptureBlock): string {
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
        devices: block.devices.join(', '),
      });
  }
}
