/**
 * FHIR R4 export of a second opinion: a Bundle (type `collection`) holding a DiagnosticReport
 * for the second reading, the readers as Practitioners, one Observation per finding (with its
 * measurements as members) and per measurement (UCUM `valueQuantity`), and the concordance and
 * RADPEER score as Observations. Types from `@types/fhir` (`fhir/r4`).
 */
import type {
  Attachment,
  Bundle,
  BundleEntry,
  CodeableConcept,
  Coding,
  DiagnosticReport,
  FhirResource,
  Observation,
  ObservationComponent,
  Practitioner,
  Quantity,
  Reference,
} from 'fhir/r4';
import {
  FINDING_CATEGORY_CODES,
  type CodedConcept,
  type Finding,
  type FollowUpSummary,
  type Measurement,
  type Reading,
  type SecondOpinion,
} from '@secondread/core';
import {
  MATCH_METHOD_CODES,
  MEASUREMENT_CODES,
  PRIVATE_CODES,
  RADPEER_CODES,
  ROLE_CODES,
  SECONDREAD_SCHEME,
  UNIT_CODES,
  VERDICT_CODES,
} from './codes.js';
import { newUid } from './dicom.js';

/** FHIR code system URIs of the coding schemes we write. */
export const FHIR_CODE_SYSTEMS: Readonly<Record<string, string>> = {
  SCT: 'http://snomed.info/sct',
  SRT: 'http://snomed.info/srt',
  LN: 'http://loinc.org',
  DCM: 'http://dicom.nema.org/resources/ontology/DCM',
  UCUM: 'http://unitsofmeasure.org',
  UMLS: 'http://terminology.hl7.org/CodeSystem/umls',
  [SECONDREAD_SCHEME]: 'urn:secondread:codes',
};

/** Options of {@link exportFhirBundle}. */
export interface FhirExportOptions {
  /** The patient (or group) the report is about. Left out unless the host gives one. */
  readonly subject?: Reference;
  /** The ImagingStudy; by default a logical reference by Study Instance UID (`urn:oid:`). */
  readonly imagingStudyReference?: Reference;
  /** The printable report (e.g. PDF or HTML), base64. */
  readonly presentedForm?: { readonly contentType: string; readonly data: string; readonly title?: string };
  /** Identifier system of `Reader.id` values. Default `urn:secondread:reader`. */
  readonly readerIdentifierSystem?: string;
  /** Bundle timestamp (ISO 8601); default now. */
  readonly now?: string;
  /**
   * A follow-up comparison (`<opinion-report>.followUpSummary`): adds one Observation per
   * reader's Lung-RADS category (suggestion as a component) or Fleischner recommendation, and
   * one per nodule of the second reader's growth table. Codes are private (`urn:secondread:codes`,
   * see `PRIVATE_CODES`): no standard code is claimed.
   */
  readonly followup?: FollowUpSummary;
}

const IMAGING_CATEGORY: CodeableConcept = {
  coding: [
    { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'imaging', display: 'Imaging' },
  ],
};
const RADIOLOGY_CATEGORY: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'RAD', display: 'Radiology' }],
};
/** DiagnosticReport.code: LOINC 18748-4 "Diagnostic imaging study". */
export const DIAGNOSTIC_IMAGING_STUDY: CodeableConcept = {
  coding: [{ system: 'http://loinc.org', code: '18748-4', display: 'Diagnostic imaging study' }],
};

/** A coded concept as a FHIR Coding. */
export function toCoding(concept: CodedConcept): Coding {
  return {
    system: FHIR_CODE_SYSTEMS[concept.scheme] ?? `urn:dicom:coding-scheme:${concept.scheme}`,
    code: concept.value,
    display: concept.meaning,
  };
}

const concept = (c: CodedConcept): CodeableConcept => ({ coding: [toCoding(c)], text: c.meaning });

function quantity(value: number, unit: CodedConcept): Quantity {
  return { value, unit: unit.meaning, system: 'http://unitsofmeasure.org', code: unit.value };
}

const urn = (): string => `urn:uuid:${globalThis.crypto.randomUUID()}`;

/**
 * Exports a second opinion as a FHIR R4 Bundle. The DiagnosticReport is the second reading's:
 * status `final` (or `amended`; `preliminary` while a draft), code LOINC 18748-4, effective
 * time, the second reader as results interpreter, the imaging study, the impression as
 * conclusion, the printable report as presented form; its results are the findings'
 * Observations and the concordance Observations.
 */
