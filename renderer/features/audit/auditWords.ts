import type { TFunction } from 'i18next';
import i18next from 'i18next';
import type { AuditEntry, AuditReference } from '../../../electron/contract/index.ts';
import { revealReorderingControls } from '../../../electron/contract/bidiControls.ts';

// An audit entry in words: "Item amended", "Item LAB-2026-0042 / Q1". An action or record type with no words yet
// (a new one another part of the station records) is shown as its code rather than hidden.

/** The action in words, or null when there are none for it (then the code is shown). */
export function actionWords(t: TFunction, action: string): string | null {
  const key = `auditAction.${action}`;
  return i18next.exists(key) ? t(key) : null;
}

/**
 * A record as the lab names it, from the host's reference: "LAB-2026-0042 / Q1 · Breech face" for an acquisition
 * (the region in the reader's words), "… ↔ …" for an examination record (its comparison's two sides).
 */
export function referenceText(t: TFunction, reference: AuditReference): string {
  const side = (r: Pick<AuditReference, 'label' | 'region'>) => {
    const label = revealReorderingControls(r.label);
    return r.region ? `${label} · ${t(`regionName.${r.region}`)}` : label;
  };
  if (reference.sides) return `${side(reference.sides[0])} ↔ ${side(reference.sides[1])}`;
  // A network record: what it is, of which of the station's submissions ("lead 17 (hub) of LAB-2026-0042 / Q1").
  if (reference.network)
    return t(`audit.value.network.${reference.network}`, { of: side(reference), lead: reference.leadNumber });
  return side(reference);
}

/** The record an entry concerns, as the lab names it: the type in words and the lab's reference (else its id). */
export function entityWords(
  t: TFunction,
  entry: Pick<AuditEntry, 'entityType' | 'entityId' | 'entityLabel' | 'entityRegion' | 'references'>,
): string {
  const type = t(`auditEntity.${entry.entityType}`, { defaultValue: entry.entityType });
  // An examination record or a calibration: the reference the host sent for the record itself.
  const own = entry.entityId ? entry.references?.[`${entry.entityType}:${entry.entityId}`] : undefined;
  if (own) return `${type} ${referenceText(t, own)}`;
  const label = entry.entityLabel
    ? revealReorderingControls(entry.entityLabel)
    : entry.entityId
      ? `#${entry.entityId}`
      : '';
  // An acquisition: "LAB-2026-0042 / Q1 · Breech face", the region in the reader's words.
  const reference = label && entry.entityRegion ? `${label} · ${t(`regionName.${entry.entityRegion}`)}` : label;
  return reference ? `${type} ${reference}` : type;
}
