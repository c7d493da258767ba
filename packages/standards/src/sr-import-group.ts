/**
 * One TID 1500 Measurement Group (TID 1411/1410) as a {@link Finding}: tracking identifiers,
 * finding and site codes, SecondRead's own measurement items, and third-party NUMs mapped to
 * {@link MeasurementValues} and grouped by the region they were measured on.
 */
import {
  FINDING_CATEGORY_CODES,
  type CodedConcept,
  type Finding,
  type FindingCategory,
  type Measurement,
  type MeasurementValues,
  type Vec3,
} from '@secondread/core';
import { MEASUREMENT_CODES, PRIVATE_CODES, SR_CODES, UNIT_CODES, keyOfCode, sameCode } from './codes.js';
import { sequenceItems, stringValue, type NaturalDataset } from './dicom.js';
import { childrenOf, conceptOf, nameOf, numValueOf, pointsOf, referencedSopOf } from './sr-content.js';
import type { FindingAttributes, MeasurementAttributes } from './sr-export.js';
import { keep, parseJson, type Context } from './sr-import-context.js';
import { scoordGeometry, shapeOf, type Geometry } from './sr-import-regions.js';
import type { SrNumericValue } from './sr-import-types.js';

export interface GroupDefaults {
  studyUid: string;
  readerId: string;
  time: string;
}

export interface PendingMeasurement {
  attributes?: MeasurementAttributes;
  points?: Vec3[];
  frameOfReferenceUid?: string;
  sopInstanceUid?: string;
  values: { -readonly [K in keyof MeasurementValues]: MeasurementValues[K] };
  /** Third-party: the geometry the NUMs were inferred from. */
  geometry?: Geometry & { conceptKey?: string };
}

export function readMeasurementGroup(
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

export type ValueKey = keyof MeasurementValues;

export interface ReadNum {
  value: SrNumericValue;
  key?: ValueKey;
  concept?: string;
  geometry?: Geometry;
}

export function readNum(contentItem: NaturalDataset, context: Context, path: readonly string[]): ReadNum | undefined {
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
export function valueKeyOf(
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

export function buildMeasurements(
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
