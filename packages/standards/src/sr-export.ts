/**
 * DICOM SR export: a {@link Reading} as a Comprehensive 3D SR following TID 1500 "Imaging
 * Measurement Report", and a second opinion as the second reading's SR that also references the
 * first reading's SR and carries the concordance and RADPEER score. See `docs/sr-mapping.md`.
 */
import {
  FINDING_CATEGORY_CODES,
  type CodedConcept,
  type Concordance,
  type Finding,
  type FindingPair,
  type Measurement,
  type Reading,
  type SecondOpinion,
  type Vec3,
} from '@secondread/core';
import {
  MATCH_METHOD_CODES,
  MEASUREMENT_CODES,
  PRIVATE_CODES,
  RADPEER_CODES,
  ROLE_CODES,
  SECONDREAD_SCHEME_IDENTIFICATION,
  SR_CODES,
  UNIT_CODES,
  VERDICT_CODES,
} from './codes.js';
import {
  PERSON_NAME_MAX_BYTES,
  isoToDicomDate,
  isoToDicomTime,
  newUid,
  toPersonName,
  uidFromName,
  writePart10,
  type NaturalDataset,
} from './dicom.js';
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

/** SOP Class UID of Comprehensive 3D SR Storage. */
export const COMPREHENSIVE_3D_SR_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.88.34';
/** SOP Class UID of CT Image Storage, assumed for referenced images whose header is not given. */
export const CT_IMAGE_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.2';

/**
 * A referenced image's header in naturalized form (keyword → value, as dcmjs or
 * `naturalizeDicomJson` give it). Only the keywords below are read.
 */
export interface ReferencedImageHeader {
  readonly SOPInstanceUID?: unknown;
  readonly SOPClassUID?: unknown;
  readonly PatientName?: unknown;
  readonly PatientID?: unknown;
  readonly IssuerOfPatientID?: unknown;
  readonly PatientBirthDate?: unknown;
  readonly PatientSex?: unknown;
  readonly StudyDate?: unknown;
  readonly StudyTime?: unknown;
  readonly StudyID?: unknown;
  readonly AccessionNumber?: unknown;
  readonly ReferringPhysicianName?: unknown;
  readonly StudyDescription?: unknown;
  readonly [keyword: string]: unknown;
}

/** Patient identity given by the host, used only when {@link SrExportOptions.allowPatientIdentity} is true. */
export interface SrPatient {
  readonly name?: string;
  readonly id?: string;
  readonly issuerOfId?: string;
  /** DICOM DA `YYYYMMDD`. */
  readonly birthDate?: string;
  /** `M`, `F` or `O`. */
  readonly sex?: string;
}

/** Options of {@link exportReadingSr}. */
export interface SrExportOptions {
  /**
   * Copy the patient and study identity (name, ID, birth date, sex, accession number, study
   * date, referring physician...) from {@link patient} and {@link referencedImageHeaders}.
   * Default false: those type 2 attributes are written empty, which the SR IOD permits.
   */
  readonly allowPatientIdentity?: boolean;
  /** Patient identity from the host (takes precedence over the image headers). */
  readonly patient?: SrPatient;
  /**
   * Headers of the referenced images: their SOP Class UIDs are used in the references (CT Image
   * Storage is assumed otherwise) and, when allowed, their patient/study attributes are copied.
   */
  readonly referencedImageHeaders?: readonly ReferencedImageHeader[];
  /** Series Instance UID of the SR (a new UID by default). */
  readonly seriesInstanceUid?: string;
  /** SOP Instance UID of the SR (a new UID by default). */
  readonly sopInstanceUid?: string;
  /** Default 1. */
  readonly instanceNumber?: number;
  /** Default 9001. */
  readonly seriesNumber?: number;
  /** "Procedure reported"; default (25045-6, LN, "CT unspecified body region"). */
  readonly procedureReported?: CodedConcept;
  /** Instance creation time (ISO 8601); default now. */
  readonly now?: string;
  /** Software version written in the equipment module; default the package version. */
  readonly softwareVersion?: string;
}

