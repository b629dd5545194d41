import type { TFunction } from 'i18next';
import i18next from 'i18next';
import type { AuditEntry } from '../../../electron/contract/index.ts';
import { revealReorderingControls } from '../../shared/bidiControls.ts';

// An audit entry in words: "Item amended", "Item LAB-2026-0042 / Q1". An action or record type with no words yet
// (a new one another part of the station records) is shown as its code rather than hidden.

/** The action in words, or null when there are none for it (then the code is shown). */
export function actionWords(t: TFunction, action: string): string | null {
  const key = `auditAction.${action}`;
  return i18next.exists(key) ? t(key) : null;
}

/** The record an entry concerns, as the lab names it: the type in words and the lab's reference (else its id). */
export function entityWords(
  t: TFunction,
  entry: Pick<AuditEntry, 'entityType' | 'entityId' | 'entityLabel' | 'entityRegion'>,
): string {
  const type = t(`auditEntity.${entry.entityType}`, { defaultValue: entry.entityType });
  const label = entry.entityLabel
    ? revealReorderingControls(entry.entityLabel)
    : entry.entityId
      ? `#${entry.entityId}`
      : '';
  // An acquisition: "LAB-2026-0042 / Q1 · Breech face", the region in the reader's words.
  const reference = label && entry.entityRegion ? `${label} · ${t(`regionName.${entry.entityRegion}`)}` : label;
  return reference ? `${type} ${reference}` : type;
}
