/**
 * DICOM SR import: any TID 1500 "Imaging Measurement Report" becomes a {@link Reading}. SRs
 * written by {@link exportReadingSr} come back equal (see `docs/sr-mapping.md` for the few
 * normalisations); other software's SRs keep every measurement group as a finding with its
 * values, and every content item that has no place in the model is kept in
 * `reading.source.unknownContent` and reported in `warnings`.
 */
import {
  FINDING_CATEGORY_CODES,
  type CodedConcept,
  type Concordance,
  type Finding,
  type FindingCategory,
  type FindingPair,
  type Measurement,
  type MeasurementValues,
  type Reader,
  type Reading,
  type ReadingRole,
  type SecondOpinion,
  type Vec3,
} from '@secondread/core';
import {
  MATCH_METHOD_CODES,
  MEASUREMENT_CODES,
  PRIVATE_CODES,
  RADPEER_CODES,
  ROLE_CODES,
  SR_CODES,
  UNIT_CODES,
  VERDICT_CODES,
  keyOfCode,
  sameCode,
} from './codes.js';
import {
  dicomDateTimeToIso,
  multiValues,
  readPart10,
  sequenceItems,
  stringValue,
  type NaturalDataset,
} from './dicom.js';
import { childrenOf, conceptOf, nameOf, numValueOf, pointsOf, referencedSopOf } from './sr-content.js';
import type { FindingAttributes, MeasurementAttributes, OpinionAttributes, ReadingAttributes } from './sr-export.js';

/** A content item the import could not map, kept as it was (dcmjs naturalized form, JSON-safe). */
export interface SrUnknownContent {
  /** Concept names from the root to the item's parent, e.g. `["Imaging Measurements", "Measurement Group"]`. */
  readonly path: readonly string[];
  readonly relationshipType?: string;
  readonly valueType?: string;
  readonly concept?: CodedConcept;
  /** The whole content item, children included. */
  readonly item: unknown;
}

/** A NUM of a measurement group, as read (also those that did not map to {@link MeasurementValues}). */
export interface SrNumericValue {
  readonly concept: CodedConcept;
  readonly value: number;
  readonly unit?: CodedConcept;
  /** Concept modifiers (Derivation, Measurement Method...) as `name → value`. */
  readonly modifiers: readonly { readonly name: CodedConcept; readonly value: CodedConcept }[];
  /** The measurement it went into, when it mapped to one. */
  readonly measurementId?: string;
}

/** The result of {@link importSr}. */
export interface SrImport {
  readonly reading: Reading;
  /** Same as `reading.source.unknownContent` (empty when everything mapped). */
  readonly unknownContent: readonly SrUnknownContent[];
  /** Human-readable notes: unknown content kept, values that did not map, normalisations. */
  readonly warnings: readonly string[];
  /** Every NUM of each finding, by finding id (third-party values that are not in the model are here). */
  readonly findingValues: Readonly<Record<string, readonly SrNumericValue[]>>;
  readonly procedureReported?: CodedConcept;
  /** The concordance part, when the SR is a SecondRead second opinion. */
  readonly secondOpinion?: SecondOpinionSrPart;
}

/** What a second opinion SR carries beyond the second reading. */
export interface SecondOpinionSrPart {
  readonly concordance: Concordance;
  readonly opinion: OpinionAttributes;
  /** The first reading's SR, from the Pertinent Other Evidence Sequence. */
  readonly firstReadingSr?: { readonly studyUid: string; readonly seriesUid: string; readonly sopInstanceUid: string };
}

/** The result of {@link importSecondOpinionSr}. */
export interface SecondOpinionSrImport extends SrImport {
  readonly secondOpinion: SecondOpinionSrPart;
  /** The whole second opinion, when the first reading was given. */
  readonly opinion?: SecondOpinion;
}

/** Thrown when a file is not a TID 1500 SR. */
export class SrImportError extends Error {
  override readonly name = 'SrImportError';
}

const SR_SOP_CLASS_UIDS = new Set([
  '1.2.840.10008.5.1.4.1.1.88.11', // Basic Text SR
  '1.2.840.10008.5.1.4.1.1.88.22', // Enhanced SR
  '1.2.840.10008.5.1.4.1.1.88.33', // Comprehensive SR
  '1.2.840.10008.5.1.4.1.1.88.34', // Comprehensive 3D SR
  '1.2.840.10008.5.1.4.1.1.88.35', // Extensible SR
]);

/** Options of {@link importSr}. */
export interface SrImportOptions {
  /**
   * Headers of the referenced images (naturalized: SOPInstanceUID, SeriesInstanceUID,
   * FrameOfReferenceUID, ImagePositionPatient, ImageOrientationPatient, PixelSpacing). With them,
   * 2D SCOORD regions (pixel coordinates, as OHIF and most viewers write them) become
   * measurements in patient coordinates; without them their values stay in `findingValues`.
   */
  readonly imageHeaders?: readonly Readonly<Record<string, unknown>>[];
}

