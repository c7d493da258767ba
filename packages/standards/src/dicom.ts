// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- declares the untyped dcmjs module wherever this file is compiled
/// <reference path="./dcmjs.d.ts" />
/**
 * A narrow, typed façade over dcmjs: Part 10 writing and reading of "naturalized" datasets
 * (keyword → value), plus the small value conversions SR needs (DS, DA/TM/DT, PN). dcmjs does
 * the encoding; nothing here writes bytes by hand.
 */
import dcmjsUntyped from 'dcmjs';

/** A dataset keyed by DICOM keyword (dcmjs "naturalized" form). Sequences are arrays of datasets. */
export interface NaturalDataset {
  [keyword: string]: unknown;
  _vrMap?: Record<string, string>;
}

interface DenaturalizedElement {
  vr: string;
  Value?: unknown[];
}
type DenaturalizedDataset = Record<string, DenaturalizedElement>;

interface DicomDictInstance {
  meta: DenaturalizedDataset;
  dict: DenaturalizedDataset;
  write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
}

interface DcmjsApi {
  data: {
    DicomDict: new (meta: DenaturalizedDataset) => DicomDictInstance;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DicomDictInstance;
    };
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: NaturalDataset): DenaturalizedDataset;
      naturalizeDataset(dataset: DenaturalizedDataset): NaturalDataset;
    };
  };
}

const dcmjs = dcmjsUntyped as DcmjsApi;

/** Explicit VR Little Endian, the transfer syntax every SR is written in. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Implementation Class UID of SecondRead's DICOM writer (a UUID-derived 2.25 root). */
export const IMPLEMENTATION_CLASS_UID = '2.25.221841986418418957390461442302916311309';
/** Implementation Version Name written in the file meta information (≤ 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = 'SECONDREAD_0_1';

/** Serialises a naturalized dataset as a DICOM Part 10 file in Explicit VR Little Endian. */
export function writePart10(dataset: NaturalDataset): ArrayBuffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta: NaturalDataset = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return dict.write();
}

/** Parses a DICOM Part 10 file into a naturalized dataset (file meta left out). */
export function readPart10(buffer: ArrayBuffer | Uint8Array): NaturalDataset {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const arrayBuffer =
    buffer instanceof Uint8Array
      ? (buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer)
      : buffer;
  const dict = DicomMessage.readFile(arrayBuffer);
  joinSingleValuedTexts(dict.dict);
  const dataset = DicomMetaDictionary.naturalizeDataset(dict.dict);
  if (stringValue(dataset.SpecificCharacterSet) === 'ISO_IR 192') redecodeNestedUtf8(dataset);
  return dataset;
}

/** Text VRs that hold one value, in which `\` is a character and not a value delimiter (PS3.5 6.2). */
const SINGLE_VALUED_TEXT_VRS = new Set(['ST', 'LT', 'UT', 'UR']);

/**
 * dcmjs 0.52 splits every string on `\`, also UT (a TEXT content item's value), which holds one
 * value with `\` in it: a text with a backslash (or a JSON text with an escaped quote) came back
 * cut at the first one. Join such values back, in sequence items too.
 */
function joinSingleValuedTexts(dataset: DenaturalizedDataset): void {
  for (const element of Object.values(dataset)) {
    if (!element?.Value) continue;
    if (element.vr === 'SQ') {
      for (const item of element.Value)
        if (item && typeof item === 'object') joinSingleValuedTexts(item as DenaturalizedDataset);
    } else if (SINGLE_VALUED_TEXT_VRS.has(element.vr) && element.Value.length > 1) {
      element.Value = [element.Value.join('\\')];
    }
  }
}

/**
 * dcmjs 0.52 applies Specific Character Set only to the top-level dataset: text inside sequence
 * items is decoded as Latin-1 whatever the set. For UTF-8 files, turn those strings back into
 * their bytes and decode them as UTF-8.
 */
