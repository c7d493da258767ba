/**
 * The state of one SR import and the content-tree helpers every part of it shares: the evidence
 * index (SOP Instance UID → study/series), the Image Library, and the unknown content kept with
 * its warning (`keep`, `parseJson`).
 */
import type { Vec3 } from '@secondread/core';
import { SR_CODES, sameCode } from './codes.js';
import { dicomDateTimeToIso, personNameToDisplay, sequenceItems, stringValue, type NaturalDataset } from './dicom.js';
import { childrenOf, conceptOf, nameOf } from './sr-content.js';
import type { SrUnknownContent } from './sr-import-types.js';

/** Where an image is in patient space. */
export interface ImagePlane {
  seriesUid: string;
  frameOfReferenceUid: string;
  position: Vec3;
  row: Vec3;
  column: Vec3;
  /** Distance between rows, then between columns (mm), as PixelSpacing. */
  spacing: [number, number];
}

export interface Context {
  readonly planes: Map<string, ImagePlane>;
  readonly unknown: SrUnknownContent[];
  readonly warnings: string[];
  /** SOP Instance UID → where it is (from the evidence sequences). */
  readonly instances: Map<string, { studyUid: string; seriesUid: string; sopClassUid?: string }>;
}

export function indexEvidence(sequence: unknown, context: Context): void {
  for (const study of sequenceItems(sequence)) {
    const studyUid = stringValue(study.StudyInstanceUID) ?? '';
    for (const series of sequenceItems(study.ReferencedSeriesSequence)) {
      const seriesUid = stringValue(series.SeriesInstanceUID) ?? '';
      for (const sop of sequenceItems(series.ReferencedSOPSequence)) {
        const uid = stringValue(sop.ReferencedSOPInstanceUID);
        const sopClassUid = stringValue(sop.ReferencedSOPClassUID);
        if (uid) context.instances.set(uid, { studyUid, seriesUid, ...(sopClassUid ? { sopClassUid } : {}) });
      }
    }
  }
}

export function readImageLibrary(library: NaturalDataset, context: Context): void {
  for (const group of childrenOf(library)) {
    if (group.ValueType === 'IMAGE') continue;
    if (!sameCode(nameOf(group), SR_CODES.imageLibraryGroup)) {
      keep(group, ['Image Library'], context);
      continue;
    }
    for (const entry of childrenOf(group)) {
      if (entry.ValueType === 'IMAGE') continue;
      if (
        sameCode(nameOf(entry), SR_CODES.modality) &&
        sameCode(conceptOf(entry.ConceptCodeSequence), SR_CODES.ctModality)
      )
        continue;
      keep(entry, ['Image Library', 'Image Library Group'], context);
    }
  }
}

/** Copies a content item into the unknown content, JSON-safe. */
export function keep(contentItem: NaturalDataset, path: readonly string[], context: Context): void {
  const concept = nameOf(contentItem);
  context.unknown.push({
    path,
    ...(typeof contentItem.RelationshipType === 'string' ? { relationshipType: contentItem.RelationshipType } : {}),
    ...(typeof contentItem.ValueType === 'string' ? { valueType: contentItem.ValueType } : {}),
    ...(concept ? { concept } : {}),
    item: jsonSafe(contentItem),
  });
}

export function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, inner: unknown) => {
      if (key === '_vrMap') return undefined;
      if (inner instanceof ArrayBuffer || ArrayBuffer.isView(inner)) return undefined;
      return inner;
    }),
  );
}

export function parseJson<T>(contentItem: NaturalDataset, context: Context, path: readonly string[]): T | undefined {
  try {
    const parsed = JSON.parse(stringValue(contentItem.TextValue) ?? '') as unknown;
    if (parsed && typeof parsed === 'object') return parsed as T;
  } catch {
    // reported below
  }
  context.warnings.push(`Unreadable ${nameOf(contentItem)?.meaning ?? 'SecondRead'} item: kept as unknown content.`);
  keep(contentItem, path, context);
  return undefined;
}

/** One warning per kind of content item kept in `context.unknown` (by path, concept and value type). */
export function reportUnknownContent(context: Context): void {
  const counts = new Map<string, number>();
  for (const entry of context.unknown) {
    const label = [...entry.path, `${entry.concept?.meaning ?? '(no concept name)'} (${entry.valueType ?? '?'})`].join(
      ' > ',
    );
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  for (const [label, count] of counts) {
    context.warnings.push(`Kept ${count} content item${count > 1 ? 's' : ''} the model has no place for: ${label}`);
  }
}

/**
 * The name of a Person Observer Name item, whatever its value type: PNAME (in reading order when
 * written as `Family^Given`), TEXT as some toolkits write it, or the meaning of a CODE.
 */
export function observerName(item: NaturalDataset): string | undefined {
  // dcmjs' Cornerstone adapter writes the placeholder "unknown^unknown" when it knows no name.
  if (item.ValueType === 'PNAME' && /^unknown(\^unknown)+$/i.test(stringValue(item.PersonName)?.trim() ?? '')) {
    return undefined;
  }
  const text =
    item.ValueType === 'PNAME'
      ? personNameToDisplay(item.PersonName)
      : item.ValueType === 'TEXT'
        ? stringValue(item.TextValue)
        : item.ValueType === 'CODE'
          ? conceptOf(item.ConceptCodeSequence)?.meaning
          : undefined;
  return text?.trim() || undefined;
}

/** The SR's own identity and content time (ISO 8601; the epoch when the SR has none). */
export interface SrHeader {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly contentTime: string;
}

/** Reads {@link SrHeader} from an SR dataset: UIDs, Content Date/Time with its time zone. */
export function srHeader(dataset: NaturalDataset): SrHeader {
  const contentTime =
    dicomDateTimeToIso(
      `${stringValue(dataset.ContentDate) ?? ''}${stringValue(dataset.ContentTime) ?? ''}${stringValue(dataset.TimezoneOffsetFromUTC) ?? ''}`,
    ) ?? new Date(0).toISOString();
  return {
    studyUid: stringValue(dataset.StudyInstanceUID) ?? '',
    seriesUid: stringValue(dataset.SeriesInstanceUID) ?? '',
    sopInstanceUid: stringValue(dataset.SOPInstanceUID) ?? '',
    contentTime,
  };
}
