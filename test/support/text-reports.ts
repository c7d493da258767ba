/**
 * Text and PDF first reports, written by real toolkits (never hand-written bytes), for the
 * phantom's baseline study (same Study Instance UID, so they belong to it):
 *
 * - `basic-text-sr.dcm`: a Basic Text SR (TID 2000 "Basic Diagnostic Imaging Report") written by
 *   dcmtk's `xml2dsr` from a dcmtk-format XML document: Findings (a TEXT finding with an INFERRED
 *   FROM IMAGE reference to the phantom's nodule slice, a TEXT of two paragraphs, a CODE finding
 *   with a finding site), Impressions and Recommendations sections (DCM headings of CID 7001),
 *   Person Observer Name, COMPLETE / UNVERIFIED.
 * - `enhanced-sr.dcm`: an Enhanced SR with LOINC section headings (18782-3 findings, 19005-8
 *   impression), no person observer in the content but a Verifying Observer, COMPLETE / VERIFIED.
 * - `comprehensive-sr.dcm`: a Comprehensive SR with a TID 2000 root, PARTIAL (a draft).
 * - `report.pdf`: a one-page PDF printed by headless Chromium (`--print-to-pdf`) from a small HTML
 *   report, and `encapsulated-pdf.dcm`: that PDF as an Encapsulated PDF Storage object written by
 *   dcmtk's `pdf2dcm`, patient and study taken from a phantom slice (`+st`).
 *
 * Everything lands in `.cache/fixtures/text-reports/` with a `manifest.json` (the texts and UIDs
 * the tests compare with) and is regenerated only when the recipes version or the phantom change.
 * Requires dcmtk (`xml2dsr`, `pdf2dcm`) and Chromium.
 *
 * Also runnable: `pnpm exec tsx test/support/text-reports.ts [outDir]`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PHANTOM_GENERATOR_VERSION, uidFromSeed, writePhantom } from '../../packages/phantom/src/index.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { cacheDir, phantomDir } from './paths.ts';

const run = promisify(execFile);

/** Default output directory. */
export const TEXT_REPORTS_DIR: string = join(cacheDir, 'fixtures/text-reports');

/** Bump when the recipes change, to invalidate cached output. */
const RECIPES_VERSION = 1;

/** One TEXT or CODE finding item as written into the SR. */
export interface TextReportFindingItem {
  readonly valueType: 'TEXT' | 'CODE';
  /** TEXT: the value. */
  readonly text?: string;
  /** CODE: the value. */
  readonly code?: { readonly value: string; readonly scheme: string; readonly meaning: string };
  /** CODE: its Finding Site (HAS CONCEPT MOD). */
  readonly site?: { readonly value: string; readonly scheme: string; readonly meaning: string };
  /** INFERRED FROM IMAGE references (SOP Instance UIDs of phantom slices). */
  readonly images?: readonly string[];
}

/** What a text SR fixture says, for the tests to compare the import with. */
export interface TextSrFixture {
  readonly name: string;
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly completionFlag: 'COMPLETE' | 'PARTIAL';
  readonly verificationFlag: 'VERIFIED' | 'UNVERIFIED';
  /** Content Date and Time as written (DA, TM). */
  readonly contentDate: string;
  readonly contentTime: string;
  /** Person Observer Name (DICOM PN), when the content has one. */
  readonly personObserver?: string;
  readonly organization?: string;
  /** Verifying Observer Name (DICOM PN), when verified. */
  readonly verifyingObserver?: string;
  readonly verifyingOrganization?: string;
  readonly findingsHeading: { readonly value: string; readonly scheme: string; readonly meaning: string };
  readonly findings: readonly TextReportFindingItem[];
  readonly impressionHeading: { readonly value: string; readonly scheme: string; readonly meaning: string };
  readonly impressions: readonly string[];
  readonly recommendations: readonly string[];
}

/** The Encapsulated PDF fixture. */
export interface PdfFixture {
  readonly path: string;
  /** The PDF printed by Chromium (the bytes pdf2dcm encapsulated). */
  readonly pdfPath: string;
  readonly title: string;
  /** A sentence printed in the PDF (pdftotext finds it). */
  readonly sentence: string;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** Content Date and Time given to pdf2dcm (DA, TM). */
  readonly contentDate: string;
  readonly contentTime: string;
}

export interface TextReportManifest {
  readonly version: number;
  readonly phantomGeneratorVersion: string;
  readonly studyInstanceUid: string;
  readonly imageSeriesInstanceUid: string;
  /** The nodule slice the Basic Text SR's finding refers to. */
  readonly noduleSopInstanceUid: string;
  readonly ctSopClassUid: string;
  readonly basicText: TextSrFixture;
  readonly enhanced: TextSrFixture;
  readonly comprehensive: TextSrFixture;
  readonly pdf: PdfFixture;
}

