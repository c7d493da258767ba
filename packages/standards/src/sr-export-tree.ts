/**
 * The content tree of an exported SR: TID 1500 measurement groups of findings and their
 * measurements (SCOORD3D regions), the observer context, and the private concordance container
 * of a second opinion. {@link exportReadingSr} puts them into the dataset (`sr-export.ts`).
 */
import {
  FINDING_CATEGORY_CODES,
  type CodedConcept,
  type Concordance,
  type Finding,
  type FindingPair,
  type Measurement,
  type Reading,
  type Vec3,
} from '@secondread/core';
import {
  MATCH_METHOD_CODES,
  MEASUREMENT_CODES,
  PRIVATE_CODES,
  RADPEER_CODES,
  SR_CODES,
  UNIT_CODES,
  VERDICT_CODES,
} from './codes.js';
import { PERSON_NAME_MAX_BYTES, toPersonName, uidFromName, type NaturalDataset } from './dicom.js';
import {
  codeItem,
  compositeItem,
  containerItem,
  imageItem,
  numItem,
  pnameItem,
  scoord3dItem,
  textItem,
  uidrefItem,
  type GraphicType3D,
} from './sr-content.js';

import type { FindingAttributes, MeasurementAttributes, OpinionAttributes } from './sr-export.js';

/** SOP Class UID of Comprehensive 3D SR Storage. */
export const COMPREHENSIVE_3D_SR_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.88.34';
/** SOP Class UID of CT Image Storage, assumed for referenced images whose header is not given. */
export const CT_IMAGE_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.2';

export function concordanceItem(
  concordance: Concordance,
  attributes: OpinionAttributes,
  first: Reading | undefined,
  second: Reading,
  firstSrUid: string | undefined,
): NaturalDataset {
  const children: NaturalDataset[] = [
    textItem('CONTAINS', PRIVATE_CODES.opinionAttributes, JSON.stringify(attributes)),
    textItem('CONTAINS', PRIVATE_CODES.firstReadingId, concordance.firstReadingId),
    textItem('CONTAINS', PRIVATE_CODES.secondReadingId, concordance.secondReadingId),
  ];
  if (firstSrUid) {
    children.push(
      compositeItem('CONTAINS', PRIVATE_CODES.firstReadingReport, COMPREHENSIVE_3D_SR_SOP_CLASS_UID, firstSrUid),
    );
  }
  children.push(numItem('CONTAINS', PRIVATE_CODES.matchThreshold, concordance.matchThresholdMm, UNIT_CODES.mm));
  if (concordance.radpeer) {
    children.push(codeItem('CONTAINS', PRIVATE_CODES.radpeerScore, RADPEER_CODES[concordance.radpeer]));
  }
  if (concordance.peerLearningComment) {
    children.push(textItem('CONTAINS', PRIVATE_CODES.peerLearningComment, concordance.peerLearningComment));
  }
  for (const pair of concordance.pairs) children.push(pairItem(pair, first, second));
  return containerItem('CONTAINS', PRIVATE_CODES.concordance, children);
}

