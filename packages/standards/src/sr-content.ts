/**
 * Typed builders and readers for SR content items in dcmjs' naturalized form. The builders
 * return plain datasets (`RelationshipType`, `ValueType`, `ConceptNameCodeSequence`, the value
 * attributes, `ContentSequence`); dcmjs encodes them.
 */
import type { CodedConcept, Vec3 } from '@secondread/core';
import {
  formatDecimalString,
  multiValues,
  numberValue,
  sequenceItems,
  stringValue,
  type NaturalDataset,
} from './dicom.js';

/** SR relationship types (PS3.3 C.17.3.2.4). */
export type RelationshipType =
  | 'CONTAINS'
  | 'HAS OBS CONTEXT'
  | 'HAS CONCEPT MOD'
  | 'HAS PROPERTIES'
  | 'HAS ACQ CONTEXT'
  | 'INFERRED FROM'
  | 'SELECTED FROM';

/** SCOORD3D graphic types (PS3.3 C.18.9.1.2). */
export type GraphicType3D = 'POINT' | 'MULTIPOINT' | 'POLYLINE' | 'POLYGON' | 'ELLIPSE' | 'ELLIPSOID';

/** A code sequence item for a concept. */
export function codeSequenceItem(concept: CodedConcept): NaturalDataset {
  return { CodeValue: concept.value, CodingSchemeDesignator: concept.scheme, CodeMeaning: concept.meaning };
}

function item(
  relationship: RelationshipType | undefined,
  valueType: string,
  name: CodedConcept | undefined,
  values: NaturalDataset,
  children: readonly NaturalDataset[] = [],
): NaturalDataset {
  const dataset: NaturalDataset = {};
  if (relationship) dataset.RelationshipType = relationship;
  dataset.ValueType = valueType;
  if (name) dataset.ConceptNameCodeSequence = [codeSequenceItem(name)];
  Object.assign(dataset, values);
  if (children.length) dataset.ContentSequence = [...children];
  return dataset;
}

/** A CONTAINER content item (SEPARATE continuity), optionally identifying its DCMR template. */
export function containerItem(
  relationship: RelationshipType | undefined,
  name: CodedConcept,
  children: readonly NaturalDataset[],
  templateId?: string,
): NaturalDataset {
  const values: NaturalDataset = { ContinuityOfContent: 'SEPARATE' };
  if (templateId) values.ContentTemplateSequence = [{ MappingResource: 'DCMR', TemplateIdentifier: templateId }];
  return item(relationship, 'CONTAINER', name, values, children);
}

/** A TEXT content item (the value must not be empty). */
export function textItem(
  relationship: RelationshipType,
  name: CodedConcept,
  value: string,
  children: readonly NaturalDataset[] = [],
): NaturalDataset {
  return item(relationship, 'TEXT', name, { TextValue: value }, children);
}

/** A CODE content item. */
export function codeItem(
  relationship: RelationshipType,
  name: CodedConcept,
  value: CodedConcept,
  children: readonly NaturalDataset[] = [],
): NaturalDataset {
  return item(relationship, 'CODE', name, { ConceptCodeSequence: [codeSequenceItem(value)] }, children);
}

/**
 * A NUM content item. The value goes in Numeric Value (DS, 16 characters) and, when DS cannot
 * hold it exactly, also in Floating Point Value (FD), so no precision is lost.
 */
export function numItem(
  relationship: RelationshipType,
  name: CodedConcept,
  value: number,
  unit: CodedConcept,
  children: readonly NaturalDataset[] = [],
): NaturalDataset {
  const decimal = formatDecimalString(value);
  const measured: NaturalDataset = {
    MeasurementUnitsCodeSequence: [codeSequenceItem(unit)],
    NumericValue: decimal,
  };
  if (Number(decimal) !== value) measured.FloatingPointValue = value;
  return item(relationship, 'NUM', name, { MeasuredValueSequence: [measured] }, children);
}

/** A UIDREF content item. */
export function uidrefItem(relationship: RelationshipType, name: CodedConcept, uid: string): NaturalDataset {
  return item(relationship, 'UIDREF', name, { UID: uid });
}

/** A PNAME content item. */
export function pnameItem(relationship: RelationshipType, name: CodedConcept, personName: string): NaturalDataset {
  return item(relationship, 'PNAME', name, { PersonName: personName });
}