function redecodeNestedUtf8(dataset: NaturalDataset): void {
  const latin1 = new TextDecoder('latin1').decode(Uint8Array.from({ length: 256 }, (_, i) => i));
  const byteOf = new Map([...latin1].map((char, byte) => [char, byte]));
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const fix = (text: string): string => {
    // eslint-disable-next-line no-control-regex
    if (!/[^\x00-\x7f]/.test(text)) return text;
    const bytes: number[] = [];
    for (const char of text) {
      const byte = byteOf.get(char);
      if (byte === undefined) return text;
      bytes.push(byte);
    }
    try {
      return utf8.decode(Uint8Array.from(bytes));
    } catch {
      return text;
    }
  };
  const visit = (value: unknown, nested: boolean): unknown => {
    if (typeof value === 'string') return nested ? fix(value) : value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i], nested);
      return value;
    }
    if (value && typeof value === 'object' && !(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (key === '_vrMap') continue;
        const inner = record[key];
        // Items of a sequence (arrays of objects) are nested datasets; person names are objects too.
        const isSequence =
          Array.isArray(inner) && inner.some((item) => item && typeof item === 'object' && !('Alphabetic' in item));
        record[key] = visit(inner, nested || isSequence);
      }
    }
    return value;
  };
  visit(dataset, false);
}

/** Converts a DICOM JSON dataset (QIDO/WADO metadata) to the naturalized form. */
export function naturalizeDicomJson(json: Record<string, unknown>): NaturalDataset {
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(json as DenaturalizedDataset);
}

/** The items of a naturalized sequence (dcmjs may give a single item as a one-item proxy array). */
export function sequenceItems(value: unknown): NaturalDataset[] {
  if (value == null) return [];
  if (Array.isArray(value)) return value.filter((item): item is NaturalDataset => !!item && typeof item === 'object');
  return typeof value === 'object' ? [value as NaturalDataset] : [];
}

/** The values of a possibly multi-valued element, as an array. */
export function multiValues(value: unknown): unknown[] {
  if (value == null) return [];
  return Array.isArray(value) ? [...(value as unknown[])] : [value];
}

/** A single string value (the first of a multi-valued element), or undefined when empty. */
export function stringValue(value: unknown): string | undefined {
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (first == null) return undefined;
  if (typeof first === 'object' && 'Alphabetic' in first) {
    const alphabetic = (first as { Alphabetic?: unknown }).Alphabetic;
    return typeof alphabetic === 'string' ? alphabetic : undefined;
  }
  const text = String(first);
  return text === '' ? undefined : text;
}

/** Maximum length of one PN component group, in bytes (PS3.5 Table 6.2-1). */
export const PERSON_NAME_MAX_BYTES = 64;

/** A display name as a DICOM PN value, and whether that value holds the name exactly. */
export interface PersonNameValue {
  /** The PN value: one alphabetic component group of at most {@link PERSON_NAME_MAX_BYTES} UTF-8 bytes. */
  readonly value: string;
  /** False when the name was cut or its PN delimiters and control characters replaced. */
  readonly exact: boolean;
  /** True when the name was cut to fit. */
  readonly truncated: boolean;
}

/**
 * A free-text display name (`Dr A. Reader`) as a PN value that a DICOM reader takes as one name:
 * the PN delimiters `^` (components), `=` (component groups) and `\` (values) and control
 * characters become spaces, runs of spaces one, and a name over {@link PERSON_NAME_MAX_BYTES}
 * UTF-8 bytes is cut at a character boundary (never inside a UTF-8 sequence). `exact` says
 * whether the value still is the whole name, so a writer can keep the full name elsewhere.
 */