type Code = { readonly value: string; readonly scheme: string; readonly meaning: string };
const code = (value: string, scheme: string, meaning: string): Code => ({ value, scheme, meaning });

/** CID 7001 headings and TID 2000 concepts used by the fixtures. */
export const TEXT_REPORT_CODES = {
  diagnosticImagingReport: code('18748-4', 'LN', 'Diagnostic Imaging Report'),
  findingsDcm: code('121070', 'DCM', 'Findings'),
  impressionsDcm: code('121072', 'DCM', 'Impressions'),
  recommendationsDcm: code('121074', 'DCM', 'Recommendations'),
  findingsLoinc: code('18782-3', 'LN', 'Radiology Study observation (narrative)'),
  impressionLoinc: code('19005-8', 'LN', 'Radiology Impression (narrative)'),
  finding: code('121071', 'DCM', 'Finding'),
  impression: code('121073', 'DCM', 'Impression'),
  recommendation: code('121075', 'DCM', 'Recommendation'),
  findingSite: code('363698007', 'SCT', 'Finding Site'),
} as const;

const PDF_CONTENT_DATE = '20240116';
const PDF_CONTENT_TIME = '113000';

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const codeXml = (c: Code): string =>
  `<value>${escapeXml(c.value)}</value><scheme><designator>${escapeXml(c.scheme)}</designator></scheme><meaning>${escapeXml(c.meaning)}</meaning>`;

/** A DICOM PN `Family^Given^Middle^Prefix` as dcmtk's XML person name. */
function personNameXml(pn: string): string {
  const [last = '', first = '', middle = '', prefix = ''] = pn.split('^');
  return [
    prefix && `<prefix>${escapeXml(prefix)}</prefix>`,
    first && `<first>${escapeXml(first)}</first>`,
    middle && `<middle>${escapeXml(middle)}</middle>`,
    last && `<last>${escapeXml(last)}</last>`,
  ].join('');
}

const SOP_CLASS_NAMES: Readonly<Record<string, [string, string]>> = {
  '1.2.840.10008.5.1.4.1.1.88.11': ['Basic Text SR', 'BasicTextSRStorage'],
  '1.2.840.10008.5.1.4.1.1.88.22': ['Enhanced SR', 'EnhancedSRStorage'],
  '1.2.840.10008.5.1.4.1.1.88.33': ['Comprehensive SR', 'ComprehensiveSRStorage'],
};

interface XmlInput {
  readonly fixture: Omit<TextSrFixture, 'path'>;
  readonly studyInstanceUid: string;
  readonly imageSeriesInstanceUid: string;
  readonly ctSopClassUid: string;
  readonly patient: { readonly id: string; readonly name: string; readonly birthDate: string; readonly sex: string };
  readonly study: {
    readonly date: string;
    readonly time: string;
    readonly accession: string;
    readonly description: string;
  };
}