/** Where an image is in patient space. */
interface ImagePlane {
  seriesUid: string;
  frameOfReferenceUid: string;
  position: Vec3;
  row: Vec3;
  column: Vec3;
  /** Distance between rows, then between columns (mm), as PixelSpacing. */
  spacing: [number, number];
}

interface Context {
  readonly planes: Map<string, ImagePlane>;
  readonly unknown: SrUnknownContent[];
  readonly warnings: string[];
  /** SOP Instance UID → where it is (from the evidence sequences). */
  readonly instances: Map<string, { studyUid: string; seriesUid: string; sopClassUid?: string }>;
}

/**
 * Reads a TID 1500 SR (Part 10 bytes, or a naturalized dataset) into a {@link Reading}.
 *
 * @throws SrImportError when the file is not an SR whose root is "Imaging Measurement Report".
 */
export function importSr(input: ArrayBuffer | Uint8Array | NaturalDataset, options: SrImportOptions = {}): SrImport {
  const dataset = input instanceof ArrayBuffer || input instanceof Uint8Array ? readPart10(input) : input;
  const sopClass = stringValue(dataset.SOPClassUID);
  if (!sopClass || !SR_SOP_CLASS_UIDS.has(sopClass)) {
    throw new SrImportError(`Not a structured report (SOP Class UID ${sopClass ?? 'missing'})`);
  }
  if (!sameCode(conceptOf(dataset.ConceptNameCodeSequence), SR_CODES.imagingMeasurementReport)) {
    throw new SrImportError('Not a TID 1500 SR: the root is not "Imaging Measurement Report" (126000, DCM)');
  }
  const context: Context = { unknown: [], warnings: [], instances: new Map(), planes: planesOf(options.imageHeaders) };
  indexEvidence(dataset.CurrentRequestedProcedureEvidenceSequence, context);
  indexEvidence(dataset.PertinentOtherEvidenceSequence, context);

  const studyUid = stringValue(dataset.StudyInstanceUID) ?? '';
  const seriesUid = stringValue(dataset.SeriesInstanceUID) ?? '';
  const sopInstanceUid = stringValue(dataset.SOPInstanceUID) ?? '';
  const contentTime =
    dicomDateTimeToIso(
      `${stringValue(dataset.ContentDate) ?? ''}${stringValue(dataset.ContentTime) ?? ''}${stringValue(dataset.TimezoneOffsetFromUTC) ?? ''}`,
    ) ?? new Date(0).toISOString();

  const reader: { name: string; id?: string; institution?: string } = { name: '' };
  let role: ReadingRole | undefined;
  let procedureReported: CodedConcept | undefined;
  let attributes: ReadingAttributes | undefined;
  let impression = '';
  let recommendations = '';
  const findings: Finding[] = [];
  const findingValues: Record<string, SrNumericValue[]> = {};
  let concordanceItem: NaturalDataset | undefined;

  for (const child of childrenOf(dataset)) {
    const name = nameOf(child);
    if (sameCode(name, SR_CODES.languageOfContent) || sameCode(name, SR_CODES.observerType)) {
      if (sameCode(name, SR_CODES.observerType) && !sameCode(conceptOf(child.ConceptCodeSequence), SR_CODES.person)) {
        keep(child, [], context);
      }
      continue;
    }
    if (sameCode(name, SR_CODES.personObserverName)) {
      reader.name = personName(child.PersonName);
    } else if (sameCode(name, SR_CODES.personObserverOrganization)) {
      reader.institution = stringValue(child.TextValue) ?? '';
    } else if (sameCode(name, SR_CODES.identifierWithinRole)) {
      reader.id = stringValue(child.TextValue) ?? '';
    } else if (
      sameCode(name, SR_CODES.personObserverRoleInProcedure) &&
      keyOfCode(ROLE_CODES, conceptOf(child.ConceptCodeSequence))
    ) {
      role = keyOfCode(ROLE_CODES, conceptOf(child.ConceptCodeSequence));
    } else if (sameCode(name, SR_CODES.procedureReported)) {
      procedureReported = conceptOf(child.ConceptCodeSequence);
    } else if (sameCode(name, SR_CODES.imageLibrary)) {
      readImageLibrary(child, context);
    } else if (sameCode(name, SR_CODES.imagingMeasurements)) {
      for (const group of childrenOf(child)) {
        if (!sameCode(nameOf(group), SR_CODES.measurementGroup)) {
          keep(group, ['Imaging Measurements'], context);
          continue;
        }
        const result = readMeasurementGroup(group, findings.length, context, {
          studyUid,
          readerId: reader.id ?? reader.name,
          time: contentTime,
        });
        findings.push(result.finding);
        findingValues[result.finding.id] = result.values;
      }
    } else if (sameCode(name, SR_CODES.qualitativeEvaluations)) {
      for (const evaluation of childrenOf(child)) {
        const evaluationName = nameOf(evaluation);
        if (evaluation.ValueType === 'TEXT' && sameCode(evaluationName, SR_CODES.impression)) {
          impression = stringValue(evaluation.TextValue) ?? '';
        } else if (evaluation.ValueType === 'TEXT' && sameCode(evaluationName, SR_CODES.recommendation)) {
          recommendations = stringValue(evaluation.TextValue) ?? '';
        } else {
          keep(evaluation, ['Qualitative Evaluations'], context);
        }
      }
    } else if (sameCode(name, PRIVATE_CODES.readingAttributes)) {
      attributes = parseJson<ReadingAttributes>(child, context, []);
    } else if (sameCode(name, PRIVATE_CODES.concordance)) {
      concordanceItem = child;
    } else {
      keep(child, [], context);
    }
  }

  if (!role) {
    role = 'first';
    context.warnings.push('No SecondRead reader role in the observer context: imported as the first reading.');
  }
  const status: Reading['status'] =
    attributes?.status ?? (stringValue(dataset.CompletionFlag) === 'COMPLETE' ? 'final' : 'draft');
  const finalReader: Reader = {
    name: reader.name,
    ...(reader.id !== undefined ? { id: reader.id } : {}),
    ...(reader.institution !== undefined ? { institution: reader.institution } : {}),
  };
  if (context.unknown.length) {
    const counts = new Map<string, number>();
    for (const entry of context.unknown) {
      const label = [
        ...entry.path,
        `${entry.concept?.meaning ?? '(no concept name)'} (${entry.valueType ?? '?'})`,
      ].join(' > ');
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    for (const [label, count] of counts) {
      context.warnings.push(`Kept ${count} content item${count > 1 ? 's' : ''} the model has no place for: ${label}`);
    }
  }
  const reading: Reading = {
    id: attributes?.id ?? sopInstanceUid,
    role,
    reader: finalReader,
    studyUid,
    findings,
    impression,
    recommendations,
    status,
    createdAt: attributes?.createdAt ?? contentTime,
    updatedAt: attributes?.updatedAt ?? contentTime,
    ...(attributes?.finalizedAt !== undefined ? { finalizedAt: attributes.finalizedAt } : {}),
    source: {
      kind: 'sr',
      studyUid,
      seriesUid,
      sopInstanceUid,
      ...(context.unknown.length ? { unknownContent: context.unknown } : {}),
    },
  };
  const secondOpinion = concordanceItem ? readConcordance(concordanceItem, dataset, reading, context) : undefined;
  return {
    reading,
    unknownContent: context.unknown,
    warnings: context.warnings,
    findingValues,
    ...(procedureReported ? { procedureReported } : {}),
    ...(secondOpinion ? { secondOpinion } : {}),
  };
}

/**
 * Reads a SecondRead second opinion SR: the second reading, the concordance, RADPEER score and
 * the reference to the first reading's SR. With `firstReading` (e.g. `importSr` of that SR) the
 * whole {@link SecondOpinion} is rebuilt.
 *
 * @throws SrImportError when the SR carries no SecondRead concordance.
 */
export function importSecondOpinionSr(
  input: ArrayBuffer | Uint8Array | NaturalDataset,
  options: SrImportOptions & { firstReading?: Reading } = {},
): SecondOpinionSrImport {
  const result = importSr(input, options);
  const part = result.secondOpinion;
  if (!part) throw new SrImportError('This SR carries no SecondRead concordance (not a second opinion SR).');
  const { opinion } = part;
  const first = options.firstReading;
  const whole: SecondOpinion | undefined = first
    ? {
        schema: 'secondread/second-opinion',
        version: opinion.version,
        id: opinion.id,
        studyUid: opinion.studyUid,
        readings: [first, result.reading],
        concordance: part.concordance,
        ...(opinion.blinding ? { blinding: opinion.blinding } : {}),
        createdAt: opinion.createdAt,
        updatedAt: opinion.updatedAt,
        ...(opinion.submittedAt !== undefined ? { submittedAt: opinion.submittedAt } : {}),
      }
    : undefined;
  return { ...result, secondOpinion: part, ...(whole ? { opinion: whole } : {}) };
}

// ---------------------------------------------------------------------------------------------

function planesOf(headers: SrImportOptions['imageHeaders']): Map<string, ImagePlane> {
  const planes = new Map<string, ImagePlane>();
  for (const header of headers ?? []) {
    const numbers = (value: unknown): number[] => multiValues(value).map(Number);
    const sop = stringValue(header.SOPInstanceUID);
    const position = numbers(header.ImagePositionPatient);
    const orientation = numbers(header.ImageOrientationPatient);
    const spacing = numbers(header.PixelSpacing);
    if (!sop || position.length !== 3 || orientation.length !== 6 || spacing.length !== 2) continue;
    if ([...position, ...orientation, ...spacing].some((n) => !Number.isFinite(n))) continue;
    planes.set(sop, {
      seriesUid: stringValue(header.SeriesInstanceUID) ?? '',
      frameOfReferenceUid: stringValue(header.FrameOfReferenceUID) ?? '',
      position: [position[0]!, position[1]!, position[2]!],
      row: [orientation[0]!, orientation[1]!, orientation[2]!],
      column: [orientation[3]!, orientation[4]!, orientation[5]!],
      spacing: [spacing[0]!, spacing[1]!],
    });
  }
  return planes;
}

/**
 * A 2D SCOORD point (column, row in pixels, 0/0 the top left corner of the top left pixel) in
 * patient coordinates: Image Position is the centre of the first pixel, hence the half pixel.
 */
function pixelToPatient(plane: ImagePlane, column: number, row: number): Vec3 {
  const x = (column - 0.5) * plane.spacing[1];
  const y = (row - 0.5) * plane.spacing[0];
  return [0, 1, 2].map((i) => plane.position[i]! + x * plane.row[i]! + y * plane.column[i]!) as unknown as Vec3;
}

/** A 2D SCOORD child (with its SELECTED FROM image) in patient coordinates, when the image's plane is known. */
function scoordGeometry(
  scoord: NaturalDataset,
  context: Context,
):
  | { graphicType: string; points: Vec3[]; frameOfReferenceUid: string; sopInstanceUid: string; seriesUid: string }
  | undefined {
  const image = childrenOf(scoord).find((c) => c.ValueType === 'IMAGE');
  const sop = image ? referencedSopOf(image)?.sopInstanceUid : undefined;
  const plane = sop ? context.planes.get(sop) : undefined;
  const data = multiValues(scoord.GraphicData).map(Number);
  if (!sop || !plane || data.length < 2 || data.length % 2 || data.some((n) => !Number.isFinite(n))) return undefined;
  const pixels: [number, number][] = [];
  for (let i = 0; i < data.length; i += 2) pixels.push([data[i]!, data[i + 1]!]);
  let graphicType = stringValue(scoord.GraphicType) ?? '';
  let points = pixels.map(([column, row]) => pixelToPatient(plane, column, row));
  if (graphicType === 'CIRCLE' && pixels.length === 2) {
    // Centre and a point on the circle: the same circle as an ellipse with two equal axes.
    const [centre, edge] = points as [Vec3, Vec3];
    const radius = Math.hypot(edge[0] - centre[0], edge[1] - centre[1], edge[2] - centre[2]);
    const along = (direction: Vec3, sign: number): Vec3 =>
      [0, 1, 2].map((i) => centre[i]! + sign * radius * direction[i]!) as unknown as Vec3;
    points = [along(plane.column, -1), along(plane.column, 1), along(plane.row, -1), along(plane.row, 1)];
    graphicType = 'ELLIPSE';
  }
  return {
    graphicType,
    points,
    frameOfReferenceUid: plane.frameOfReferenceUid,
    sopInstanceUid: sop,
    seriesUid: plane.seriesUid,
  };
}

function indexEvidence(sequence: unknown, context: Context): void {
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

function readImageLibrary(library: NaturalDataset, context: Context): void {
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
function keep(contentItem: NaturalDataset, path: readonly string[], context: Context): void {
  const concept = nameOf(contentItem);
  context.unknown.push({
    path,
    ...(typeof contentItem.RelationshipType === 'string' ? { relationshipType: contentItem.RelationshipType } : {}),
    ...(typeof contentItem.ValueType === 'string' ? { valueType: contentItem.ValueType } : {}),
    ...(concept ? { concept } : {}),
    item: jsonSafe(contentItem),
  });
}

function jsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, inner: unknown) => {
      if (key === '_vrMap') return undefined;
      if (inner instanceof ArrayBuffer || ArrayBuffer.isView(inner)) return undefined;
      return inner;
    }),
  );
}