export function toPersonName(display: string): PersonNameValue {
  const cleaned = display
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    .replace(/[\^=\\\u0000-\u001f\u007f]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  const encoder = new TextEncoder();
  let value = cleaned;
  if (encoder.encode(value).length > PERSON_NAME_MAX_BYTES) {
    let bytes = 0;
    value = '';
    for (const char of cleaned) {
      bytes += encoder.encode(char).length;
      if (bytes > PERSON_NAME_MAX_BYTES) break;
      value += char;
    }
    value = value.trimEnd();
  }
  return { value, exact: value === display, truncated: value.length < cleaned.length };
}

/**
 * A PN value as a display name. A name in DICOM form (`Family^Given^Middle^Prefix^Suffix`) is
 * written in reading order (`Prefix Given Middle Family, Suffix`); a name without components is
 * given as it is. Only the alphabetic component group is read. Undefined when empty.
 */
export function personNameToDisplay(value: unknown): string | undefined {
  const text = stringValue(value)?.split('=')[0]?.trim();
  if (!text) return undefined;
  if (!text.includes('^')) return text;
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = text.split('^').map((part) => part.trim());
  const name = [prefix, given, middle, family].filter(Boolean).join(' ');
  const display = suffix ? (name ? `${name}, ${suffix}` : suffix) : name;
  return display || undefined;
}

/** A single number value, or undefined when empty or not a number. */
export function numberValue(value: unknown): number | undefined {
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (first == null || first === '') return undefined;
  const number = typeof first === 'number' ? first : Number(first);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * A Decimal String (DS, at most 16 characters) for a number: the shortest exact form when it
 * fits, otherwise rounded to as many significant digits as fit. dcmjs would truncate a longer
 * string, which changes the value.
 */
export function formatDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`DS cannot hold ${value}`);
  const exact = String(value);
  if (exact.length <= 16) return exact;
  for (let digits = 15; digits >= 1; digits--) {
    const text = String(Number(value.toPrecision(digits)));
    if (text.length <= 16) return text;
    const exponential = value
      .toExponential(digits - 1)
      .replace('e+', 'E')
      .replace('e', 'E');
    if (exponential.length <= 16) return exponential;
  }
  throw new RangeError(`DS cannot hold ${value}`);
}

const pad = (value: number, length = 2): string => String(value).padStart(length, '0');

/**
 * An ISO 8601 timestamp as a DICOM DT in UTC with milliseconds and an explicit offset
 * (`YYYYMMDDHHMMSS.FFF+0000`).
 */
export function isoToDicomDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an ISO 8601 timestamp: ${iso}`);
  return `${isoToDicomDate(iso)}${isoToDicomTime(iso)}+0000`;
}

/** The UTC date of an ISO 8601 timestamp as a DICOM DA (`YYYYMMDD`). */
export function isoToDicomDate(iso: string): string {
  const date = new Date(iso);
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

/** The UTC time of an ISO 8601 timestamp as a DICOM TM (`HHMMSS.FFF`). */
export function isoToDicomTime(iso: string): string {
  const date = new Date(iso);
  return `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
}

/**
 * A DICOM DT (or DA + TM) as an ISO 8601 string (`toISOString()` form). Missing parts default
 * to the start of the period; a missing offset is read as UTC. Undefined when unparseable.
 */
export function dicomDateTimeToIso(dateTime: string | undefined): string | undefined {
  if (!dateTime) return undefined;
  const match = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?([+-]\d{4})?$/.exec(dateTime.trim());
  if (!match) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', fraction = '0', offset] = match;
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (offset) {
    const sign = offset.startsWith('-') ? -1 : 1;
    time -= sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5))) * 60_000;
  }
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A new UID under the `2.25` root (ISO/IEC 9834-8: the decimal form of a random UUID). */
export function newUid(): string {
  const hex = globalThis.crypto.randomUUID().replace(/-/g, '');
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

/**
 * A UID under the `2.25` root derived from a name (a 128-bit FNV-1a hash of it), so that the same
 * name always gives the same UID: used for tracking UIDs of findings that had none, which then
 * stay the same when a reading is exported again.
 */
export function uidFromName(name: string): string {
  const prime = 0x1000000000000000000013bn;
  const mask = (1n << 128n) - 1n;
  let hash = 0x6c62272e07bb014262b821756295c58dn;
  for (const byte of new TextEncoder().encode(name)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask;
  }
  return `2.25.${hash.toString()}`;
}