/** The dcmtk-format XML document (`dsr2xml.xsd`) of a TID 2000 report. */
function textReportXml({
  fixture,
  studyInstanceUid,
  imageSeriesInstanceUid,
  ctSopClassUid,
  patient,
  study,
}: XmlInput): string {
  const [type, sopClassName] = SOP_CLASS_NAMES[fixture.sopClassUid]!;
  const date = (da: string): string => `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}`;
  const time = (tm: string): string => `${tm.slice(0, 2)}:${tm.slice(2, 4)}:${tm.slice(4, 6)}`;
  const images = [...new Set(fixture.findings.flatMap((f) => f.images ?? []))];
  const imageXml = (uid: string): string =>
    `<image><relationship>INFERRED FROM</relationship><value><sopclass uid="${ctSopClassUid}">CTImageStorage</sopclass><instance uid="${uid}"/></value></image>`;
  const findingXml = (item: TextReportFindingItem): string =>
    item.valueType === 'TEXT'
      ? `<text><relationship>CONTAINS</relationship><concept>${codeXml(TEXT_REPORT_CODES.finding)}</concept>${(item.images ?? []).map(imageXml).join('')}<value>${escapeXml(item.text ?? '')}</value></text>`
      : `<code><relationship>CONTAINS</relationship><concept>${codeXml(TEXT_REPORT_CODES.finding)}</concept>${
          item.site
            ? `<code><relationship>HAS CONCEPT MOD</relationship><concept>${codeXml(TEXT_REPORT_CODES.findingSite)}</concept>${codeXml(item.site)}</code>`
            : ''
        }${(item.images ?? []).map(imageXml).join('')}${codeXml(item.code!)}</code>`;
  const textXml = (name: Code, value: string): string =>
    `<text><relationship>CONTAINS</relationship><concept>${codeXml(name)}</concept><value>${escapeXml(value)}</value></text>`;
  const observer = fixture.personObserver
    ? `<code><relationship>HAS OBS CONTEXT</relationship><concept>${codeXml(code('121005', 'DCM', 'Observer Type'))}</concept>${codeXml(code('121006', 'DCM', 'Person'))}</code>` +
      `<pname><relationship>HAS OBS CONTEXT</relationship><concept>${codeXml(code('121008', 'DCM', 'Person Observer Name'))}</concept><value>${personNameXml(fixture.personObserver)}</value></pname>` +
      (fixture.organization
        ? `<text><relationship>HAS OBS CONTEXT</relationship><concept>${codeXml(code('121009', 'DCM', "Person Observer's Organization Name"))}</concept><value>${escapeXml(fixture.organization)}</value></text>`
        : '')
    : '';
  const verification =
    fixture.verificationFlag === 'VERIFIED'
      ? `<verification flag="VERIFIED"><observer pos="1"><datetime>${date(fixture.contentDate)}T${time(fixture.contentTime)}</datetime><name>${personNameXml(fixture.verifyingObserver ?? '')}</name><organization>${escapeXml(fixture.verifyingOrganization ?? '')}</organization></observer></verification>`
      : '<verification flag="UNVERIFIED"></verification>';
  const recommendations = fixture.recommendations.length
    ? `<container flag="SEPARATE"><relationship>CONTAINS</relationship><concept>${codeXml(TEXT_REPORT_CODES.recommendationsDcm)}</concept>${fixture.recommendations.map((r) => textXml(TEXT_REPORT_CODES.recommendation, r)).join('')}</container>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<report type="${type}">
<sopclass uid="${fixture.sopClassUid}">${sopClassName}</sopclass>
<modality>SR</modality>
<device><manufacturer>OFFIS DCMTK</manufacturer><model>xml2dsr (SecondRead fixture step)</model></device>
<patient><id>${escapeXml(patient.id)}</id><name>${personNameXml(patient.name)}</name><birthday><date>${date(patient.birthDate)}</date></birthday><sex>${patient.sex}</sex></patient>
<study uid="${studyInstanceUid}"><id>1</id><date>${date(study.date)}</date><time>${time(study.time)}</time><accession><number>${escapeXml(study.accession)}</number></accession><description>${escapeXml(study.description)}</description></study>
<series uid="${fixture.seriesInstanceUid}"><number>90</number><description>${escapeXml(`${type} report`)}</description></series>
<instance uid="${fixture.sopInstanceUid}"><number>1</number></instance>
${
  images.length
    ? `<evidence type="Current Requested Procedure"><study uid="${studyInstanceUid}"><series uid="${imageSeriesInstanceUid}">${images
        .map(
          (uid) => `<value><sopclass uid="${ctSopClassUid}">CTImageStorage</sopclass><instance uid="${uid}"/></value>`,
        )
        .join('')}</series></study></evidence>`
    : ''
}
<document>
<completion flag="${fixture.completionFlag}"></completion>
${verification}
<content>
<date>${date(fixture.contentDate)}</date>
<time>${time(fixture.contentTime)}</time>
<container flag="SEPARATE">
<template><resource>DCMR</resource><id>2000</id></template>
<concept>${codeXml(TEXT_REPORT_CODES.diagnosticImagingReport)}</concept>
${observer}
<container flag="SEPARATE"><relationship>CONTAINS</relationship><concept>${codeXml(fixture.findingsHeading)}</concept>${fixture.findings.map(findingXml).join('')}</container>
<container flag="SEPARATE"><relationship>CONTAINS</relationship><concept>${codeXml(fixture.impressionHeading)}</concept>${fixture.impressions.map((i) => textXml(TEXT_REPORT_CODES.impression, i)).join('')}</container>
${recommendations}
</container>
</content>
</document>
</report>
`;
}