export function pairItem(pair: FindingPair, first: Reading | undefined, second: Reading): NaturalDataset {
  const children: NaturalDataset[] = [];
  if (pair.firstFindingId !== undefined) {
    children.push(textItem('CONTAINS', PRIVATE_CODES.firstFindingId, pair.firstFindingId));
    const uid = first?.findings.find((f) => f.id === pair.firstFindingId)?.trackingUid;
    if (uid) children.push(uidrefItem('CONTAINS', PRIVATE_CODES.firstFindingTrackingUid, uid));
  }
  if (pair.secondFindingId !== undefined) {
    children.push(textItem('CONTAINS', PRIVATE_CODES.secondFindingId, pair.secondFindingId));
    const uid = second.findings.find((f) => f.id === pair.secondFindingId)?.trackingUid;
    if (uid) children.push(uidrefItem('CONTAINS', PRIVATE_CODES.secondFindingTrackingUid, uid));
  }
  children.push(codeItem('CONTAINS', PRIVATE_CODES.matchMethod, MATCH_METHOD_CODES[pair.method]));
  children.push(codeItem('CONTAINS', PRIVATE_CODES.verdict, VERDICT_CODES[pair.verdict]));
  if (pair.distanceMm !== undefined) {
    children.push(numItem('CONTAINS', PRIVATE_CODES.distance, pair.distanceMm, UNIT_CODES.mm));
  }
  if (pair.overlap !== undefined)
    children.push(numItem('CONTAINS', PRIVATE_CODES.overlap, pair.overlap, UNIT_CODES.ratio));
  if (pair.sizeDeltaMm !== undefined) {
    children.push(numItem('CONTAINS', PRIVATE_CODES.sizeDelta, pair.sizeDeltaMm, UNIT_CODES.mm));
  }
  if (pair.sizeDeltaPercent !== undefined) {
    children.push(numItem('CONTAINS', PRIVATE_CODES.sizeDeltaPercent, pair.sizeDeltaPercent, UNIT_CODES.percent));
  }
  children.push(codeItem('CONTAINS', PRIVATE_CODES.confirmed, pair.confirmed ? SR_CODES.yes : SR_CODES.no));
  if (pair.comment) children.push(textItem('CONTAINS', PRIVATE_CODES.pairComment, pair.comment));
  return containerItem('CONTAINS', PRIVATE_CODES.findingPair, children);
}

/**
 * The Person Observer Name (PNAME) of a reader, and — when the name does not fit a DICOM person
 * name (over 64 bytes, or with the PN delimiters `^ = \` or control characters) — the whole name
 * in a private "Person Observer full name" TEXT item beside it, which import prefers. The PNAME
 * then holds the name cut to 64 bytes with those characters as spaces, so that other software
 * still shows a readable name.
 */
export function observerNameItems(name: string, warnings: string[]): NaturalDataset[] {
  const pn = toPersonName(name);
  const items = [pnameItem('HAS OBS CONTEXT', SR_CODES.personObserverName, pn.value)];
  if (!pn.exact) {
    items.push(textItem('HAS OBS CONTEXT', PRIVATE_CODES.personObserverFullName, name));
    warnings.push(
      pn.truncated
        ? `The reader name is longer than a DICOM person name (${PERSON_NAME_MAX_BYTES} bytes): Person Observer Name holds its first ${PERSON_NAME_MAX_BYTES} bytes, the whole name is in the "${PRIVATE_CODES.personObserverFullName.meaning}" text item.`
        : `The reader name has characters a DICOM person name cannot hold (^ = \\ or control characters): Person Observer Name has spaces for them, the whole name is in the "${PRIVATE_CODES.personObserverFullName.meaning}" text item.`,
    );
  }
  return items;
}

export function findingGroup(reading: Reading, finding: Finding, sopClassOf: (sop: string) => string): NaturalDataset {
  const trackingIdentifier = finding.description || finding.id;
  // A finding without a tracking UID gets one derived from its identity, stable across exports.
  const trackingUid = finding.trackingUid ?? uidFromName(`secondread:${reading.studyUid}:${reading.id}:${finding.id}`);
  const site = finding.location.site;
  const attributes: FindingAttributes = { id: finding.id };
  if (finding.description !== trackingIdentifier) attributes.description = finding.description;
  if (finding.severity) attributes.severity = finding.severity;
  if (typeof site === 'string') attributes.site = site;
  if (!finding.trackingUid) attributes.trackingUidGenerated = true;
  if (finding.location.images.length) attributes.images = finding.location.images;
  if (finding.location.segment) attributes.segment = finding.location.segment;
  if (finding.keyImages) attributes.keyImages = finding.keyImages;
  if (finding.createdFromMeasurement !== undefined) attributes.createdFromMeasurement = finding.createdFromMeasurement;

  const children: NaturalDataset[] = [
    textItem('HAS OBS CONTEXT', SR_CODES.trackingIdentifier, trackingIdentifier),
    uidrefItem('HAS OBS CONTEXT', SR_CODES.trackingUniqueIdentifier, trackingUid),
    codeItem('CONTAINS', SR_CODES.finding, FINDING_CATEGORY_CODES[finding.category]),
  ];
  if (site && typeof site !== 'string') children.push(codeItem('HAS CONCEPT MOD', SR_CODES.findingSite, site));
  children.push(textItem('CONTAINS', PRIVATE_CODES.findingAttributes, JSON.stringify(attributes)));
  if (finding.text) children.push(textItem('CONTAINS', SR_CODES.comment, finding.text));
  for (const measurement of finding.location.measurements) children.push(...measurementItems(measurement, sopClassOf));
  return containerItem('CONTAINS', SR_CODES.measurementGroup, children, '1501');
}

