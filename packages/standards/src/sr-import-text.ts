/**
 * Import of TID 2000 "Basic Diagnostic Imaging Report" text reports (Basic Text SR, Enhanced SR,
 * Comprehensive SR with a TID 2000 root) as a first {@link Reading}: one free-text finding per
 * paragraph of the Findings section, coded findings kept as findings, the Impression (and
 * Conclusions) section as the impression, the Recommendations section as the recommendations.
 * See `docs/sr-mapping.md` ("Text reports").
 */
import {
  FINDING_CATEGORY_CODES,
  ReadingSchemaError,
  parseReading,
  type CodedConcept,
  type Finding,
  type ImageReference,
  type Reader,
  type Reading,
} from '@secondread/core';
import { SR_CODES, TEXT_REPORT_CODES, keyOfCode, sameCode } from './codes.js';
import { personNameToDisplay, sequenceItems, stringValue, type NaturalDataset } from './dicom.js';
import { childrenOf, conceptOf, nameOf, referencedSopOf } from './sr-content.js';
import {
  indexEvidence,
  keep,
  observerName,
  reportUnknownContent,
  srHeader,
  type Context,
} from './sr-import-context.js';
import { SrImportError, readSrPart10 } from './sr-import-errors.js';
import type { SrUnknownContent } from './sr-import-types.js';
import { UNKNOWN_READER_NAME } from './sr-import.js';

/** SOP classes that can hold a TID 2000 text report. */
export const TEXT_SR_SOP_CLASS_UIDS: readonly string[] = [
  '1.2.840.10008.5.1.4.1.1.88.11', // Basic Text SR
  '1.2.840.10008.5.1.4.1.1.88.22', // Enhanced SR
  '1.2.840.10008.5.1.4.1.1.88.33', // Comprehensive SR
  '1.2.840.10008.5.1.4.1.1.88.34', // Comprehensive 3D SR
  '1.2.840.10008.5.1.4.1.1.88.35', // Extensible SR
];

/** The result of {@link importTextSr}. */
export interface TextSrImport {
  /** A `first` reading, `source.kind` `text-sr`. */
  readonly reading: Reading;
  /** Same as `reading.source.unknownContent` (sections and items the reading has no place for). */
  readonly unknownContent: readonly SrUnknownContent[];
  readonly warnings: readonly string[];
}

/** The longest description taken from a finding's text (the rest stays in `text`). */
const DESCRIPTION_MAX_LENGTH = 120;

/**
 * True when a dataset is a TID 2000 text report: an SR whose root is not TID 1500 and that
 * names template 2000, has the title "Diagnostic Imaging Report" (18748-4, LN), or has a
 * Findings, Impression or Recommendations section.
 */
export function isTextReport(dataset: NaturalDataset): boolean {
  const sopClass = stringValue(dataset.SOPClassUID);
  if (!sopClass || !TEXT_SR_SOP_CLASS_UIDS.includes(sopClass)) return false;
  const root = conceptOf(dataset.ConceptNameCodeSequence);
  if (sameCode(root, SR_CODES.imagingMeasurementReport)) return false;
  const template = sequenceItems(dataset.ContentTemplateSequence)[0];
  if (stringValue(template?.TemplateIdentifier) === '2000') return true;
  if (sameCode(root, TEXT_REPORT_CODES.diagnosticImagingReport)) return true;
  return childrenOf(dataset).some((child) => child.ValueType === 'CONTAINER' && sectionOf(nameOf(child)) !== undefined);
}

type Section = 'findings' | 'impression' | 'recommendations';

function sectionOf(heading: CodedConcept | undefined): Section | undefined {
  if (TEXT_REPORT_CODES.findingsSections.some((c) => sameCode(c, heading))) return 'findings';
  if (TEXT_REPORT_CODES.impressionSections.some((c) => sameCode(c, heading))) return 'impression';
  if (TEXT_REPORT_CODES.recommendationSections.some((c) => sameCode(c, heading))) return 'recommendations';
  return undefined;
}

/** The section a content item outside any section container belongs to, by its concept name. */
function sectionOfItem(name: CodedConcept | undefined): Section | undefined {
  if (sameCode(name, TEXT_REPORT_CODES.finding)) return 'findings';
  if (sameCode(name, TEXT_REPORT_CODES.impression) || sameCode(name, TEXT_REPORT_CODES.conclusion)) return 'impression';
  if (sameCode(name, TEXT_REPORT_CODES.recommendation)) return 'recommendations';
  return undefined;
}

