/**
 * The English catalogue: every word the three elements and the printable report show, in one
 * typed object. It is the source catalogue: {@link Catalogue} is its type, so the German and
 * Russian catalogues (`de.ts`, `ru.ts`) must have exactly its keys (checked by `tsc` and by
 * `test/i18n.test.ts`). The code labels (verdicts, categories, RADPEER, …) are those of
 * `labels.ts`, `presets.ts` and `errors.ts`, which stay their one home in English.
 *
 * A message with values is a function of already formatted strings (numbers are formatted by the
 * caller in the element's locale) or of a count (for plural forms); it never formats by itself.
 *
 * Why not `@lit/localize`: its runtime mode keeps one active locale for the whole page
 * (`configureLocalization` → `setLocale`, read by every `msg()`), and its transform mode builds
 * one bundle per locale. SecondRead's elements take a `locale` each (a German first reader's
 * viewer beside a Russian second reader's report on one page), the printable report is built in
 * core (no Lit, no DOM), and Russian needs plural forms (`Intl.PluralRules`), which `msg()` does
 * not select. A plain typed catalogue per locale does all three with no runtime of its own.
 */
import { ERROR_HINTS } from '../errors.js';
import {
  CATEGORY_LABELS,
  MATCH_METHOD_LABELS,
  MEASUREMENT_KIND_LABELS,
  RADPEER_DESCRIPTIONS,
  RADPEER_MEANINGS,
  ROLE_LABELS,
  SEVERITY_LABELS,
  TOOL_LABELS,
  VERDICT_LABELS,
} from '../labels.js';
import { WINDOW_PRESET_LABELS } from '../presets.js';
import type { MeasurementValueKey } from '../measurements/types.js';
import type { ReadingErrorCode } from '../reading/errors.js';
import type { ErrorCode } from '../errors.js';
import type { RadpeerScore, ReadingSourceKind, ReadingStatus } from '../reading/types.js';

const plural = (count: number, one: string, other: string): string => (count === 1 ? one : other);

/** The words of the measured values (`Length 12.0 mm`), and a bidirectional measurement's long axis. */
const VALUE_LABELS: Readonly<Record<Exclude<MeasurementValueKey, 'pixelCount'> | 'longAxis', string>> = {
  lengthMm: 'Length',
  longAxis: 'Long axis',
  shortAxisMm: 'Short axis',
  angleDeg: 'Angle',
  areaMm2: 'Area',
  meanHu: 'Mean',
  stdHu: 'SD',
  minHu: 'Min',
  maxHu: 'Max',
  hu: 'Density',
};

/** What went wrong, per code, in a sentence a reader understands (the hint says what to do). */
const ERROR_SUMMARIES: Readonly<Record<ErrorCode, string>> = {
  reformat: 'This plane or slab cannot be shown correctly for this series.',
  'blocked-by-policy': "The page's security policy blocks the image decoder.",
  unsupported: 'The images have a pixel format this viewer does not display.',
  'engine-unavailable': 'The image engine could not start.',
  network: 'The image server could not be reached.',
  'http-status': 'The image server answered with an error.',
  unauthorized: 'The image server refused access.',
  'not-found': 'The study or series was not found.',
  'not-dicom': 'A file is not a DICOM file.',
  'not-an-image': 'The DICOM objects hold no images.',
  'unsupported-transfer-syntax': 'The images are compressed in a format that cannot be decoded here.',
  corrupt: 'The data are damaged.',
  'empty-series': 'The series has no images to show.',
  render: 'The images could not be drawn.',
  'invalid-report': 'The report was not accepted.',
  storage: 'The draft could not be saved in this browser.',
  'store-unavailable': 'This image server cannot store reports.',
};

/** Why the reading model refused an edit, per code. */
const READING_ERRORS: Readonly<Record<ReadingErrorCode, string>> = {
  'invalid-schema': 'The reading data are not valid.',
  'invalid-input': 'This value is not accepted.',
  'not-found': 'This finding no longer exists.',
  'invalid-radpeer': 'Choose a RADPEER score: 1, 2a, 2b, 3a or 3b.',
  'invalid-verdict': 'This verdict does not fit the pair of findings.',
  blinded: 'The first reading is still hidden: reveal it before comparing or scoring.',
  'no-first-reading': 'There is no first reading to compare with.',
  'missing-radpeer': 'Choose a RADPEER score (1, 2a, 2b, 3a or 3b) before submitting.',
};