/** The items of one measurement: its private descriptor (raw points, source image), then its NUMs. */
export function measurementItems(m: Measurement, sopClassOf: (sop: string) => string): NaturalDataset[] {
  const hasFrame = m.frameOfReferenceUid !== '';
  const attributes: MeasurementAttributes = {
    id: m.id,
    kind: m.kind,
    label: m.label,
    readerId: m.readerId,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    studyUid: m.studyUid,
    seriesUid: m.seriesUid,
    sopInstanceUid: m.sopInstanceUid,
  };
  if (m.text !== undefined) attributes.text = m.text;
  if (m.locked !== undefined) attributes.locked = m.locked;
  if (m.imageOrientationPatient) attributes.imageOrientationPatient = m.imageOrientationPatient;
  if (!hasFrame) attributes.points = m.points;

  const descriptorChildren: NaturalDataset[] = [];
  if (hasFrame) {
    descriptorChildren.push(
      scoord3dItem(
        'INFERRED FROM',
        SR_CODES.imageRegion,
        m.points.length === 1 ? 'POINT' : 'MULTIPOINT',
        m.points,
        m.frameOfReferenceUid,
      ),
    );
  }
  if (m.sopInstanceUid) {
    descriptorChildren.push(
      imageItem('INFERRED FROM', SR_CODES.sourceImage, sopClassOf(m.sopInstanceUid), m.sopInstanceUid),
    );
  }
  const items = [textItem('CONTAINS', PRIVATE_CODES.measurement, JSON.stringify(attributes), descriptorChildren)];

  const region = (graphicType: GraphicType3D, points: readonly Vec3[]): NaturalDataset[] =>
    hasFrame ? [scoord3dItem('INFERRED FROM', SR_CODES.imageRegion, graphicType, points, m.frameOfReferenceUid)] : [];
  const geometry = regionsOf(m);
  const v = m.values;
  const push = (
    name: CodedConcept,
    value: number | undefined,
    unit: CodedConcept,
    children: NaturalDataset[],
  ): void => {
    if (value !== undefined && Number.isFinite(value)) items.push(numItem('CONTAINS', name, value, unit, children));
  };
  const derived = (derivation: CodedConcept): NaturalDataset[] => [
    codeItem('HAS CONCEPT MOD', SR_CODES.derivation, derivation),
    ...geometry.flatMap(([type, points]) => region(type, points)),
  ];
  const whole = geometry.flatMap(([type, points]) => region(type, points));
  if (m.kind === 'bidirectional') {
    const [p0, p1, p2, p3] = m.points;
    push(MEASUREMENT_CODES.longAxis, v.lengthMm, UNIT_CODES.mm, p0 && p1 ? region('POLYLINE', [p0, p1]) : []);
    push(MEASUREMENT_CODES.shortAxis, v.shortAxisMm, UNIT_CODES.mm, p2 && p3 ? region('POLYLINE', [p2, p3]) : []);
  } else if (m.kind === 'cobb-angle') {
    push(MEASUREMENT_CODES.cobbAngle, v.angleDeg, UNIT_CODES.deg, whole);
  } else {
    push(MEASUREMENT_CODES.length, v.lengthMm, UNIT_CODES.mm, whole);
    push(MEASUREMENT_CODES.angle, v.angleDeg, UNIT_CODES.deg, whole);
  }
  push(MEASUREMENT_CODES.area, v.areaMm2, UNIT_CODES.mm2, whole);
  push(MEASUREMENT_CODES.attenuationCoefficient, v.meanHu, UNIT_CODES.hu, derived(MEASUREMENT_CODES.mean));
  push(MEASUREMENT_CODES.attenuationCoefficient, v.stdHu, UNIT_CODES.hu, derived(MEASUREMENT_CODES.standardDeviation));
  push(MEASUREMENT_CODES.attenuationCoefficient, v.minHu, UNIT_CODES.hu, derived(MEASUREMENT_CODES.minimum));
  push(MEASUREMENT_CODES.attenuationCoefficient, v.maxHu, UNIT_CODES.hu, derived(MEASUREMENT_CODES.maximum));
  push(MEASUREMENT_CODES.attenuationCoefficient, v.hu, UNIT_CODES.hu, whole);
  push(MEASUREMENT_CODES.pixelCount, v.pixelCount, UNIT_CODES.pixels, whole);
  return items;
}

