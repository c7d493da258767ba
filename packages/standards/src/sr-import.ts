/**
 * DICOM SR import: any TID 1500 "Imaging Measurement Report" becomes a {@link Reading}. SRs
 * written by {@link exportReadingSr} come back equal (see `docs/sr-mapping.md` for the few
 * normalisations); other software's SRs keep every measurement group as a finding with its
 * values, and every content item that has no place in the model is kept in
 * `reading.source.unknownContent` and reported in `warnings`.
 */
import {
  ReadingSchemaError,
  parseReading,
  type CodedConcept,
  type Finding,
  type Reader,
  type Reading,
  type ReadingRole,
  type SecondOpinion,
} from '@secondread/core';
import { PRIVATE_CODES, ROLE_CODES, SR_CODES, keyOfCode, sameCode } from './codes.js';
import { stringValue, type NaturalDataset } from './dicom.js';
import { childrenOf, conceptOf, nameOf } from './sr-content.js';
import type { ReadingAttributes } from './sr-export.js';
import {
  indexEvidence,
  keep,
  observerName,
  parseJson,
  readImageLibrary,
  reportUnknownContent,
  type Context,
  srHeader,
} from './sr-import-context.js';
import { SrImportError, readSrPart10 } from './sr-import-errors.js';
import { readMeasurementGroup } from './sr-import-group.js';
import { readConcordance } from './sr-import-opinion.js';
import { planesOf } from './sr-import-regions.js';
import type { SecondOpinionSrImport, SrImport, SrImportOptions, SrNumericValue } from './sr-import-types.js';

export { SR_IMPORT_ERROR_CODES, SrImportError, type SrImportErrorCode } from './sr-import-errors.js';
export type * from './sr-import-types.js';

const SR_SOP_CLASS_UIDS = new Set([
  '1.2.840.10008.5.1.4.1.1.88.11', // Basic Text SR
  '1.2.840.10008.5.1.4.1.1.88.22', // Enhanced SR
  '1.2.840.10008.5.1.4.1.1.88.33', // Comprehensive SR
  '1.2.840.10008.5.1.4.1.1.88.34', // Comprehensive 3D SR
  '1.2.840.10008.5.1.4.1.1.88.35', // Extensible SR
]);

/** The reader name of an SR that names no person observer (with a warning). */
export const UNKNOWN_READER_NAME = 'Unknown reader';

/**
 * Reads a TID 1500 SR (Part 10 bytes, or a naturalized dataset) into a {@link Reading}. The
 * reading is always valid for `parseReading` of `@secondread/core`: an SR without a person
 * observer name gets the reader {@link UNKNOWN_READER_NAME}, a complete SR without SecondRead
 * attributes is finalized at its Content Date/Time (each with a warning).
 *
 * @throws SrImportError for any bytes that are not such an SR, with a code from
 * {@link SR_IMPORT_ERROR_CODES} (`not-dicom`, `truncated`, `malformed`, `not-an-sr`, `not-tid-1500`);
 * `malformed` also when what it holds cannot make a valid reading (the schema error is the `cause`).
 */
export function importSr(input: ArrayBuffer | Uint8Array | NaturalDataset, options: SrImportOptions = {}): SrImport {
  const dataset = input instanceof ArrayBuffer || input instanceof Uint8Array ? readSrPart10(input) : input;
  const sopClass = stringValue(dataset.SOPClassUID);
  if (!sopClass) throw new SrImportError('malformed', 'The DICOM file has no SOP Class UID.');
  if (!SR_SOP_CLASS_UIDS.has(sopClass)) {
    throw new SrImportError('not-an-sr', `Not a structured report (SOP Class UID ${sopClass}).`);
  }
  if (!sameCode(conceptOf(dataset.ConceptNameCodeSequence), SR_CODES.imagingMeasurementReport)) {
    throw new SrImportError(
      'not-tid-1500',
      'Not a TID 1500 SR: the root is not "Imaging Measurement Report" (126000, DCM).',
    );
  }
  let result: SrImport;
  try {
    result = mapSr(dataset, options);
  } catch (error) {
    if (error instanceof SrImportError) throw error;
    throw new SrImportError('malformed', 'The SR content tree is damaged: a content item cannot be read.', {
      cause: error,
    });
  }
  try {
    parseReading(result.reading);
  } catch (error) {
    // Only the path of the offending value: the schema's message may quote a text of the report.
    const where = error instanceof ReadingSchemaError && error.path ? ` (at ${error.path})` : '';
    throw new SrImportError('malformed', `The SR's content does not make a valid reading${where}.`, {
      cause: error,
    });
  }
  return result;
}

/** The content tree of a TID 1500 SR (root already checked) as an {@link SrImport}. */
function mapSr(dataset: NaturalDataset, options: SrImportOptions): SrImport {
  const context: Context = { unknown: [], warnings: [], instances: new Map(), planes: planesOf(options.imageHeaders) };
  indexEvidence(dataset.CurrentRequestedProcedureEvidenceSequence, context);
  indexEvidence(dataset.PertinentOtherEvidenceSequence, context);

  const { studyUid, seriesUid, sopInstanceUid, contentTime } = srHeader(dataset);

  const reader: { name: string; id?: string; institution?: string } = { name: '' };
  let fullName: string | undefined;
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
    if (sameCode(name, SR_CODES.personObserverName) && !reader.name && observerName(child) !== undefined) {
      reader.name = observerName(child) ?? '';
    } else if (sameCode(name, PRIVATE_CODES.personObserverFullName) && child.ValueType === 'TEXT' && !fullName) {
      fullName = stringValue(child.TextValue);
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
          readerId: reader.id ?? fullName ?? reader.name,
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
  // A complete SR of other software: finalized when its content was written.
  const finalizedAt = attributes ? attributes.finalizedAt : status === 'draft' ? undefined : contentTime;
  if (fullName) reader.name = fullName;
  if (!reader.name.trim()) {
    reader.name = UNKNOWN_READER_NAME;
    context.warnings.push(`The SR names no person observer: the reader is "${UNKNOWN_READER_NAME}".`);
  }
  const finalReader: Reader = {
    name: reader.name,
    ...(reader.id !== undefined ? { id: reader.id } : {}),
    ...(reader.institution !== undefined ? { institution: reader.institution } : {}),
  };
  reportUnknownContent(context);
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
    ...(finalizedAt !== undefined ? { finalizedAt } : {}),
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
 * @throws SrImportError as {@link importSr}, and `unsupported` when the SR carries no SecondRead
 * concordance.
 */
export function importSecondOpinionSr(
  input: ArrayBuffer | Uint8Array | NaturalDataset,
  options: SrImportOptions & { firstReading?: Reading } = {},
): SecondOpinionSrImport {
  const result = importSr(input, options);
  const part = result.secondOpinion;
  if (!part) {
    throw new SrImportError(
      'unsupported',
      'This SR carries no SecondRead concordance: it is a reading, not a second opinion SR.',
    );
  }
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