export function exportFhirBundle(opinion: SecondOpinion, options: FhirExportOptions = {}): Bundle {
  const second = opinion.readings.find((r) => r.id === opinion.concordance.secondReadingId);
  if (!second) throw new Error(`Second opinion ${opinion.id}: no reading ${opinion.concordance.secondReadingId}`);
  const first = opinion.readings.find((r) => r.id === opinion.concordance.firstReadingId);
  const entries: BundleEntry<FhirResource>[] = [];
  const add = <T extends FhirResource>(resource: T): Reference => {
    const fullUrl = urn();
    entries.push({ fullUrl, resource });
    return { reference: fullUrl };
  };
  const imagingStudy: Reference = options.imagingStudyReference ?? {
    type: 'ImagingStudy',
    identifier: { system: 'urn:dicom:uid', value: `urn:oid:${opinion.studyUid}` },
  };
  const observationStatus: Observation['status'] =
    second.status === 'draft' ? 'preliminary' : second.status === 'amended' ? 'amended' : 'final';
  const subject = options.subject ? { subject: options.subject } : {};

  const interpreter = add(practitioner(second, options));
  const findingObservation = new Map<string, Reference>();
  const results: Reference[] = [];
  for (const finding of second.findings) {
    const members = finding.location.measurements
      .map((m) => measurementObservation(m, finding, observationStatus, second, interpreter, subject))
      .filter((o): o is Observation => o !== undefined)
      .map((o) => add(o));
    const reference = add(findingObservationOf(finding, members, observationStatus, second, interpreter, subject));
    findingObservation.set(finding.id, reference);
    results.push(reference);
  }
  results.push(
    ...concordanceObservations(opinion, first, findingObservation, observationStatus, second, interpreter, subject).map(
      (o) => add(o),
    ),
  );

  if (options.followup) {
    results.push(
      ...followUpObservations(options.followup, observationStatus, second, interpreter, subject).map((o) => add(o)),
    );
  }

  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    identifier: [{ system: 'urn:secondread:second-opinion', value: opinion.id }],
    status: second.status === 'draft' ? 'preliminary' : second.status === 'amended' ? 'amended' : 'final',
    category: [RADIOLOGY_CATEGORY],
    code: DIAGNOSTIC_IMAGING_STUDY,
    ...subject,
    effectiveDateTime: second.createdAt,
    issued: opinion.submittedAt ?? second.finalizedAt ?? second.updatedAt,
    resultsInterpreter: [{ ...interpreter, display: second.reader.name }],
    imagingStudy: [imagingStudy],
    result: results,
    ...(second.impression ? { conclusion: second.impression } : {}),
    ...(options.presentedForm ? { presentedForm: [presentedForm(options.presentedForm)] } : {}),
  };
  const reportEntry: BundleEntry<FhirResource> = { fullUrl: urn(), resource: report };
  return {
    resourceType: 'Bundle',
    identifier: { system: 'urn:dicom:uid', value: `urn:oid:${newUid()}` },
    type: 'collection',
    timestamp: options.now ?? new Date().toISOString(),
    entry: [reportEntry, ...entries],
  };
}

function presentedForm(form: NonNullable<FhirExportOptions['presentedForm']>): Attachment {
  return { contentType: form.contentType, data: form.data, ...(form.title ? { title: form.title } : {}) };
}

function practitioner(reading: Reading, options: FhirExportOptions): Practitioner {
  return {
    resourceType: 'Practitioner',
    ...(reading.reader.id
      ? {
          identifier: [{ system: options.readerIdentifierSystem ?? 'urn:secondread:reader', value: reading.reader.id }],
        }
      : {}),
    name: [{ text: reading.reader.name }],
  };
}

type SubjectPart = { subject?: Reference };

