/**
 * The one home of number, date and locale formatting, used by the elements and by the printable
 * report so both say the same. `Intl` formatters are costly to build: each is made once per
 * locale and option set and kept for the page's life.
 */
import { VALUE_FORMATS } from './labels.js';
import { messagesFor } from './i18n/messages.js';
import { normalizeLocale } from './locale.js';
import type { MeasurementKind, MeasurementValueKey, MeasurementValues } from './measurements/types.js';
import { findingSizeMm } from './reading/matching.js';
import type { Finding } from './reading/types.js';

export { normalizeLocale };

/** Options of {@link numberFormat}. */
export interface NumberFormatOptions {
  /** Digits after the decimal point (at most). Default 1. */
  readonly digits?: number;
  /** Always show `digits` digits (12.0 rather than 12). Default false. */
  readonly fixed?: boolean;
  /** Show the sign of non-zero numbers (+1.5, −1.5). Default false. */
  readonly signed?: boolean;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A cached `Intl.NumberFormat` for `locale` (normalised; invalid tags use the default). */
export function numberFormat(locale: string | undefined, options: NumberFormatOptions = {}): Intl.NumberFormat {
  const tag = normalizeLocale(locale);
  const digits = Math.max(0, Math.min(20, Math.trunc(options.digits ?? 1)));
  const key = `${tag ?? ''}|${digits}|${options.fixed ? 1 : 0}|${options.signed ? 1 : 0}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(tag, {
      maximumFractionDigits: digits,
      minimumFractionDigits: options.fixed ? digits : 0,
      ...(options.signed ? { signDisplay: 'exceptZero' as const } : {}),
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** `value` formatted for `locale` with at most `digits` fraction digits (see {@link numberFormat}). */
export function formatNumber(
  value: number,
  locale: string | undefined,
  digits = 1,
  options: Omit<NumberFormatOptions, 'digits'> = {},
): string {
  return numberFormat(locale, { ...options, digits }).format(value);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Options of {@link dateFormat}. */
export interface DateFormatOptions {
  /** Include the time of day. Default false. */
  readonly time?: boolean;
  /** IANA time zone; invalid zones fall back to UTC. Default UTC for dates, the runtime's for times. */
  readonly timeZone?: string;
}

/** A cached `Intl.DateTimeFormat` for `locale` (normalised; invalid tags use the default). */
export function dateFormat(locale: string | undefined, options: DateFormatOptions = {}): Intl.DateTimeFormat {
  const tag = normalizeLocale(locale);
  const timeZone = options.timeZone ?? (options.time ? undefined : 'UTC');
  const key = `${tag ?? ''}|${options.time ? 1 : 0}|${timeZone ?? ''}`;
  let format = dateFormats.get(key);
  if (!format) {
    const base: Intl.DateTimeFormatOptions = options.time
      ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }
      : { dateStyle: 'medium' };
    try {
      format = new Intl.DateTimeFormat(tag, { ...base, ...(timeZone ? { timeZone } : {}) });
    } catch {
      format = new Intl.DateTimeFormat(tag, { ...base, timeZone: 'UTC' });
    }
    dateFormats.set(key, format);
  }
  return format;
}

/** A DICOM DA value (`YYYYMMDD`) as a localised date; anything else is returned as it is. */
export function formatDicomDate(value: string, locale?: string): string {
  if (!/^\d{8}$/.test(value)) return value;
  const date = new Date(Date.UTC(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8))));
  return Number.isNaN(date.getTime()) ? value : dateFormat(locale).format(date);
}

/** An ISO 8601 date-time as a localised date and time; unparseable text is returned as it is. */
export function formatDateTime(iso: string, locale?: string, timeZone?: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateFormat(locale, { time: true, timeZone }).format(time);
}

// ---- Measurement values: one wording for the list, the report element and the printed report ----

/** Between a number and its unit: a narrow no-break space, so `12.0 mm` never breaks. */
export const UNIT_SPACE = '\u202f';

/** Units written against the number: the plane-angle degree (SI Brochure, 9th ed., §5.4.3: `30°`, not `30 °`). */
const UNITS_WITHOUT_SPACE: ReadonlySet<string> = new Set(['°']);

/** `12.0 mm`, `30.1°`: `value` with exactly `digits` fraction digits and its unit (none for a count). */
export function formatQuantity(value: number, unit: string, locale: string | undefined, digits = 1): string {
  const number = formatNumber(value, locale, digits, { fixed: true });
  if (!unit) return number;
  return UNITS_WITHOUT_SPACE.has(unit) ? `${number}${unit}` : `${number}${UNIT_SPACE}${unit}`;
}

/** One measured value as SecondRead shows it: its name (`Long axis`) and its quantity (`12.0 mm`). */
export interface MeasurementValuePart {
  readonly key: MeasurementValueKey;
  readonly label: string;
  readonly text: string;
}

/** Options of {@link measurementValueParts}. */
export interface MeasurementValueOptions {
  /** The measurement's kind: a bidirectional measurement's length is its `Long axis`. */
  readonly kind?: MeasurementKind;
  /** BCP 47 locale (normalised; invalid tags use the default) of the numbers and of the value names (`messagesFor`). */
  readonly locale?: string;
}

/**
 * The finite values of a measurement, in {@link VALUE_FORMATS} order (length, short axis, angle,
 * area, mean, SD, min, max, density; the pixel count is not shown), each with its label and
 * its quantity formatted with the digits and unit {@link VALUE_FORMATS} gives.
 */
export function measurementValueParts(
  values: MeasurementValues,
  options: MeasurementValueOptions = {},
): MeasurementValuePart[] {
  const parts: MeasurementValuePart[] = [];
  const labels = messagesFor(options.locale).value;
  for (const key of Object.keys(VALUE_FORMATS) as MeasurementValueKey[]) {
    const value = values[key];
    if (key === 'pixelCount' || typeof value !== 'number' || !Number.isFinite(value)) continue;
    const format = VALUE_FORMATS[key];
    const label = labels[key === 'lengthMm' && options.kind === 'bidirectional' ? 'longAxis' : key];
    parts.push({ key, label, text: formatQuantity(value, format.unit, options.locale, format.digits) });
  }
  return parts;
}

/** The value line of a measurement: `Long axis 12.0 mm · Short axis 9.0 mm`; empty without values. */
export function formatMeasurementValues(values: MeasurementValues, options: MeasurementValueOptions = {}): string {
  return measurementValueParts(values, options)
    .map((part) => `${part.label} ${part.text}`)
    .join(' · ');
}

/**
 * A finding's size as SecondRead shows it (`12.0 mm`): its largest diameter
 * ({@link findingSizeMm}: lines first, else the largest extent of its ROIs); undefined without one.
 */
export function formatFindingSize(finding: Finding, locale?: string): string | undefined {
  const size = findingSizeMm(finding);
  return size === undefined || !Number.isFinite(size) ? undefined : formatQuantity(size, 'mm', locale, 1);
}
