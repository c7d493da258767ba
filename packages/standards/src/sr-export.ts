/**
 * DICOM SR export: a {@link Reading} as a Comprehensive 3D SR following TID 1500 "Imaging
 * Measurement Report", and a second opinion as the second reading's SR that also references the
 * first reading's SR and carries the concordance and RADPEER score. See `docs/sr-mapping.md`.
 */
import { type CodedConcept, type Finding, type Measurement, type Reading, type SecondOpinion } from '@secondread/core';
import { PRIVATE_CODES, ROLE_CODES, SECONDREAD_SCHEME_IDENTIFICATION, SR_CODES } from './codes.js';
import { isoToDicomDate, isoToDicomTime, newUid, writePart10, type NaturalDataset } from './dicom.js';
import { codeItem, containerItem, imageItem, textItem } from './sr-content.js';
import {
  COMPREHENSIVE_3D_SR_SOP_CLASS_UID,
  CT_IMAGE_SOP_CLASS_UID,
  concordanceItem,
  findingGroup,
  observerNameItems,
} from './sr-export-tree.js';

export { COMPREHENSIVE_3D_SR_SOP_CLASS_UID, CT_IMAGE_SOP_CLASS_UID } from './sr-export-tree.js';

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
  /**
   * The SR(s) this one amends or replaces: written as Predecessor Documents Sequence
   * (0040,A360) of the SR Document General module, which DICOM requires when an SR is created by
   * modifying other SR instances (PS3.3 C.17.2). An amended report is a new SOP instance; the
   * earlier one stays on the PACS, referenced from here.
   */
  readonly predecessorDocuments?: readonly SrReference[];
}

/** Where an SR instance is: its study, series and SOP Instance UID (and SOP class, Comprehensive 3D SR by default). */
export interface SrReference {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid?: string;
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
  if (options.predecessorDocuments?.length) {
    dataset.PredecessorDocumentsSequence = hierarchicalReferences(options.predecessorDocuments);
  }
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

/** SR references as items of the Hierarchical SOP Instance Reference macro, one per study. */
function hierarchicalReferences(references: readonly SrReference[]): NaturalDataset[] {
  return evidenceSequence(
    references.map((r) => ({
      studyUid: r.studyUid,
      seriesUid: r.seriesUid,
      sopInstanceUid: r.sopInstanceUid,
      sopClassUid: r.sopClassUid ?? COMPREHENSIVE_3D_SR_SOP_CLASS_UID,
    })),
  );
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