/** Options of {@link exportSecondOpinionSr}. */
export interface SecondOpinionSrExportOptions extends SrExportOptions {
  /**
   * The first reading's SR when it is not in `first.source` (an SR imported or stored earlier):
   * it is referenced as pertinent other evidence.
   */
  readonly firstReadingSr?: { readonly studyUid: string; readonly seriesUid: string; readonly sopInstanceUid: string };
}

/** What an export produces: the Part 10 bytes, the dataset they encode, and its UIDs. */
export interface SrExport {
  readonly buffer: ArrayBuffer;
  readonly dataset: NaturalDataset;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  /**
   * What the SR could not hold as given, and how it was kept instead (e.g. a reader name longer
   * than a DICOM person name). Empty for most readings. The texts name no person.
   */
  readonly warnings: readonly string[];
}

/** Attributes of a measurement that TID 1500 has no row for (private "SecondRead measurement" item). */
export interface MeasurementAttributes {
  id: string;
  kind: Measurement['kind'];
  label: string;
  readerId: string;
  createdAt: string;
  updatedAt: string;
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  text?: string;
  locked?: boolean;
  imageOrientationPatient?: Measurement['imageOrientationPatient'];
  /** Only when the measurement has no frame of reference (SCOORD3D needs one). */
  points?: Measurement['points'];
}

/** Attributes of a finding that TID 1500 has no row for (private "SecondRead finding attributes" item). */
export interface FindingAttributes {
  id: string;
  /** Only when it differs from the Tracking Identifier (empty descriptions). */
  description?: string;
  severity?: Finding['severity'];
  /** A free-text site (a coded site is written as Finding Site). */
  site?: string;
  /** True when the Tracking Unique Identifier was generated at export (the finding had none). */
  trackingUidGenerated?: boolean;
  images?: Finding['location']['images'];
  segment?: Finding['location']['segment'];
  keyImages?: Finding['keyImages'];
  createdFromMeasurement?: boolean;
}

/** Attributes of a reading that TID 1500 has no row for (private "SecondRead reading attributes" item). */
export interface ReadingAttributes {
  id: string;
  status: Reading['status'];
  createdAt: string;
  updatedAt: string;
  finalizedAt?: string;
}

/** Attributes of a second opinion kept with its concordance (private "SecondRead second opinion attributes"). */
export interface OpinionAttributes {
  id: string;
  version: string;
  studyUid: string;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  blinding?: SecondOpinion['blinding'];
  firstReadingId: string;
}

const PACKAGE_VERSION = '0.1.0';

/**
 * Exports a reading as a DICOM Comprehensive 3D SR (TID 1500). The SR goes into the reading's
 * study (Study Instance UID = `reading.studyUid`), in a new series unless one is given.
 */
export function exportReadingSr(reading: Reading, options: SrExportOptions = {}): SrExport {
  return buildSr(reading, options, [], []);
}

/**
 * Exports the second reading of a second opinion as a Comprehensive 3D SR (TID 1500) that also
 * carries the concordance (one "Finding pair" container per pair, with verdict, method and
 * deltas), the RADPEER score and the peer learning comment as private coded evaluations, and
 * references the first reading's SR as pertinent other evidence when it is known.
 */
