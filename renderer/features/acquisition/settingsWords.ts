// An acquisition's recorded settings in words, for the provenance tab: focus, exposure, lights and calibrations of a
// capture; format, file name, points and instrument of an import. The record itself (JSON) stays one click away,
// whole, for anyone who needs every key; what is shown here is read from it, never instead of it.
import type { TFunction } from 'i18next';
import { isFromCasePackage } from '../../../electron/contract/index.ts';
import { formatDateTime, formatNumber } from '../../app/format.ts';

export interface SettingLine {
  label: string;
  value: string;
  /** Text someone typed or a file carried (a file name, notes, an instrument's name): shown isolated and flagged. */
  typed?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const number = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function settingLines(
  t: TFunction,
  settings: Record<string, unknown>,
  light: (key: string) => string,
  /** The lab reference of each calibration used, by id (the acquisition's detail carries them). */
  calibrationReferences: Record<string, string> = {},
): SettingLine[] {
  const lines: SettingLine[] = [];
  const add = (key: string, value: string | null, typed = false) => {
    if (value !== null) lines.push({ label: t(`acquisition.setting.${key}`), value, typed });
  };

  // A capture.
  const focus = settings.focus;
  if (isRecord(focus) && number(focus.zMm) !== null)
    add(
      'focus',
      focus.manual === true
        ? t('acquisition.setting.focusManual', { mm: formatNumber(number(focus.zMm)!, 3) })
        : t('acquisition.setting.focusAuto', {
            mm: formatNumber(number(focus.zMm)!, 3),
            count: number(focus.frames) ?? 0,
          }),
    );
  const exposure = number(settings.exposureUs);
  add('exposure', exposure === null ? null : t('acquisition.setting.microseconds', { value: formatNumber(exposure) }));
  if (Array.isArray(settings.lights) && settings.lights.length > 0)
    add('lights', settings.lights.map((key) => (typeof key === 'string' ? light(key) : String(key))).join(', '));
  if (isRecord(settings.calibrations)) {
    const ids = [...new Set(Object.values(settings.calibrations).filter((id) => number(id) !== null))] as number[];
    // A case package's settings name the capturing lab's calibrations (by that lab's ids): never one of ours.
    const named = isFromCasePackage(settings)
      ? [
          ...new Set(
            ids.map((id) =>
              calibrationReferences[id]
                ? t('acquisition.setting.calibrationOfCapturingLab', { reference: calibrationReferences[id] })
                : t('acquisition.setting.calibrationOfCapturingLabUnnamed'),
            ),
          ),
        ]
      : ids.map((id) => t('acquisition.setting.calibrationN', { reference: calibrationReferences[id] ?? id }));
    if (ids.length > 0) add('calibrations', named.join(', '));
  }
  if (isRecord(settings.seconds)) {
    const total = Object.values(settings.seconds).reduce<number>((sum, s) => sum + (number(s) ?? 0), 0);
    if (total > 0) add('duration', t('acquisition.setting.seconds', { value: formatNumber(total, 1) }));
  }

  // An import.
  add('format', text(settings.format)?.toUpperCase() ?? null);
  add('originalName', text(settings.originalName), true);
  const layout = text(settings.layout);
  add('layout', layout === 'matrix' || layout === 'point-list' ? t(`acquisition.setting.layoutName.${layout}`) : null);
  const points = number(settings.validPoints);
  add('validPoints', points === null ? null : formatNumber(points));
  if (isRecord(settings.instrument)) {
    const { manufacturer, model, serial, version } = settings.instrument;
    const name = [text(manufacturer), text(model), text(serial), text(version)].filter(Boolean).join(' · ');
    add('instrument', name || null, true);
  }
  const measuredAt = text(settings.measuredAt);
  add('measuredAt', measuredAt ? formatDateTime(measuredAt) : null);
  const bitDepth = number(settings.bitDepth);
  add('bitDepth', bitDepth === null ? null : t('acquisition.setting.bits', { count: bitDepth }));

  add('notes', text(settings.notes), true);
  return lines;
}