function parseJson<T>(contentItem: NaturalDataset, context: Context, path: readonly string[]): T | undefined {
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

function personName(value: unknown): string {
  return stringValue(value) ?? '';
}

interface GroupDefaults {
  studyUid: string;
  readerId: string;
  time: string;
}

interface PendingMeasurement {
  attributes?: MeasurementAttributes;
  points?: Vec3[];
  frameOfReferenceUid?: string;
  sopInstanceUid?: string;
  values: { -readonly [K in keyof MeasurementValues]: MeasurementValues[K] };
  /** Third-party: the geometry the NUMs were inferred from. */
  geometry?: Geometry & { conceptKey?: string };
}

function readMeasurementGroup(
  group: NaturalDataset,
  index: number,
  context: Context,
  defaults: GroupDefaults,
): { finding: Finding; values: SrNumericValue[] } {
  const path = ['Imaging Measurements', 'Measurement Group'];
  let trackingIdentifier: string | undefined;
  let trackingUid: string | undefined;
  let findingCode: CodedConcept | undefined;
  let site: CodedConcept | undefined;
  let attributes: FindingAttributes | undefined;
  let comment: string | undefined;
  let segment: Finding['location']['segment'];
  const measurements: PendingMeasurement[] = [];
  const values: SrNumericValue[] = [];
  const valueMeasurement: (PendingMeasurement | undefined)[] = [];
  let current: PendingMeasurement | undefined;

  for (const child of childrenOf(group)) {
    const name = nameOf(child);
    if (sameCode(name, SR_CODES.trackingIdentifier)) trackingIdentifier = stringValue(child.TextValue);
    else if (sameCode(name, SR_CODES.trackingUniqueIdentifier)) trackingUid = stringValue(child.UID);
    else if (sameCode(name, SR_CODES.finding) && child.ValueType === 'CODE')
      findingCode = conceptOf(child.ConceptCodeSequence);
    else if (sameCode(name, SR_CODES.findingSite) && child.ValueType === 'CODE')
      site = conceptOf(child.ConceptCodeSequence);
    else if (sameCode(name, PRIVATE_CODES.findingAttributes))
      attributes = parseJson<FindingAttributes>(child, context, path);
    else if (sameCode(name, SR_CODES.comment) && child.ValueType === 'TEXT') comment = stringValue(child.TextValue);
    else if (sameCode(name, SR_CODES.referencedSegment) && child.ValueType === 'IMAGE') {
      const reference = sequenceItems(child.ReferencedSOPSequence)[0];
      const sop = referencedSopOf(child);
      const segmentNumber = Number(reference?.ReferencedSegmentNumber ?? 1);
      if (sop) {
        segment = {
          seriesUid: context.instances.get(sop.sopInstanceUid)?.seriesUid ?? '',
          sopInstanceUid: sop.sopInstanceUid,
          segmentNumber: Number.isFinite(segmentNumber) ? segmentNumber : 1,
        };
      } else keep(child, path, context);
    } else if (sameCode(name, PRIVATE_CODES.measurement) && child.ValueType === 'TEXT') {
      const parsed = parseJson<MeasurementAttributes>(child, context, path);
      current = parsed ? { attributes: parsed, values: {} } : undefined;
      if (current) {
        for (const grandChild of childrenOf(child)) {
          if (grandChild.ValueType === 'SCOORD3D') {
            current.points = pointsOf(grandChild);
            current.frameOfReferenceUid = stringValue(grandChild.ReferencedFrameOfReferenceUID) ?? '';
          } else if (grandChild.ValueType === 'IMAGE') {
            current.sopInstanceUid = referencedSopOf(grandChild)?.sopInstanceUid;
          } else keep(grandChild, [...path, 'SecondRead measurement'], context);
        }
        measurements.push(current);
      }
    } else if (child.ValueType === 'NUM') {
      const numeric = readNum(child, context, path);
      if (!numeric) continue;
      values.push(numeric.value);
      let target: PendingMeasurement | undefined;
      if (current?.attributes) {
        target = current;
      } else if (numeric.geometry && numeric.key) {
        // Third-party: NUMs inferred from the same SCOORD3D geometry form one measurement.
        const geometry = numeric.geometry;
        target = measurements.find(
          (m) =>
            !m.attributes &&
            m.geometry &&
            m.geometry.graphicType === geometry.graphicType &&
            JSON.stringify(m.geometry.points) === JSON.stringify(geometry.points),
        );
        if (!target) {
          target = { values: {}, geometry: { ...geometry, conceptKey: numeric.concept } };
          measurements.push(target);
        }
      }
      if (target && numeric.key && target.values[numeric.key] === undefined) {
        target.values[numeric.key] = numeric.value.value;
        valueMeasurement.push(target);
      } else {
        valueMeasurement.push(undefined);
      }
    } else {
      keep(child, path, context);
    }
  }

  const category: FindingCategory = keyOfCode(FINDING_CATEGORY_CODES, findingCode) ?? 'other';
  const id = attributes?.id ?? trackingUid ?? `finding-${index + 1}`;
  const built = buildMeasurements(measurements, id, defaults, context);
  const numericValues = values.map((value, i) => {
    const target = valueMeasurement[i];
    const measurementId = target ? built.idOf.get(target) : undefined;
    return measurementId ? { ...value, measurementId } : value;
  });
  const textLines: string[] = [];
  if (comment) textLines.push(comment);
  if (!attributes) {
    if (findingCode && !keyOfCode(FINDING_CATEGORY_CODES, findingCode)) {
      textLines.push(`Finding: ${findingCode.meaning} (${findingCode.scheme} ${findingCode.value})`);
    }
    for (const value of numericValues) {
      if (value.measurementId) continue;
      const modifiers = value.modifiers.map((m) => m.value.meaning).join(', ');
      textLines.push(
        `${value.concept.meaning}${modifiers ? ` (${modifiers})` : ''}: ${value.value}${value.unit ? ` ${value.unit.value}` : ''}`,
      );
    }
    const unmapped = numericValues.filter((v) => !v.measurementId).length;
    if (unmapped) {
      context.warnings.push(
        `Finding "${trackingIdentifier ?? id}": ${unmapped} value${unmapped > 1 ? 's' : ''} without a SecondRead measurement kept in the finding text and findingValues.`,
      );
    }
  }
  const description = attributes?.description ?? trackingIdentifier ?? findingCode?.meaning ?? '';
  const finding: Finding = {
    id,
    description,
    category,
    location: {
      measurements: built.measurements,
      images: attributes?.images ?? [],
      ...(site ? { site } : attributes?.site !== undefined ? { site: attributes.site } : {}),
      ...(attributes?.segment ? { segment: attributes.segment } : segment ? { segment } : {}),
    },
    ...(attributes?.severity ? { severity: attributes.severity } : {}),
    ...(textLines.length ? { text: textLines.join('\n') } : {}),
    ...(trackingUid && !attributes?.trackingUidGenerated ? { trackingUid } : {}),
    ...(attributes?.keyImages ? { keyImages: attributes.keyImages } : {}),
    ...(attributes?.createdFromMeasurement !== undefined
      ? { createdFromMeasurement: attributes.createdFromMeasurement }
      : {}),
  };
  return { finding, values: numericValues };
}

type ValueKey = keyof MeasurementValues;

interface ReadNum {
  value: SrNumericValue;
  key?: ValueKey;
  concept?: string;
  geometry?: Geometry;
}

/** Where a third-party NUM's region is (SCOORD3D, or a 2D SCOORD placed with its image's plane). */
interface Geometry {
  graphicType: string;
  points: Vec3[];
  frameOfReferenceUid: string;
  sopInstanceUid?: string;
  seriesUid?: string;
}

function readNum(contentItem: NaturalDataset, context: Context, path: readonly string[]): ReadNum | undefined {
  const concept = nameOf(contentItem);
  const measured = numValueOf(contentItem);
  if (!concept || !measured) {
    keep(contentItem, path, context);
    return undefined;
  }
  const modifiers: { name: CodedConcept; value: CodedConcept }[] = [];
  let geometry: ReadNum['geometry'];
  const regions = childrenOf(contentItem).filter((child) => child.ValueType === 'SCOORD3D');
  // Two lines (e.g. a Cobb angle) make one four-point geometry.
  if (
    regions.length === 2 &&
    regions.every((r) => stringValue(r.GraphicType) === 'POLYLINE' && pointsOf(r)?.length === 2)
  ) {
    geometry = {
      graphicType: 'TWO-LINES',
      points: regions.flatMap((r) => pointsOf(r) ?? []),
      frameOfReferenceUid: stringValue(regions[0]!.ReferencedFrameOfReferenceUID) ?? '',
    };
  }
  for (const child of childrenOf(contentItem)) {
    const childName = nameOf(child);
    const childValue = conceptOf(child.ConceptCodeSequence);
    if (child.ValueType === 'CODE' && childName && childValue) {
      modifiers.push({ name: childName, value: childValue });
    } else if (child.ValueType === 'SCOORD3D' && !geometry) {
      const points = pointsOf(child);
      if (points) {
        geometry = {
          graphicType: stringValue(child.GraphicType) ?? '',
          points,
          frameOfReferenceUid: stringValue(child.ReferencedFrameOfReferenceUID) ?? '',
        };
      }
    } else if (child.ValueType === 'SCOORD' && !geometry) {
      geometry = scoordGeometry(child, context);
    }
    // Other children (2D SCOORD, images, a second SCOORD3D) are part of the NUM kept in findingValues' source.
  }
  const derivation = modifiers.find((m) => sameCode(m.name, SR_CODES.derivation))?.value;
  const key = valueKeyOf(concept, measured.unit, derivation);
  const value: SrNumericValue = {
    concept,
    value: measured.value,
    ...(measured.unit ? { unit: measured.unit } : {}),
    modifiers,
  };
  const conceptKey =
    sameCode(concept, MEASUREMENT_CODES.longAxis) || sameCode(concept, MEASUREMENT_CODES.shortAxis)
      ? 'axis'
      : undefined;
  return {
    value,
    ...(key ? { key } : {}),
    ...(conceptKey ? { concept: conceptKey } : {}),
    ...(geometry ? { geometry } : {}),
  };
}

/** Which {@link MeasurementValues} key a NUM maps to, from its concept, unit and derivation. */
function valueKeyOf(
  concept: CodedConcept,
  unit: CodedConcept | undefined,
  derivation: CodedConcept | undefined,
): ValueKey | undefined {
  const is = (c: CodedConcept): boolean => sameCode(concept, c);
  const unitIs = (u: CodedConcept): boolean => !!unit && unit.value === u.value && unit.scheme === u.scheme;
  if (unitIs(UNIT_CODES.mm)) {
    if (is(MEASUREMENT_CODES.length) || is(MEASUREMENT_CODES.longAxis)) return 'lengthMm';
    if (is(MEASUREMENT_CODES.shortAxis)) return 'shortAxisMm';
  }
  if (unitIs(UNIT_CODES.deg) && (is(MEASUREMENT_CODES.angle) || is(MEASUREMENT_CODES.cobbAngle))) return 'angleDeg';
  if (unitIs(UNIT_CODES.mm2) && is(MEASUREMENT_CODES.area)) return 'areaMm2';
  if (unitIs(UNIT_CODES.pixels) && is(MEASUREMENT_CODES.pixelCount)) return 'pixelCount';
  if (unitIs(UNIT_CODES.hu)) {
    const statistic = is(MEASUREMENT_CODES.attenuationCoefficient) ? derivation : concept;
    if (!statistic) return is(MEASUREMENT_CODES.attenuationCoefficient) ? 'hu' : undefined;
    if (sameCode(statistic, MEASUREMENT_CODES.mean)) return 'meanHu';
    if (sameCode(statistic, MEASUREMENT_CODES.standardDeviation)) return 'stdHu';
    if (sameCode(statistic, MEASUREMENT_CODES.minimum)) return 'minHu';
    if (sameCode(statistic, MEASUREMENT_CODES.maximum)) return 'maxHu';
  }
  return undefined;
}

function buildMeasurements(
  pending: readonly PendingMeasurement[],
  findingId: string,
  defaults: GroupDefaults,
  context: Context,
): { measurements: Measurement[]; idOf: Map<PendingMeasurement, string> } {
  const measurements: Measurement[] = [];
  const idOf = new Map<PendingMeasurement, string>();
  // Third-party bidirectional: a Long Axis and a Short Axis line become one measurement.
  const axes = pending.filter((p) => !p.attributes && p.geometry?.conceptKey === 'axis');
  const long = axes.find((p) => p.values.lengthMm !== undefined && p.geometry?.points.length === 2);
  const short = axes.find((p) => p.values.shortAxisMm !== undefined && p.geometry?.points.length === 2);
  for (const p of pending) {
    if (p === short && long) continue;
    const values: MeasurementValues = p === long && short ? { ...p.values, ...short.values } : { ...p.values };
    if (p.attributes) {
      const a = p.attributes;
      const points = p.points ?? a.points;
      if (!points) {
        context.warnings.push(
          `Measurement ${a.id} has no coordinates: dropped from the finding, its values kept in findingValues.`,
        );
        continue;
      }
      const sop = p.sopInstanceUid ?? a.sopInstanceUid;
      measurements.push({
        id: a.id,
        kind: a.kind,
        points,
        studyUid: a.studyUid,
        seriesUid: a.seriesUid,
        sopInstanceUid: sop,
        frameOfReferenceUid: p.frameOfReferenceUid ?? '',
        values,
        label: a.label,
        readerId: a.readerId,
        createdAt: a.createdAt,
        updatedAt: a.updatedAt,
        ...(a.text !== undefined ? { text: a.text } : {}),
        ...(a.locked !== undefined ? { locked: a.locked } : {}),
        ...(a.imageOrientationPatient ? { imageOrientationPatient: a.imageOrientationPatient } : {}),
      });
      idOf.set(p, a.id);
      continue;
    }
    const geometry = p.geometry;
    if (!geometry) continue;
    const shape = shapeOf(
      geometry.graphicType,
      geometry.points,
      p === long && short ? short.geometry?.points : undefined,
    );
    if (!shape) {
      context.warnings.push(
        `A ${geometry.graphicType} region with ${geometry.points.length} points has no SecondRead measurement kind: values kept in findingValues.`,
      );
      continue;
    }
    const id = `${findingId}-m${measurements.length + 1}`;
    measurements.push({
      id,
      kind: shape.kind,
      points: shape.points,
      studyUid: defaults.studyUid,
      seriesUid: geometry.seriesUid ?? '',
      sopInstanceUid: geometry.sopInstanceUid ?? '',
      frameOfReferenceUid: geometry.frameOfReferenceUid,
      values,
      label: '',
      readerId: defaults.readerId,
      createdAt: defaults.time,
      updatedAt: defaults.time,
    });
    idOf.set(p, id);
    if (p === long && short) idOf.set(short, id);
  }
  return { measurements, idOf };
}

function shapeOf(
  graphicType: string,
  points: readonly Vec3[],
  shortAxis: readonly Vec3[] | undefined,
): { kind: Measurement['kind']; points: Vec3[] } | undefined {
  const open =
    points.length > 1 && JSON.stringify(points[0]) === JSON.stringify(points[points.length - 1])
      ? points.slice(0, -1)
      : [...points];
  if (shortAxis && points.length === 2) return { kind: 'bidirectional', points: [...points, ...shortAxis] };
  switch (graphicType) {
    case 'TWO-LINES':
      return points.length === 4 ? { kind: 'cobb-angle', points: [...points] } : undefined;
    case 'POINT':
      return points.length === 1 ? { kind: 'probe', points: [...points] } : undefined;
    case 'POLYLINE':
      if (points.length === 2) return { kind: 'length', points: [...points] };
      if (points.length === 3) return { kind: 'angle', points: [...points] };
      return open.length >= 3 ? { kind: 'freehand-roi', points: open } : undefined;
    case 'POLYGON':
      return open.length >= 3 ? { kind: 'freehand-roi', points: open } : undefined;
    case 'ELLIPSE':
      return points.length === 4 ? { kind: 'ellipse-roi', points: [...points] } : undefined;
    default:
      return undefined;
  }
}

function readConcordance(
  container: NaturalDataset,
  dataset: NaturalDataset,
  second: Reading,
  context: Context,
): SecondOpinionSrPart | undefined {
  const path = ['Second opinion concordance'];
  let opinion: OpinionAttributes | undefined;
  let firstReadingId = '';
  let secondReadingId = second.id;
  let matchThresholdMm = 0;
  let radpeer: Concordance['radpeer'];
  let peerLearningComment: string | undefined;
  const pairs: FindingPair[] = [];
  for (const child of childrenOf(container)) {
    const name = nameOf(child);
    if (sameCode(name, PRIVATE_CODES.opinionAttributes)) opinion = parseJson<OpinionAttributes>(child, context, path);
    else if (sameCode(name, PRIVATE_CODES.firstReadingId)) firstReadingId = stringValue(child.TextValue) ?? '';
    else if (sameCode(name, PRIVATE_CODES.secondReadingId)) secondReadingId = stringValue(child.TextValue) ?? '';
    else if (sameCode(name, PRIVATE_CODES.firstReadingReport)) continue;
    else if (sameCode(name, PRIVATE_CODES.matchThreshold)) matchThresholdMm = numValueOf(child)?.value ?? 0;
    else if (sameCode(name, PRIVATE_CODES.radpeerScore))
      radpeer = keyOfCode(RADPEER_CODES, conceptOf(child.ConceptCodeSequence));
    else if (sameCode(name, PRIVATE_CODES.peerLearningComment)) peerLearningComment = stringValue(child.TextValue);
    else if (sameCode(name, PRIVATE_CODES.findingPair)) {
      const pair = readPair(child, context);
      if (pair) pairs.push(pair);
    } else keep(child, path, context);
  }
  if (!opinion) return undefined;
  const [pertinent] = sequenceItems(dataset.PertinentOtherEvidenceSequence);
  const [series] = sequenceItems(pertinent?.ReferencedSeriesSequence);
  const [sop] = sequenceItems(series?.ReferencedSOPSequence);
  const firstSopUid = stringValue(sop?.ReferencedSOPInstanceUID);
  const concordance: Concordance = {
    firstReadingId: firstReadingId || opinion.firstReadingId,
    secondReadingId,
    pairs,
    matchThresholdMm,
    ...(radpeer ? { radpeer } : {}),
    ...(peerLearningComment !== undefined ? { peerLearningComment } : {}),
  };
  return {
    concordance,
    opinion,
    ...(firstSopUid
      ? {
          firstReadingSr: {
            studyUid: stringValue(pertinent?.StudyInstanceUID) ?? '',
            seriesUid: stringValue(series?.SeriesInstanceUID) ?? '',
            sopInstanceUid: firstSopUid,
          },
        }
      : {}),
  };
}

function readPair(container: NaturalDataset, context: Context): FindingPair | undefined {
  const pair: {
    -readonly [K in keyof FindingPair]?: FindingPair[K];
  } = {};
  for (const child of childrenOf(container)) {
    const name = nameOf(child);
    const code = conceptOf(child.ConceptCodeSequence);
    if (sameCode(name, PRIVATE_CODES.firstFindingId)) pair.firstFindingId = stringValue(child.TextValue) ?? '';
    else if (sameCode(name, PRIVATE_CODES.secondFindingId)) pair.secondFindingId = stringValue(child.TextValue) ?? '';
    else if (
      sameCode(name, PRIVATE_CODES.firstFindingTrackingUid) ||
      sameCode(name, PRIVATE_CODES.secondFindingTrackingUid)
    )
      continue;
    else if (sameCode(name, PRIVATE_CODES.matchMethod)) pair.method = keyOfCode(MATCH_METHOD_CODES, code);
    else if (sameCode(name, PRIVATE_CODES.verdict)) pair.verdict = keyOfCode(VERDICT_CODES, code);
    else if (sameCode(name, PRIVATE_CODES.distance)) pair.distanceMm = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.overlap)) pair.overlap = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.sizeDelta)) pair.sizeDeltaMm = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.sizeDeltaPercent)) pair.sizeDeltaPercent = numValueOf(child)?.value;
    else if (sameCode(name, PRIVATE_CODES.confirmed)) pair.confirmed = sameCode(code, SR_CODES.yes);
    else if (sameCode(name, PRIVATE_CODES.pairComment)) pair.comment = stringValue(child.TextValue) ?? '';
    else keep(child, ['Second opinion concordance', 'Finding pair'], context);
  }
  if (!pair.method || !pair.verdict) {
    context.warnings.push('A finding pair without method or verdict was kept as unknown content.');
    keep(container, ['Second opinion concordance'], context);
    return undefined;
  }
  const defined = Object.fromEntries(Object.entries(pair).filter(([, v]) => v !== undefined));
  return { confirmed: false, ...defined } as FindingPair;
}