function findingObservationOf(
  finding: Finding,
  members: Reference[],
  status: Observation['status'],
  reading: Reading,
  performer: Reference,
  subject: SubjectPart,
): Observation {
  const site = finding.location.site;
  const notes = [finding.description, finding.text].filter((t): t is string => !!t);
  return {
    resourceType: 'Observation',
    ...(finding.trackingUid
      ? { identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${finding.trackingUid}` }] }
      : {}),
    status,
    category: [IMAGING_CATEGORY],
    code: concept(FINDING_CATEGORY_CODES[finding.category]),
    ...subject,
    effectiveDateTime: reading.createdAt,
    performer: [performer],
    ...(site ? { bodySite: typeof site === 'string' ? { text: site } : concept(site) } : {}),
    ...(finding.severity ? { interpretation: [{ text: finding.severity }] } : {}),
    ...(notes.length ? { note: notes.map((text) => ({ text })) } : {}),
    ...(members.length ? { hasMember: members } : {}),
  };
}

/** One Observation per measurement: the main value as valueQuantity, the others as components. */
function measurementObservation(
  m: Measurement,
  finding: Finding,
  status: Observation['status'],
  reading: Reading,
  performer: Reference,
  subject: SubjectPart,
): Observation | undefined {
  const v = m.values;
  const values: [CodedConcept, number | undefined, CodedConcept][] = [
    [m.kind === 'bidirectional' ? MEASUREMENT_CODES.longAxis : MEASUREMENT_CODES.length, v.lengthMm, UNIT_CODES.mm],
    [MEASUREMENT_CODES.shortAxis, v.shortAxisMm, UNIT_CODES.mm],
    [m.kind === 'cobb-angle' ? MEASUREMENT_CODES.cobbAngle : MEASUREMENT_CODES.angle, v.angleDeg, UNIT_CODES.deg],
    [MEASUREMENT_CODES.area, v.areaMm2, UNIT_CODES.mm2],
    [MEASUREMENT_CODES.mean, v.meanHu, UNIT_CODES.hu],
    [MEASUREMENT_CODES.standardDeviation, v.stdHu, UNIT_CODES.hu],
    [MEASUREMENT_CODES.minimum, v.minHu, UNIT_CODES.hu],
    [MEASUREMENT_CODES.maximum, v.maxHu, UNIT_CODES.hu],
    [MEASUREMENT_CODES.attenuationCoefficient, v.hu, UNIT_CODES.hu],
    [MEASUREMENT_CODES.pixelCount, v.pixelCount, UNIT_CODES.pixels],
  ];
  const present = values.filter((entry): entry is [CodedConcept, number, CodedConcept] => entry[1] !== undefined);
  const [main, ...rest] = present;
  if (!main && !m.text) return undefined;
  const components: ObservationComponent[] = rest.map(([code, value, unit]) => ({
    code: concept(code),
    valueQuantity: quantity(value, unit),
  }));
  const site = finding.location.site;
  return {
    resourceType: 'Observation',
    identifier: [{ system: 'urn:secondread:measurement', value: m.id }],
    status,
    category: [IMAGING_CATEGORY],
    code: main ? concept(main[0]) : { text: m.kind },
    ...subject,
    effectiveDateTime: m.updatedAt || reading.createdAt,
    performer: [performer],
    ...(main ? { valueQuantity: quantity(main[1], main[2]) } : { valueString: m.text ?? '' }),
    ...(site ? { bodySite: typeof site === 'string' ? { text: site } : concept(site) } : {}),
    method: { text: m.kind },
    ...(m.label || (main && m.text)
      ? { note: [{ text: [m.label, main ? m.text : undefined].filter(Boolean).join(': ') }] }
      : {}),
    ...(components.length ? { component: components } : {}),
  };
}

function concordanceObservations(
  opinion: SecondOpinion,
  first: Reading | undefined,
  secondFindings: ReadonlyMap<string, Reference>,
  status: Observation['status'],
  reading: Reading,
  performer: Reference,
  subject: SubjectPart,
): Observation[] {
  const { concordance } = opinion;
  const observations: Observation[] = [];
  const base = {
    resourceType: 'Observation' as const,
    status,
    category: [IMAGING_CATEGORY],
    ...subject,
    effectiveDateTime: reading.updatedAt,
    performer: [performer],
  };
  if (concordance.radpeer) {
    observations.push({
      ...base,
      code: concept(PRIVATE_CODES.radpeerScore),
      valueCodeableConcept: concept(RADPEER_CODES[concordance.radpeer]),
      ...(concordance.peerLearningComment ? { note: [{ text: concordance.peerLearningComment }] } : {}),
    });
  }
  for (const pair of concordance.pairs) {
    const firstFinding = first?.findings.find((f) => f.id === pair.firstFindingId);
    const components: ObservationComponent[] = [
      { code: concept(PRIVATE_CODES.matchMethod), valueCodeableConcept: concept(MATCH_METHOD_CODES[pair.method]) },
      { code: concept(PRIVATE_CODES.confirmed), valueBoolean: pair.confirmed },
    ];
    if (pair.distanceMm !== undefined) {
      components.push({
        code: concept(PRIVATE_CODES.distance),
        valueQuantity: quantity(pair.distanceMm, UNIT_CODES.mm),
      });
    }
    if (pair.overlap !== undefined) {
      components.push({
        code: concept(PRIVATE_CODES.overlap),
        valueQuantity: quantity(pair.overlap, UNIT_CODES.ratio),
      });
    }
    if (pair.sizeDeltaMm !== undefined) {
      components.push({
        code: concept(PRIVATE_CODES.sizeDelta),
        valueQuantity: quantity(pair.sizeDeltaMm, UNIT_CODES.mm),
      });
    }
    if (pair.sizeDeltaPercent !== undefined) {
      components.push({
        code: concept(PRIVATE_CODES.sizeDeltaPercent),
        valueQuantity: quantity(pair.sizeDeltaPercent, UNIT_CODES.percent),
      });
    }
    if (firstFinding) {
      components.push({
        code: concept(PRIVATE_CODES.firstFindingId),
        valueString: firstFinding.description || firstFinding.id,
      });
    }
    const secondReference = pair.secondFindingId ? secondFindings.get(pair.secondFindingId) : undefined;
    observations.push({
      ...base,
      code: concept(PRIVATE_CODES.verdict),
      valueCodeableConcept: concept(VERDICT_CODES[pair.verdict]),
      ...(secondReference ? { focus: [secondReference] } : {}),
      ...(pair.comment ? { note: [{ text: pair.comment }] } : {}),
      component: components,
    });
  }
  return observations;
}

const privateValue = (value: string, display?: string): CodeableConcept => ({
  coding: [{ system: FHIR_CODE_SYSTEMS[SECONDREAD_SCHEME], code: value, ...(display ? { display } : {}) }],
  text: value,
});

/** The follow-up Observations (see {@link FhirExportOptions.followup}). */
function followUpObservations(
  summary: FollowUpSummary,
  status: Observation['status'],
  reading: Reading,
  performer: Reference,
  subject: SubjectPart,
): Observation[] {
  const base = {
    resourceType: 'Observation' as const,
    status,
    category: [IMAGING_CATEGORY],
    ...subject,
    effectiveDateTime: reading.updatedAt,
    performer: [performer],
  };
  const interval: ObservationComponent = {
    code: concept(PRIVATE_CODES.followUpInterval),
    valueQuantity: quantity(summary.intervalDays, UNIT_CODES.day),
  };
  const observations: Observation[] = [];
  for (const reader of summary.readers) {
    const role: ObservationComponent = {
      code: concept(PRIVATE_CODES.readerRole),
      valueCodeableConcept: concept(ROLE_CODES[reader.role]),
    };
    if (reader.assessment) {
      const a = reader.assessment;
      const components: ObservationComponent[] = [role, interval];
      if (a.suggested)
        components.push({
          code: concept(PRIVATE_CODES.lungRadsSuggested),
          valueCodeableConcept: privateValue(a.suggested),
        });
      if (a.suggestedRule) components.push({ code: concept(PRIVATE_CODES.lungRadsRule), valueString: a.suggestedRule });
      if (a.significantOtherFindings !== undefined) {
        components.push({ code: concept(PRIVATE_CODES.lungRadsSModifier), valueBoolean: a.significantOtherFindings });
      }
      observations.push({
        ...base,
        code: concept(PRIVATE_CODES.lungRadsCategory),
        valueCodeableConcept: privateValue(a.category, `Lung-RADS ${a.category}`),
        component: components,
        ...(reader.role === 'second' && summary.discrepancy ? { note: [{ text: summary.discrepancy }] } : {}),
      });
    }
    if (reader.fleischner) {
      observations.push({
        ...base,
        code: concept(PRIVATE_CODES.fleischnerRecommendation),
        valueString: reader.fleischner.recommendation,
        component: [role, interval, { code: concept(PRIVATE_CODES.lungRadsRule), valueString: reader.fleischner.rule }],
      });
    }
    if (reader.role !== 'second') continue;
    for (const row of reader.rows) {
      const g = row.growth;
      const components: ObservationComponent[] = [
        interval,
        { code: concept(PRIVATE_CODES.growthStatus), valueString: g.status },
      ];
      const push = (code: CodedConcept, value: number | undefined, unit: CodedConcept): void => {
        if (value !== undefined) components.push({ code: concept(code), valueQuantity: quantity(value, unit) });
      };
      push(PRIVATE_CODES.priorMeanDiameter, g.prior?.meanDiameterMm, UNIT_CODES.mm);
      push(PRIVATE_CODES.currentMeanDiameter, g.current?.meanDiameterMm, UNIT_CODES.mm);
      push(PRIVATE_CODES.meanDiameterChange, g.meanDiameterChangeMm, UNIT_CODES.mm);
      push(PRIVATE_CODES.volumeDoublingTime, g.volumeDoublingTimeDays, UNIT_CODES.day);
      observations.push({
        ...base,
        code: concept(PRIVATE_CODES.noduleGrowth),
        valueString: row.description || 'Nodule',
        component: components,
      });
    }
  }
  return observations;
}