export function exportSecondOpinionSr(opinion: SecondOpinion, options: SecondOpinionSrExportOptions = {}): SrExport {
  const { concordance } = opinion;
  const second = opinion.readings.find((r) => r.id === concordance.secondReadingId);
  const first = opinion.readings.find((r) => r.id === concordance.firstReadingId);
  if (!second) throw new Error(`Second opinion ${opinion.id}: no reading ${concordance.secondReadingId}`);
  const firstSr =
    options.firstReadingSr ??
    (first?.source?.kind === 'sr' && first.source.sopInstanceUid && first.source.seriesUid
      ? {
          studyUid: first.source.studyUid ?? first.studyUid,
          seriesUid: first.source.seriesUid,
          sopInstanceUid: first.source.sopInstanceUid,
        }
      : undefined);
  const pertinent: NaturalDataset[] = firstSr
    ? [
        {
          StudyInstanceUID: firstSr.studyUid,
          ReferencedSeriesSequence: [
            {
              SeriesInstanceUID: firstSr.seriesUid,
              ReferencedSOPSequence: [
                {
                  ReferencedSOPClassUID: COMPREHENSIVE_3D_SR_SOP_CLASS_UID,
                  ReferencedSOPInstanceUID: firstSr.sopInstanceUid,
                },
              ],
            },
          ],
        },
      ]
    : [];
  const attributes: OpinionAttributes = {
    id: opinion.id,
    version: opinion.version,
    studyUid: opinion.studyUid,
    createdAt: opinion.createdAt,
    updatedAt: opinion.updatedAt,
    firstReadingId: concordance.firstReadingId,
    ...(opinion.submittedAt !== undefined ? { submittedAt: opinion.submittedAt } : {}),
    ...(opinion.blinding !== undefined ? { blinding: opinion.blinding } : {}),
  };
  const concordanceContainer = concordanceItem(concordance, attributes, first, second, firstSr?.sopInstanceUid);
  return buildSr(second, options, [concordanceContainer], pertinent);
}