/** The standard SCOORD3D geometry of a measurement (what a third-party viewer draws). */
function regionsOf(m: Measurement): [GraphicType3D, Vec3[]][] {
  const points = [...m.points];
  const [p0, p1, p2, p3] = points;
  switch (m.kind) {
    case 'length':
    case 'angle':
    case 'arrow':
      return [['POLYLINE', points]];
    case 'cobb-angle':
      return p0 && p1 && p2 && p3
        ? [
            ['POLYLINE', [p0, p1]],
            ['POLYLINE', [p2, p3]],
          ]
        : [['MULTIPOINT', points]];
    case 'bidirectional':
      return [['MULTIPOINT', points]];
    case 'ellipse-roi': {
      if (!p0 || !p1 || !p2 || !p3) return [['MULTIPOINT', points]];
      // ELLIPSE: the major axis first, then the minor axis (PS3.3 C.18.9.1.2).
      return distance(p0, p1) >= distance(p2, p3) ? [['ELLIPSE', [p0, p1, p2, p3]]] : [['ELLIPSE', [p2, p3, p0, p1]]];
    }
    case 'rectangle-roi':
      return p0 && p1
        ? [['POLYGON', closed(rectangleCorners(p0, p1, m.imageOrientationPatient))]]
        : [['MULTIPOINT', points]];
    case 'freehand-roi':
      return [['POLYGON', closed(points)]];
    case 'probe':
    case 'label':
      return p0 ? [['POINT', [p0]]] : [];
  }
}

const distance = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const closed = (points: Vec3[]): Vec3[] => (points.length ? [...points, points[0]!] : points);

/** The four corners of a rectangle given two opposite corners, with sides along the image rows and columns. */
function rectangleCorners(a: Vec3, b: Vec3, orientation: Measurement['imageOrientationPatient']): Vec3[] {
  const row: Vec3 = orientation ? [orientation[0], orientation[1], orientation[2]] : [1, 0, 0];
  const column: Vec3 = orientation ? [orientation[3], orientation[4], orientation[5]] : [0, 1, 0];
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const along = d[0] * row[0] + d[1] * row[1] + d[2] * row[2];
  const c1: Vec3 = [a[0] + along * row[0], a[1] + along * row[1], a[2] + along * row[2]];
  const down = d[0] * column[0] + d[1] * column[1] + d[2] * column[2];
  const c3: Vec3 = [a[0] + down * column[0], a[1] + down * column[1], a[2] + down * column[2]];
  return [a, c1, b, c3];
}