const READING_STATUS_LABELS: Readonly<Record<ReadingStatus, string>> = {
  draft: 'Draft',
  final: 'Final',
  amended: 'Amended',
};

const SOURCE_LABELS: Readonly<Record<ReadingSourceKind, string>> = {
  sr: 'Imported from a DICOM SR',
  seg: 'Imported from a DICOM segmentation',
  json: 'Imported from JSON',
  'text-sr': 'Imported from a DICOM text report',
  pdf: 'Imported from a PDF report',
};

export const en = {
  /** BCP 47 language of this catalogue. */
  language: 'en',

  // ---- Code labels (shared by the elements and the printable report) ----
  verdict: VERDICT_LABELS,
  category: CATEGORY_LABELS,
  severity: SEVERITY_LABELS,
  matchMethod: MATCH_METHOD_LABELS,
  role: ROLE_LABELS,
  kind: MEASUREMENT_KIND_LABELS,
  tool: TOOL_LABELS,
  value: VALUE_LABELS,
  windowPreset: WINDOW_PRESET_LABELS,
  radpeerDescription: RADPEER_DESCRIPTIONS,
  radpeerInterpretation: {
    '1': RADPEER_MEANINGS['1'].interpretation,
    '2a': RADPEER_MEANINGS['2a'].interpretation,
    '2b': RADPEER_MEANINGS['2b'].interpretation,
    '3a': RADPEER_MEANINGS['3a'].interpretation,
    '3b': RADPEER_MEANINGS['3b'].interpretation,
  } as Readonly<Record<RadpeerScore, string>>,
  radpeerSignificance: {
    unlikely: RADPEER_MEANINGS['2a'].significance!,
    likely: RADPEER_MEANINGS['2b'].significance!,
  },
  readingStatus: READING_STATUS_LABELS,
  source: SOURCE_LABELS,
  errorSummary: ERROR_SUMMARIES,
  errorHint: ERROR_HINTS as Readonly<Record<ErrorCode, string>>,
  readingError: READING_ERRORS,

  // ---- Messages shared by the elements ----
  common: {
    technicalDetails: 'Technical details',
    errorCode: (code: string) => `Error code: ${code}`,
    dismiss: 'Dismiss',
  },

  // ---- <ct-viewer> ----
  viewer: {
    toolbar: 'Viewer controls',
    windowPreset: 'Window preset',
    invert: 'Invert',
    invertTitle: 'Invert (I)',
    reset: 'Reset',
    resetTitle: 'Fit and reset (0)',
    zoomIn: 'Zoom in',
    zoomInTitle: 'Zoom in (+)',
    zoomOut: 'Zoom out',
    zoomOutTitle: 'Zoom out (−)',
    cineTitle: 'Cine: play or pause (Space)',
    cinePlay: 'Play',
    cinePause: 'Pause',
    series: 'Series',
    seriesNumber: (n: string) => `Series ${n}`,
    slice: 'Slice',
    sliceOf: (index: string, count: string) => `Slice ${index} of ${count}`,
    loadingImages: 'Loading images',
    imagesLoaded: (loaded: string, total: string) => `${loaded} of ${total} images loaded`,
    imagesFailed: (failed: string) => `${failed} failed (retrying)`,
    loadingSeries: 'Loading series…',
    errorTitle: 'Cannot show this series',
    tryAgain: 'Try again',
    noSeries: 'No series',
    dropHint: 'Drop a folder of DICOM files here, or choose files.',
    chooseFiles: 'Choose files…',
    dicomFiles: 'DICOM files',
    imagePending: 'Image not loaded yet',
    imageFailed: 'Image could not be loaded — retrying',
    imageOf: (index: string, count: string) => `Image ${index} of ${count}`,
    contextLost: 'The graphics context was lost and the images were drawn again.',
    cpuFallback: 'WebGL is unavailable; images are rendered on the CPU.',
    // Overlay: the short forms a CT console shows.
    overlayImage: (instanceNumber: string, index: string, count: string) => `Im ${instanceNumber} (${index}/${count})`,
    overlayPosition: (mm: string) => `Pos ${mm} mm`,
    overlayThickness: (mm: string) => `Thk ${mm} mm`,
    overlayWindow: (width: string, level: string) => `W ${width} L ${level}`,
    overlayZoom: (percent: string) => `Zoom ${percent}%`,
    overlayPatientId: (id: string) => `ID ${id}`,
    overlayBirthDate: (date: string) => `DOB ${date}`,
    unevenSpacing: 'Uneven slice spacing',
    gantryTilt: (degrees: string) => `Gantry tilt ${degrees}°`,
    cpuRendering: 'CPU rendering',
  },

  // ---- <measurement-tools> ----
  tools: {
    toolbar: 'Measurement tools',
    undo: 'Undo',
    undoTitle: 'Undo (Ctrl+Z)',
    redo: 'Redo',
    redoTitle: 'Redo (Ctrl+Shift+Z)',
    list: 'Measurements',
    empty: 'No measurements yet. Pick a tool and draw on the image.',
    // English says "other series" for any count ("series" is its own plural); German and Russian choose by count.
    emptyHere: (count: number, formatted: string) => `No measurements on this series (${formatted} on other series).`,
    locked: 'locked',
    labelOf: (name: string) => `Label of ${name}`,
    textOf: (name: string) => `Text of ${name}`,
    renameOf: (name: string) => `Rename ${name}`,
    renameTitle: 'Rename (F2)',
    editTextOf: (name: string) => `Edit text of ${name}`,
    editTextTitle: 'Edit text',
    deleteOf: (name: string) => `Delete ${name}`,
    deleteTitle: 'Delete',
    position: (index: string, count: string) => `Im ${index}/${count}`,
    defaultText: 'Note',
  },

  // ---- <opinion-report> ----
  report: {
    title: 'Second opinion',
    waiting: 'Waiting for the study…',
    secondReader: 'Second reader',
    submittedAt: (time: string) => `Submitted ${time}`,
    storing: 'storing in PACS…',
    stored: 'stored in PACS',
    notStored: 'NOT stored in PACS',
    draft: 'Draft',
    saving: 'Saving draft…',
    saved: 'Draft saved',
    savedAt: (time: string) => `Draft saved ${time}`,
    notSavedOff: 'Draft NOT saved: autosave is off',
    notSaved: 'Draft NOT saved in this browser',
    blindedNotice: 'Blinded read: the first reading is hidden until you reveal it. Make your own reading first.',
    reveal: 'Reveal first reading',
    printable: 'Printable report',
    submit: 'Submit second opinion',
    storeAgain: 'Store in PACS again',
    submitted: 'Submitted',
    impression: 'Impression',
    recommendations: 'Recommendations',
    radpeer: 'ACR RADPEER score',
    peerLearning: 'Peer-learning comment',
    yourFindings: 'Your findings',
    findings: 'Findings: first and second reading',
    firstColumn: (name: string) => `First · ${name}`,
    secondColumn: (name: string) => `Second · ${name}`,
    noFirstReading: 'no first reading',
    noFindings: 'No findings yet. Measure on the images with the tools; each measurement becomes a finding.',
    pair: (n: string) => `Finding pair ${n}`,
    pairWith: 'Pair with',
    notReported: 'not reported',
    noCounterpart: 'no counterpart',
    matchedBy: (method: string) => `matched by ${/^[A-Z][a-z]/.test(method) ? method.toLowerCase() : method}`,
    apart: (mm: string) => `${mm} mm apart`,
    dice: (value: string) => `Dice ${value}`,
    sizeDelta: (mm: string) => `Δ size ${mm} mm`,
    unpair: 'Unpair',
    verdict: 'Verdict',
    confirmed: 'Confirmed by the second reader',
    categoryField: 'Category',
    severityField: 'Severity',
    severityChoose: 'Severity…',
    descriptionField: 'Description',
    keyImage: 'Key image',
    keyImageAlt: (caption: string, time: string) => `Key image, ${caption} ${time}`,
    captured: 'captured',
    sliceOf: (index: string, count: string) => `slice ${index}/${count}`,
    firstReport: 'First report',
    firstReportOf: (name: string) => `First report · ${name}`,
    firstReportRegion: "First reader's report",
    openDocument: (title: string) => `Open ${title} in a new tab`,
    download: 'Download',
    pdfUnavailable: 'The PDF of the first report is not available here.',
    loadingDocument: (title: string) => `Loading ${title}…`,
    documentPage: (title: string, page: string, count: string) => `${title}, page ${page} of ${count}`,
    pages: (count: number, formatted: string) => `${formatted} ${plural(count, 'page', 'pages')}`,
    firstReadingNotLoaded: 'The first reading could not be loaded from the image server.',
    storeUnavailable: 'Storing is not available on this image server. Your report is kept in this browser.',
    changedSinceStored: 'changed since stored in PACS, NOT stored',
    submitAmended: 'Submit amended opinion',
    storeChanged:
      'Changed after it was stored in the PACS: the image server holds the earlier version, without these changes. Submit to store the amended report (a new SR that names the earlier one as its predecessor).',
    storedWithNote: 'Stored in PACS, with a note (see the technical details).',
    storeFailed: 'Not stored on the image server. Your report is kept in this browser; press Submit to try again.',
    autosaveOff:
      'Autosave is off: this browser cannot keep the draft. Your work is kept only in this page until it can be saved: keep the page open, or submit.',
    draftConflict: (time: string) =>
      `This study's draft was also changed in another tab or window (saved there ${time}). Nothing was overwritten: this page's draft is saved separately from now on, and a reload opens the other one.`,
    otherStudy: 'The first reading is of another study than the one read here.',
  },

  // ---- The printable report (core's renderReportHtml) ----
  printable: {
    title: 'CT second opinion',
    submitted: 'Submitted',
    draft: 'Draft',
    notSubmitted: 'not submitted',
    studyUid: 'Study Instance UID',
    reportId: 'Report ID',
    created: 'Created',
    lastChange: 'Last change',
    readers: 'Readers',
    reader: 'Reader',
    institution: 'Institution',
    status: 'Status',
    started: 'Started',
    finalised: 'Finalised',
    findings: 'Findings',
    source: 'Source',
    blindedRead: (from: string, unblindedAt: string | null) =>
      `The second reader read blinded from ${from}${unblindedAt ? ` and saw the first reading from ${unblindedAt}` : ' (not yet unblinded)'}.`,
    sawFromStart: (time: string) => `The second reader saw the first reading from the start (${time}).`,
    concordance: 'Concordance',
    noPairs: 'No findings to compare.',
    firstReading: 'First reading',
    secondReading: 'Second reading',
    match: 'Match',
    distance: 'Distance',
    sizeDelta: 'Size Δ',
    verdict: 'Verdict',
    notConfirmed: 'automatic, not confirmed',
    notReported: 'Not reported',
    unknownFinding: (id: string) => `Unknown finding ${id}`,
    pairingNote: (threshold: string) =>
      `Findings are paired automatically within ${threshold} (3D distance, same frame of reference) or by ROI overlap; size Δ is the second reader's largest diameter minus the first reader's.`,
    radpeerScore: 'RADPEER score',
    notScored: 'Not scored.',
    peerLearning: 'Peer-learning comment',
    noneGiven: 'None given.',
    noValues: 'no values',
    measurement: 'Measurement',
    values: 'Values',
    image: 'Image (SOP UID)',
    segment: (n: string) => `Segment ${n}`,
    volume: (value: string) => `volume ${value}`,
    centre: (coordinates: string) => `centre (${coordinates}) mm`,
    imageReferences: 'Image references:',
    noFindings: 'No findings reported.',
    impression: 'Impression',
    recommendations: 'Recommendations',
    keyImages: 'Key images',
    imageNotEmbedded: 'Image not embedded (not a PNG/JPEG data URL)',
    pageBefore: 'Page ',
    pageBetween: ' of ',
    noIdentity:
      'Contains no patient identity: match it to the patient by the Study Instance UID in the originating system.',
  },
};

/**
 * Names, units and codes that stay as they are in every language (DICOM attribute names, units,
 * acronyms, the RADPEER scores, product names): a translation may, and usually does, keep them.
 */
export const UNTRANSLATED_TERMS: readonly string[] = [
  'Study Instance UID',
  'SOP UID',
  'SecondRead',
  'ACR',
  'RADPEER',
  'RECIST',
  'DICOM',
  'PACS',
  'STOW-RS',
  'CAD',
  'ROI',
  'SEG',
  'JSON',
  'PDF',
  'PNG',
  'JPEG',
  'CT',
  'CPU',
  'WebGL',
  'Dice',
  'HU',
  'mm',
  'mm²',
  'mm³',
  'cm³',
];

/** The shape every catalogue has: exactly the keys of English, each with its kind of value. */
export type Catalogue = typeof en;