/** The paragraphs of a text (separated by blank lines), trimmed, line ends as `\n`. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
}

/** A one-line description of a paragraph: its first sentence of its first line (at most 120 characters). */
export function descriptionOf(paragraph: string): string {
  const line = paragraph.split('\n')[0]!.trim();
  const sentence = /^(.+?[.!?])(?=\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length > DESCRIPTION_MAX_LENGTH ? `${sentence.slice(0, DESCRIPTION_MAX_LENGTH - 1)}…` : sentence;
}

/**
 * Reads a TID 2000 text report (Part 10 bytes or a naturalized dataset) into a `first`
 * {@link Reading} (`source.kind` `text-sr`): each paragraph of each TEXT item of the Findings
 * section is a finding (`description` its first sentence, `text` the whole paragraph, category
 * `other`, the item's IMAGE references in `location.images`), each CODE item there a coded
 * finding (category from the code, finding site kept); the Impression and Conclusions sections
 * make `impression`, the Recommendations section `recommendations` (paragraphs joined by a blank
 * line). The reader is the Person Observer Name, else the first Verifying Observer, else
 * "Unknown reader" (with a warning); a COMPLETE or VERIFIED report is `final` at its Content
 * Date/Time. Other sections (History, Request...) and items are kept in `unknownContent` and
 * reported in `warnings`. Patient attributes are never read.
 *
 * @throws SrImportError `not-dicom`, `truncated`, `malformed` for damaged files, `not-an-sr` for
 * another kind of DICOM object, `unsupported` for an SR that is no TID 2000 report (a TID 1500 SR
 * is read by `importSr`).
 */
export function importTextSr(input: ArrayBuffer | Uint8Array | NaturalDataset): TextSrImport {
  const dataset = input instanceof ArrayBuffer || input instanceof Uint8Array ? readSrPart10(input) : input;
  const sopClass = stringValue(dataset.SOPClassUID);
  if (!sopClass) throw new SrImportError('malformed', 'The DICOM file has no SOP Class UID.');
  if (!TEXT_SR_SOP_CLASS_UIDS.includes(sopClass)) {
    throw new SrImportError('not-an-sr', `Not a structured report (SOP Class UID ${sopClass}).`);
  }
  if (sameCode(conceptOf(dataset.ConceptNameCodeSequence), SR_CODES.imagingMeasurementReport)) {
    throw new SrImportError(
      'unsupported',
      'This SR is a TID 1500 measurement report, not a text report: import it with importSr.',
    );
  }
  if (!isTextReport(dataset)) {
    throw new SrImportError(
      'unsupported',
      'Not a TID 2000 text report: the SR has neither template 2000 nor Findings, Impression or Recommendations sections.',
    );
  }
  let result: TextSrImport;
  try {
    result = mapTextSr(dataset);
  } catch (error) {
    if (error instanceof SrImportError) throw error;
    throw new SrImportError('malformed', 'The SR content tree is damaged: a content item cannot be read.', {
      cause: error,
    });
  }
  return { ...result, reading: checkedReading(result.reading, 'SR') };
}

/** The reading as `parseReading` accepts it, or `malformed` naming only the path. */
export function checkedReading(reading: Reading, what: string): Reading {
  try {
    parseReading(reading);
  } catch (error) {
    const where = error instanceof ReadingSchemaError && error.path ? ` (at ${error.path})` : '';
    throw new SrImportError('malformed', `The ${what}'s content does not make a valid reading${where}.`, {
      cause: error,
    });
  }
  return reading;
}

function mapTextSr(dataset: NaturalDataset): TextSrImport {
  const context: Context = { unknown: [], warnings: [], instances: new Map(), planes: new Map() };
  indexEvidence(dataset.CurrentRequestedProcedureEvidenceSequence, context);
  indexEvidence(dataset.PertinentOtherEvidenceSequence, context);
  const { studyUid, seriesUid, sopInstanceUid, contentTime } = srHeader(dataset);

  let personName: string | undefined;
  let organization: string | undefined;
  const findings: Finding[] = [];
  const impressions: string[] = [];
  const recommendations: string[] = [];

  const imagesOf = (item: NaturalDataset, path: readonly string[]): ImageReference[] => {
    const images: ImageReference[] = [];
    for (const child of childrenOf(item)) {
      const sop = child.ValueType === 'IMAGE' ? referencedSopOf(child) : undefined;
      if (!sop) {
        keep(child, path, context);
        continue;
      }
      const where = context.instances.get(sop.sopInstanceUid);
      images.push({
        studyUid: where?.studyUid || studyUid,
        seriesUid: where?.seriesUid ?? '',
        sopInstanceUid: sop.sopInstanceUid,
        ...(sop.frame !== undefined ? { frame: sop.frame } : {}),
      });
    }
    return images;
  };

  const readItem = (item: NaturalDataset, section: Section, path: readonly string[]): void => {
    const name = nameOf(item);
    const itemPath = [...path, name?.meaning ?? '(no concept name)'];
    if (item.ValueType === 'CONTAINER') {
      // A subsection (e.g. "Lungs" under Findings): its items belong to the same section.
      for (const child of childrenOf(item)) readItem(child, section, itemPath);
      return;
    }
    if (section !== 'findings') {
      const text =
        item.ValueType === 'TEXT'
          ? stringValue(item.TextValue)
          : item.ValueType === 'CODE'
            ? conceptOf(item.ConceptCodeSequence)?.meaning
            : undefined;
      if (text === undefined) {
        keep(item, path, context);
        return;
      }
      (section === 'impression' ? impressions : recommendations).push(...paragraphsOf(text));
      for (const child of childrenOf(item)) keep(child, itemPath, context);
      return;
    }
    if (item.ValueType === 'TEXT') {
      const text = stringValue(item.TextValue) ?? '';
      const images = imagesOf(item, itemPath);
      for (const paragraph of paragraphsOf(text)) {
        findings.push({
          id: `finding-${findings.length + 1}`,
          description: descriptionOf(paragraph),
          category: 'other',
          text: paragraph,
          location: { measurements: [], images },
        });
      }
    } else if (item.ValueType === 'CODE') {
      const value = conceptOf(item.ConceptCodeSequence);
      if (!value) {
        keep(item, path, context);
        return;
      }
      let site: CodedConcept | undefined;
      const rest: NaturalDataset[] = [];
      for (const child of childrenOf(item)) {
        if (!site && child.ValueType === 'CODE' && sameCode(nameOf(child), SR_CODES.findingSite)) {
          site = conceptOf(child.ConceptCodeSequence);
        } else rest.push(child);
      }
      const category = keyOfCode(FINDING_CATEGORY_CODES, value);
      findings.push({
        id: `finding-${findings.length + 1}`,
        description: value.meaning,
        category: category ?? 'other',
        ...(category ? {} : { text: `Finding: ${value.meaning} (${value.scheme} ${value.value})` }),
        location: {
          measurements: [],
          images: imagesOf({ ...item, ContentSequence: rest }, itemPath),
          ...(site ? { site } : {}),
        },
      });
    } else {
      keep(item, path, context);
    }
  };

  for (const child of childrenOf(dataset)) {
    const name = nameOf(child);
    if (child.RelationshipType === 'HAS OBS CONTEXT' || child.RelationshipType === 'HAS CONCEPT MOD') {
      if (sameCode(name, SR_CODES.personObserverName)) {
        personName ??= observerName(child);
        continue;
      }
      if (sameCode(name, SR_CODES.personObserverOrganization) && child.ValueType === 'TEXT') {
        organization ??= stringValue(child.TextValue);
        continue;
      }
      if (sameCode(name, SR_CODES.languageOfContent)) continue;
      if (sameCode(name, SR_CODES.observerType) && sameCode(conceptOf(child.ConceptCodeSequence), SR_CODES.person)) {
        continue;
      }
      keep(child, [], context);
      continue;
    }
    const section = child.ValueType === 'CONTAINER' ? sectionOf(name) : sectionOfItem(name);
    if (!section) {
      keep(child, [], context);
      continue;
    }
    if (child.ValueType === 'CONTAINER') {
      for (const item of childrenOf(child)) readItem(item, section, [name?.meaning ?? '']);
    } else {
      readItem(child, section, []);
    }
  }

  const verifier = sequenceItems(dataset.VerifyingObserverSequence)[0];
  const verifierName = personNameToDisplay(verifier?.VerifyingObserverName)?.trim() || undefined;
  const institution = personName ? organization : stringValue(verifier?.VerifyingOrganization);
  const reader: Reader = {
    name: personName ?? verifierName ?? UNKNOWN_READER_NAME,
    ...(institution !== undefined ? { institution } : {}),
  };
  if (!personName && !verifierName) {
    context.warnings.push(
      `The report names neither a person observer nor a verifying observer: the reader is "${UNKNOWN_READER_NAME}".`,
    );
  }
  if (!findings.length && !impressions.length) {
    context.warnings.push('The report has no findings and no impression text.');
  }
  const complete =
    stringValue(dataset.CompletionFlag) === 'COMPLETE' || stringValue(dataset.VerificationFlag) === 'VERIFIED';
  reportUnknownContent(context);
  const reading: Reading = {
    id: sopInstanceUid,
    role: 'first',
    reader,
    studyUid,
    findings,
    impression: impressions.join('\n\n'),
    recommendations: recommendations.join('\n\n'),
    status: complete ? 'final' : 'draft',
    createdAt: contentTime,
    updatedAt: contentTime,
    ...(complete ? { finalizedAt: contentTime } : {}),
    source: {
      kind: 'text-sr',
      studyUid,
      seriesUid,
      sopInstanceUid,
      ...(context.unknown.length ? { unknownContent: context.unknown } : {}),
    },
  };
  return { reading, unknownContent: context.unknown, warnings: context.warnings };
}
