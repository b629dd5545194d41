const two = (n: number) => String(n).padStart(2, '0');

/**
 * Timestamps are stored in UTC; people read them in the station's local time, to the minute, written
 * year-month-day so a record reads the same in every language and lab (no 03/04 ambiguity).
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A calendar date ('2024-03-01', as forms and filters hold them) for reading. */
export function formatDate(isoDate: string | null | undefined): string {
  return isoDate ?? '';
}
