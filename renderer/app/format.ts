// Dates, times and numbers for reading, in the user's language. English keeps the lab convention of year-month-day
// (no 03/04 ambiguity); French, Spanish and Arabic get their own order and month names, so no date is ambiguous in
// any of them. Arabic keeps Latin digits, as lab references and instrument figures are written.
import i18next from 'i18next';

const two = (n: number) => String(n).padStart(2, '0');

function locale(): string | null {
  const language = i18next.language ?? 'en';
  if (language.startsWith('en')) return null;
  return language === 'ar' ? 'ar-u-nu-latn' : language;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * The reader's number format with these options. Formats are made once per language and options (a few dozen at
 * most): making one costs far more than using it, and a results table prints hundreds of figures.
 */
function readerNumbers(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const tag = locale() ?? 'en';
  const key = `${tag} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(tag, options)));
  return format;
}

/** Figures as results are read: never "-0"; thousands grouped from five digits on (12,345 but 1234). */
const figures = { signDisplay: 'negative', useGrouping: 'min2' } as const;

/** A timestamp (stored in UTC) in the station's local time, to the minute. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const tag = locale();
  if (tag)
    return new Intl.DateTimeFormat(tag, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(d);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A calendar date ('2024-03-01', as forms and filters hold them) for reading. */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const tag = locale();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!tag || !match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    date,
  );
}

/**
 * A number with a fixed count of decimals, with the language's decimal sign (0.42 in English, 0,42 in French); a
 * dash where there is no value. Rounding to zero never shows "-0". Thousands are grouped from five digits on
 * (12,345 but 1234), so a pair such as "(1234, 56)" never reads as three numbers.
 */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return readerNumbers({ ...figures, minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
}

/** A number to `digits` significant figures (figures spanning decades: 0.00412, 3.50, 1240). */
export function formatSignificant(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return readerNumbers({ ...figures, minimumSignificantDigits: digits, maximumSignificantDigits: digits }).format(
    value,
  );
}

/** A share (0…1) as a percentage with fixed decimals: 0.125 → "12.5 %" ("12,5 %" in French); a dash for none. */
export function formatPercent(share: number | null | undefined, decimals = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${formatNumber(100 * share, decimals)} %`;
}

/** An expected miss rate (0…1) as a percentage: one decimal, two below 1 %; "< 0.01 %" where the reference
 *  populations cannot resolve less. */
export function formatMissRate(rate: number): string {
  return rate < 1e-4 ? `< ${formatNumber(0.01, 2)} %` : formatPercent(rate, rate < 0.01 ? 2 : 1);
}

/** A file size for reading: bytes up to 1 KiB, then KiB, MiB, GiB with at most one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = readerNumbers({ maximumFractionDigits: value >= 100 ? 0 : 1 }).format(value);
  return `${text} ${units[unit]}`;
}

/**
 * A measured amount with its unit, as the language writes it: "−4.500 mm", "15°" in English, "15,00°" in French,
 * "15 درجة" in Arabic. Degrees take the narrow form (English's short form is "deg").
 */
export function formatQuantity(value: number, unit: 'mm' | 'deg', decimals = 0): string {
  return readerNumbers({
    style: 'unit',
    unit: unit === 'mm' ? 'millimeter' : 'degree',
    unitDisplay: unit === 'mm' ? 'short' : 'narrow',
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}