function concordanceItem(
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

function pairItem(pair: FindingPair, first: Reading | undefined, second: Reading): NaturalDataset {
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

interface ImageRef {
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  frame?: number;
}

function buildSr(
  reading: Reading,
  options: SrExportOptions,
  extraContent: readonly NaturalDataset[],
  pertinentOtherEvidence: readonly NaturalDataset[],
): SrExport {
  const headers = options.referencedImageHeaders ?? [];
  const sopClassOf = (sopInstanceUid: string): string => {
    const header = headers.find((h) => String(h.SOPInstanceUID ?? '') === sopInstanceUid);
    return header?.SOPClassUID ? String(header.SOPClassUID) : CT_IMAGE_SOP_CLASS_UID;
  };
  const images = collectImages(reading, sopClassOf);

  const warnings: string[] = [];
  const content: NaturalDataset[] = [
    codeItem('HAS CONCEPT MOD', SR_CODES.languageOfContent, SR_CODES.englishUs),
    codeItem('HAS OBS CONTEXT', SR_CODES.observerType, SR_CODES.person),
    ...observerNameItems(reading.reader.name, warnings),
  ];
  if (reading.reader.institution) {
    content.push(textItem('HAS OBS CONTEXT', SR_CODES.personObserverOrganization, reading.reader.institution));
  }
  content.push(codeItem('HAS OBS CONTEXT', SR_CODES.personObserverRoleInProcedure, ROLE_CODES[reading.role]));
  if (reading.reader.id) content.push(textItem('HAS OBS CONTEXT', SR_CODES.identifierWithinRole, reading.reader.id));
  content.push(
    codeItem('HAS CONCEPT MOD', SR_CODES.procedureReported, options.procedureReported ?? SR_CODES.ctUnspecified),
  );

  const libraryEntries = images.map((image) =>
    imageItem('CONTAINS', undefined, image.sopClassUid, image.sopInstanceUid, image.frame),
  );
  content.push(
    containerItem(
      'CONTAINS',
      SR_CODES.imageLibrary,
      libraryEntries.length
        ? [
            containerItem('CONTAINS', SR_CODES.imageLibraryGroup, [
              codeItem('HAS ACQ CONTEXT', SR_CODES.modality, SR_CODES.ctModality),
              ...libraryEntries,
            ]),
          ]
        : [],
    ),
  );
  if (reading.findings.length) {
    content.push(
      containerItem(
        'CONTAINS',
        SR_CODES.imagingMeasurements,
        reading.findings.map((finding) => findingGroup(reading, finding, sopClassOf)),
      ),
    );
  }
  const evaluations: NaturalDataset[] = [];
  if (reading.impression) evaluations.push(textItem('CONTAINS', SR_CODES.impression, reading.impression));
  if (reading.recommendations) {
    evaluations.push(textItem('CONTAINS', SR_CODES.recommendation, reading.recommendations));
  }
  if (evaluations.length) content.push(containerItem('CONTAINS', SR_CODES.qualitativeEvaluations, evaluations));
  const readingAttributes: ReadingAttributes = {
    id: reading.id,
    status: reading.status,
    createdAt: reading.createdAt,
    updatedAt: reading.updatedAt,
    ...(reading.finalizedAt !== undefined ? { finalizedAt: reading.finalizedAt } : {}),
  };
  content.push(textItem('CONTAINS', PRIVATE_CODES.readingAttributes, JSON.stringify(readingAttributes)));
  content.push(...extraContent);

  const now = options.now ?? new Date().toISOString();
  const seriesInstanceUid = options.seriesInstanceUid ?? newUid();
  const sopInstanceUid = options.sopInstanceUid ?? newUid();
  const identity = options.allowPatientIdentity ? identityAttributes(options) : emptyIdentity();

  const dataset: NaturalDataset = {
    SOPClassUID: COMPREHENSIVE_3D_SR_SOP_CLASS_UID,
    SOPInstanceUID: sopInstanceUid,
    InstanceCreationDate: isoToDicomDate(now),
    InstanceCreationTime: isoToDicomTime(now),
    TimezoneOffsetFromUTC: '+0000',
    CodingSchemeIdentificationSequence: [{ ...SECONDREAD_SCHEME_IDENTIFICATION }],
    // Patient and General Study modules (type 2 attributes empty unless identity is allowed).
    ...identity,
    StudyInstanceUID: reading.studyUid,
    // SR Document Series module.
    Modality: 'SR',
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: String(options.seriesNumber ?? 9001),
    SeriesDescription: `SecondRead ${reading.role} reading`,
    ReferencedPerformedProcedureStepSequence: [],
    // General and Enhanced General Equipment modules.
    Manufacturer: 'SecondRead',
    ManufacturerModelName: '@secondread/standards',
    DeviceSerialNumber: 'none',
    SoftwareVersions: options.softwareVersion ?? PACKAGE_VERSION,
    // SR Document General module.
    InstanceNumber: String(options.instanceNumber ?? 1),
    CompletionFlag: reading.status === 'draft' ? 'PARTIAL' : 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: isoToDicomDate(reading.createdAt),
    ContentTime: isoToDicomTime(reading.createdAt),
    PerformedProcedureCodeSequence: [],
    // SR Document Content module: the root container.
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [
      {
        CodeValue: SR_CODES.imagingMeasurementReport.value,
        CodingSchemeDesignator: SR_CODES.imagingMeasurementReport.scheme,
        CodeMeaning: SR_CODES.imagingMeasurementReport.meaning,
      },
    ],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: content,
  };
  if (images.length) dataset.CurrentRequestedProcedureEvidenceSequence = evidenceSequence(images);
  if (pertinentOtherEvidence.length) dataset.PertinentOtherEvidenceSequence = [...pertinentOtherEvidence];
  // dcmjs writes text as UTF-8: declare it only when needed (the default repertoire is ASCII).
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(JSON.stringify(dataset))) dataset.SpecificCharacterSet = 'ISO_IR 192';

  return {
    buffer: writePart10(dataset),
    dataset,
    studyInstanceUid: reading.studyUid,
    seriesInstanceUid,
    sopInstanceUid,
    warnings,
  };
}

/**
 * The Person Observer Name (PNAME) of a reader, and — when the name does not fit a DICOM person
 * name (over 64 bytes, or with the PN delimiters `^ = \` or control characters) — the whole name
 * in a private "Person Observer full name" TEXT item beside it, which import prefers. The PNAME
 * then holds the name cut to 64 bytes with those characters as spaces, so that other software
 * still shows a readable name.
 */
function observerNameItems(name: string, warnings: string[]): NaturalDataset[] {
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

function emptyIdentity(): NaturalDataset {
  return {
    PatientName: '',
    PatientID: '',
    PatientBirthDate: '',
    PatientSex: '',
    StudyDate: '',
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: '',
  };
}

function identityAttributes(options: SrExportOptions): NaturalDataset {
  const header = options.referencedImageHeaders?.[0] ?? {};
  const text = (value: unknown): string => {
    if (value == null) return '';
    const first = Array.isArray(value) ? (value as unknown[])[0] : value;
    if (first && typeof first === 'object' && 'Alphabetic' in first) {
      return String((first as { Alphabetic?: unknown }).Alphabetic ?? '');
    }
    return first == null ? '' : String(first);
  };
  const patient = options.patient;
  const dataset: NaturalDataset = {
    PatientName: patient?.name ?? text(header.PatientName),
    PatientID: patient?.id ?? text(header.PatientID),
    PatientBirthDate: patient?.birthDate ?? text(header.PatientBirthDate),
    PatientSex: patient?.sex ?? text(header.PatientSex),
    StudyDate: text(header.StudyDate),
    StudyTime: text(header.StudyTime),
    ReferringPhysicianName: text(header.ReferringPhysicianName),
    StudyID: text(header.StudyID),
    AccessionNumber: text(header.AccessionNumber),
  };
  const issuer = patient?.issuerOfId ?? text(header.IssuerOfPatientID);
  if (issuer) dataset.IssuerOfPatientID = issuer;
  const description = text(header.StudyDescription);
  if (description) dataset.StudyDescription = description;
  return dataset;
}

function collectImages(reading: Reading, sopClassOf: (sop: string) => string): ImageRef[] {
  const images = new Map<string, ImageRef>();
  const add = (studyUid: string, seriesUid: string, sopInstanceUid: string, frame?: number): void => {
    if (!sopInstanceUid) return;
    const key = `${sopInstanceUid}#${frame ?? ''}`;
    if (images.has(key)) return;
    images.set(key, {
      studyUid,
      seriesUid,
      sopInstanceUid,
      sopClassUid: sopClassOf(sopInstanceUid),
      ...(frame !== undefined ? { frame } : {}),
    });
  };
  for (const finding of reading.findings) {
    for (const m of finding.location.measurements) add(m.studyUid, m.seriesUid, m.sopInstanceUid);
    for (const image of finding.location.images)
      add(image.studyUid, image.seriesUid, image.sopInstanceUid, image.frame);
  }
  return [...images.values()];
}

function evidenceSequence(images: readonly ImageRef[]): NaturalDataset[] {
  const studies = new Map<string, Map<string, Map<string, string>>>();
  for (const image of images) {
    const series = studies.get(image.studyUid) ?? new Map<string, Map<string, string>>();
    studies.set(image.studyUid, series);
    const sops = series.get(image.seriesUid) ?? new Map<string, string>();
    series.set(image.seriesUid, sops);
    sops.set(image.sopInstanceUid, image.sopClassUid);
  }
  return [...studies].map(([studyUid, series]) => ({
    StudyInstanceUID: studyUid,
    ReferencedSeriesSequence: [...series].map(([seriesUid, sops]) => ({
      SeriesInstanceUID: seriesUid,
      ReferencedSOPSequence: [...sops].map(([sop, sopClass]) => ({
        ReferencedSOPClassUID: sopClass,
        ReferencedSOPInstanceUID: sop,
      })),
    })),
  }));
}

function findingGroup(reading: Reading, finding: Finding, sopClassOf: (sop: string) => string): NaturalDataset {
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
function measurementItems(m: Measurement, sopClassOf: (sop: string) => string): NaturalDataset[] {
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