/** The small HTML report Chromium prints to PDF. */
function pdfHtml(title: string, sentence: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:sans-serif;margin:2cm}h1{font-size:20pt}p{font-size:12pt}</style></head>
<body><h1>${escapeXml(title)}</h1>
<h2>Findings</h2><p>${escapeXml(sentence)}</p><p>No pleural effusion. Mediastinum unremarkable.</p>
<h2>Impression</h2><p>Solitary right lung nodule, follow-up CT in 3 months.</p>
<p>Dr Paula Printer, Radiology</p></body></html>
`;
}

async function readManifest(outDir: string): Promise<TextReportManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as TextReportManifest;
    const paths = [manifest.basicText.path, manifest.enhanced.path, manifest.comprehensive.path, manifest.pdf.path];
    if (
      manifest.version !== RECIPES_VERSION ||
      manifest.phantomGeneratorVersion !== PHANTOM_GENERATOR_VERSION ||
      !paths.every((p) => existsSync(join(outDir, p)))
    ) {
      return undefined;
    }
    return withAbsolutePaths(manifest, outDir);
  } catch {
    return undefined;
  }
}

function withAbsolutePaths(manifest: TextReportManifest, outDir: string): TextReportManifest {
  const abs = (p: string): string => resolve(outDir, p);
  return {
    ...manifest,
    basicText: { ...manifest.basicText, path: abs(manifest.basicText.path) },
    enhanced: { ...manifest.enhanced, path: abs(manifest.enhanced.path) },
    comprehensive: { ...manifest.comprehensive, path: abs(manifest.comprehensive.path) },
    pdf: { ...manifest.pdf, path: abs(manifest.pdf.path), pdfPath: abs(manifest.pdf.pdfPath) },
  };
}

/**
 * Writes (or reuses) the text and PDF report fixtures and returns their manifest, with absolute
 * paths. Output is built in a sibling directory and renamed into place, so parallel callers never
 * see half-written files.
 */
export async function prepareTextReportFixtures(outDir: string = TEXT_REPORTS_DIR): Promise<TextReportManifest> {
  outDir = resolve(outDir);
  const current = await readManifest(outDir);
  if (current) return current;

  const { baseline } = await writePhantom(phantomDir);
  const truth = baseline.truth;
  const nodule = truth.nodules[0]!;
  const slice = baseline.files[nodule.sliceIndex] ?? baseline.files[0]!;
  const uid = (what: string): string => uidFromSeed(`secondread-fixtures|text-reports|${what}`);
  const studyInstanceUid = truth.studyInstanceUid;

  const basicText: Omit<TextSrFixture, 'path'> = {
    name: 'basic-text-sr.dcm',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.88.11',
    sopInstanceUid: uid('basic|sop'),
    seriesInstanceUid: uid('basic|series'),
    completionFlag: 'COMPLETE',
    verificationFlag: 'UNVERIFIED',
    contentDate: '20240116',
    contentTime: '101500',
    personObserver: 'Reader^Anna^^Dr',
    organization: 'Phantom General Hospital',
    findingsHeading: TEXT_REPORT_CODES.findingsDcm,
    findings: [
      {
        valueType: 'TEXT',
        text: `Solid nodule in the ${nodule.location}, ${Math.round(nodule.diameterMm)} mm, smooth margins. No calcification.`,
        images: [nodule.sopInstanceUid],
      },
      {
        valueType: 'TEXT',
        text: 'Mediastinum unremarkable.\nNo enlarged lymph nodes.\n\nNo pleural or pericardial effusion.',
      },
      {
        valueType: 'CODE',
        code: code('87433001', 'SCT', 'Pulmonary emphysema'),
        site: code('3341006', 'SCT', 'Right lung'),
      },
    ],
    impressionHeading: TEXT_REPORT_CODES.impressionsDcm,
    impressions: [`Solitary ${Math.round(nodule.diameterMm)} mm nodule in the ${nodule.location}.`],
    recommendations: ['CT follow-up in 3 months.'],
  };
  const enhanced: Omit<TextSrFixture, 'path'> = {
    name: 'enhanced-sr.dcm',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.88.22',
    sopInstanceUid: uid('enhanced|sop'),
    seriesInstanceUid: uid('enhanced|series'),
    completionFlag: 'COMPLETE',
    verificationFlag: 'VERIFIED',
    contentDate: '20240117',
    contentTime: '143000',
    verifyingObserver: 'Verifier^Victor^^Dr',
    verifyingOrganization: 'Phantom University Hospital',
    findingsHeading: TEXT_REPORT_CODES.findingsLoinc,
    findings: [
      {
        valueType: 'TEXT',
        text: 'A nodule is seen in the right lung. It measures about 10 mm.\n\nThe left lung is clear; a second nodule is not seen.',
      },
    ],
    impressionHeading: TEXT_REPORT_CODES.impressionLoinc,
    impressions: ['Right lung nodule.', 'Otherwise normal chest CT.'],
    recommendations: [],
  };
  const comprehensive: Omit<TextSrFixture, 'path'> = {
    name: 'comprehensive-sr.dcm',
    sopClassUid: '1.2.840.10008.5.1.4.1.1.88.33',
    sopInstanceUid: uid('comprehensive|sop'),
    seriesInstanceUid: uid('comprehensive|series'),
    completionFlag: 'PARTIAL',
    verificationFlag: 'UNVERIFIED',
    contentDate: '20240118',
    contentTime: '090000',
    personObserver: 'Draft^Dora',
    findingsHeading: TEXT_REPORT_CODES.findingsDcm,
    findings: [{ valueType: 'TEXT', text: 'Preliminary: small nodule in the right lung.' }],
    impressionHeading: TEXT_REPORT_CODES.impressionsDcm,
    impressions: ['Preliminary read, to be completed.'],
    recommendations: [],
  };

  const staging = `${outDir}.partial-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    for (const fixture of [basicText, enhanced, comprehensive]) {
      const xmlPath = join(staging, fixture.name.replace(/\.dcm$/, '.xml'));
      await writeFile(
        xmlPath,
        textReportXml({
          fixture,
          studyInstanceUid,
          imageSeriesInstanceUid: truth.seriesInstanceUid,
          ctSopClassUid: truth.sopClassUid,
          patient: truth.patient,
          study: {
            date: truth.studyDate,
            time: truth.studyTime,
            accession: truth.accessionNumber,
            description: truth.studyDescription,
          },
        }),
      );
      await run('xml2dsr', [xmlPath, join(staging, fixture.name)]);
    }

    const title = 'CT chest report';
    const sentence = 'Solid nodule in the right lung with smooth margins.';
    const htmlPath = join(staging, 'report.html');
    await writeFile(htmlPath, pdfHtml(title, sentence));
    const pdfPath = join(staging, 'report.pdf');
    const pdfSopInstanceUid = uid('pdf|sop');
    await run(CHROMIUM_PATH, [
      ...CHROMIUM_ARGS,
      '--headless',
      '--disable-gpu',
      '--no-pdf-header-footer',
      `--print-to-pdf=${pdfPath}`,
      `file://${htmlPath}`,
    ]);
    await run('pdf2dcm', [
      '+st',
      slice,
      '+t',
      title,
      '+cn',
      'LN',
      '18748-4',
      'Diagnostic Imaging Report',
      '-k',
      `SeriesInstanceUID=${uid('pdf|series')}`,
      '-k',
      'SeriesNumber=91',
      '-k',
      `SOPInstanceUID=${pdfSopInstanceUid}`,
      // pdf2dcm's +st copies the patient and the Study Instance UID only.
      '-k',
      `StudyDate=${truth.studyDate}`,
      '-k',
      `StudyTime=${truth.studyTime}`,
      '-k',
      `AccessionNumber=${truth.accessionNumber}`,
      '-k',
      'StudyID=1',
      '-k',
      `ContentDate=${PDF_CONTENT_DATE}`,
      '-k',
      `ContentTime=${PDF_CONTENT_TIME}`,
      '-k',
      'Manufacturer=OFFIS DCMTK (pdf2dcm)',
      pdfPath,
      join(staging, 'encapsulated-pdf.dcm'),
    ]);

    const manifest: TextReportManifest = {
      version: RECIPES_VERSION,
      phantomGeneratorVersion: PHANTOM_GENERATOR_VERSION,
      studyInstanceUid,
      imageSeriesInstanceUid: truth.seriesInstanceUid,
      noduleSopInstanceUid: nodule.sopInstanceUid,
      ctSopClassUid: truth.sopClassUid,
      basicText: { ...basicText, path: basicText.name },
      enhanced: { ...enhanced, path: enhanced.name },
      comprehensive: { ...comprehensive, path: comprehensive.name },
      pdf: {
        path: 'encapsulated-pdf.dcm',
        pdfPath: 'report.pdf',
        title,
        sentence,
        sopInstanceUid: pdfSopInstanceUid,
        seriesInstanceUid: uid('pdf|series'),
        contentDate: PDF_CONTENT_DATE,
        contentTime: PDF_CONTENT_TIME,
      },
    };
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const raced = await readManifest(outDir);
    if (raced) return raced;
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const written = await readManifest(outDir);
  if (!written) throw new Error(`no text report manifest in ${outDir}`);
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await prepareTextReportFixtures(process.argv[2]);
  for (const fixture of [manifest.basicText, manifest.enhanced, manifest.comprehensive, manifest.pdf]) {
    console.log(fixture.path);
  }
}