/** An IMAGE content item referencing one instance (and frame). */
export function imageItem(
  relationship: RelationshipType,
  name: CodedConcept | undefined,
  sopClassUid: string,
  sopInstanceUid: string,
  frame?: number,
): NaturalDataset {
  const reference: NaturalDataset = { ReferencedSOPClassUID: sopClassUid, ReferencedSOPInstanceUID: sopInstanceUid };
  if (frame !== undefined) reference.ReferencedFrameNumber = String(frame);
  return item(relationship, 'IMAGE', name, { ReferencedSOPSequence: [reference] });
}

/** A COMPOSITE content item referencing one instance. */
export function compositeItem(
  relationship: RelationshipType,
  name: CodedConcept,
  sopClassUid: string,
  sopInstanceUid: string,
): NaturalDataset {
  return item(relationship, 'COMPOSITE', name, {
    ReferencedSOPSequence: [{ ReferencedSOPClassUID: sopClassUid, ReferencedSOPInstanceUID: sopInstanceUid }],
  });
}

/** A SCOORD3D content item: points in patient coordinates (mm) of one frame of reference. */
export function scoord3dItem(
  relationship: RelationshipType,
  name: CodedConcept | undefined,
  graphicType: GraphicType3D,
  points: readonly Vec3[],
  frameOfReferenceUid: string,
): NaturalDataset {
  return item(relationship, 'SCOORD3D', name, {
    GraphicType: graphicType,
    GraphicData: points.flatMap((point) => [...point]),
    ReferencedFrameOfReferenceUID: frameOfReferenceUid,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The concept of a code sequence (first item), if complete. */
export function conceptOf(sequence: unknown): CodedConcept | undefined {
  const [first] = sequenceItems(sequence);
  if (!first) return undefined;
  const value = stringValue(first.CodeValue) ?? stringValue(first.LongCodeValue) ?? stringValue(first.URNCodeValue);
  const scheme = stringValue(first.CodingSchemeDesignator) ?? '';
  const meaning = stringValue(first.CodeMeaning) ?? '';
  return value === undefined ? undefined : { value, scheme, meaning };
}

/** The concept name of a content item. */
export function nameOf(contentItem: NaturalDataset): CodedConcept | undefined {
  return conceptOf(contentItem.ConceptNameCodeSequence);
}

/** The children of a content item. */
export function childrenOf(contentItem: NaturalDataset): NaturalDataset[] {
  return sequenceItems(contentItem.ContentSequence);
}

/** A NUM item's value (Floating Point Value when present, else Numeric Value) and unit. */
export function numValueOf(contentItem: NaturalDataset): { value: number; unit?: CodedConcept } | undefined {
  const [measured] = sequenceItems(contentItem.MeasuredValueSequence);
  if (!measured) return undefined;
  const value = numberValue(measured.FloatingPointValue) ?? numberValue(measured.NumericValue);
  if (value === undefined) return undefined;
  const unit = conceptOf(measured.MeasurementUnitsCodeSequence);
  return unit ? { value, unit } : { value };
}

/** The points of a SCOORD3D item, or undefined when malformed. */
export function pointsOf(contentItem: NaturalDataset): Vec3[] | undefined {
  const data = multiValues(contentItem.GraphicData).map(Number);
  if (data.length === 0 || data.length % 3 !== 0 || data.some((n) => !Number.isFinite(n))) return undefined;
  const points: Vec3[] = [];
  for (let i = 0; i < data.length; i += 3) points.push([data[i]!, data[i + 1]!, data[i + 2]!]);
  return points;
}

/** The first referenced SOP of an IMAGE/COMPOSITE item. */
export function referencedSopOf(
  contentItem: NaturalDataset,
): { sopClassUid?: string; sopInstanceUid: string; frame?: number } | undefined {
  const [reference] = sequenceItems(contentItem.ReferencedSOPSequence);
  const sopInstanceUid = stringValue(reference?.ReferencedSOPInstanceUID);
  if (!reference || !sopInstanceUid) return undefined;
  const sopClassUid = stringValue(reference.ReferencedSOPClassUID);
  const frame = numberValue(reference.ReferencedFrameNumber);
  return {
    sopInstanceUid,
    ...(sopClassUid ? { sopClassUid } : {}),
    ...(frame !== undefined ? { frame } : {}),
  };
}
