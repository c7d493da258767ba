/**
 * The printable second-opinion report: one standalone HTML document (inline CSS with an A4 print
 * stylesheet, key images embedded as data URLs, no external resources) that a host can show,
 * print, store as HTML or render to PDF. Pure string building: no DOM, works in Node and browsers.
 * Patient identity is not part of the model and is never added here.
 */
import type { Measurement } from '../measurements/types.js';
import { RADPEER_MEANINGS } from '../labels.js';
import { messagesFor } from '../i18n/messages.js';
import type { Catalogue } from '../i18n/en.js';
import {
  formatDateTime,
  formatFindingSize,
  formatNumber,
  formatQuantity,
  measurementValueParts,
  normalizeLocale,
} from '../format.js';
import {
  type Finding,
  type FindingPair,
  type KeyImage,
  type Reading,
  type SecondOpinion,
  type Verdict,
} from './types.js';

/** Options of {@link renderReportHtml}. */
export interface ReportHtmlOptions {
  /**
   * BCP 47 (or POSIX, `de_DE`) locale of the report's language, dates and numbers (e.g. `de-DE`,
   * `ru`; English, German and Russian have catalogues); defaults to `en-GB`. Invalid tags fall back to it.
   */
  readonly locale?: string;
  /** IANA time zone for dates (e.g. `Europe/Berlin`); defaults to the runtime's zone. Invalid zones fall back to UTC. */
  readonly timeZone?: string;
  /** Document title; defaults to `CT second opinion` in the report's language. */
  readonly title?: string;
  /** Product or institution name in the header; defaults to `SecondRead`. */
  readonly brand?: string;
}

const SAFE_IMAGE_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/;

/** Escapes text for HTML element content and quoted attribute values. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A CSS string literal that cannot end the string or the `<style>` element. */
function cssString(value: string): string {
  return `"${value.replace(/[^A-Za-z0-9 .,:;_-]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}

/** Stand-ins for already escaped dates inside catalogue words, replaced after escaping the words. */
const DATE_1 = '\u0000date1\u0000';
const DATE_2 = '\u0000date2\u0000';

/** Catalogue `words` escaped, with the stand-ins replaced by the (escaped) dates. */
function escapeWords(words: string, date1: string, date2: string): string {
  return escapeHtml(words).replace(DATE_1, date1).replace(DATE_2, date2);
}

interface Formatters {
  readonly locale: string;
  /** The words of the report's language. */
  readonly t: Catalogue;
  readonly date: (iso: string | undefined) => string;
  readonly number: (value: number, digits: number) => string;
  readonly signedNumber: (value: number, digits: number) => string;
}

/** The report's locale: the given one normalised (`de_DE` → `de-DE`), `en-GB` without a valid one. */
function reportLocale(locale: string | undefined): string {
  return normalizeLocale(locale) ?? 'en-GB';
}

/** The shared formatters of `format.ts`, bound to the report's locale and time zone, with HTML escaping. */
function makeFormatters(locale: string, timeZone: string | undefined): Formatters {
  return {
    locale,
    t: messagesFor(locale),
    date: (iso) => (iso ? escapeHtml(formatDateTime(iso, locale, timeZone)) : '—'),
    number: (value, digits) => escapeHtml(formatNumber(value, locale, digits, { fixed: true })),
    signedNumber: (value, digits) => escapeHtml(formatNumber(value, locale, digits, { fixed: true, signed: true })),
  };
}

/** `12.0 mm`: a number with its unit, kept together on one line (the wording of `formatQuantity`). */
function quantity(f: Formatters, value: number, digits: number, unit: string): string {
  return escapeHtml(formatQuantity(value, unit, f.locale, digits));
}

function kindLabel(f: Formatters, measurement: Measurement): string {
  return f.t.kind[measurement.kind] ?? measurement.kind;
}

/** The values of a measurement as `measurementValueParts` words them (the same parts the elements show). */
function measurementValues(f: Formatters, measurement: Measurement): string {
  const parts = measurementValueParts(measurement.values, { kind: measurement.kind, locale: f.locale });
  return parts.length
    ? parts
        .map(
          (part) =>
            `<span class="value"><span class="value-label">${escapeHtml(part.label)}</span> ${escapeHtml(part.text)}</span>`,
        )
        .join(' ')
    : `<span class="muted">${escapeHtml(f.t.printable.noValues)}</span>`;
}

function shortUid(uid: string): string {
  return uid.length > 14 ? `…${uid.slice(-12)}` : uid;
}

function siteText(finding: Finding): string | undefined {
  const site = finding.location.site;
  if (!site) return undefined;
  return typeof site === 'string' ? site : site.meaning || `${site.scheme} ${site.value}`;
}

interface LabelledReading {
  readonly reading: Reading;
  readonly prefix: string;
  readonly heading: string;
}

function labelReadings(opinion: SecondOpinion, t: Catalogue): LabelledReading[] {
  const first = opinion.readings.find((r) => r.id === opinion.concordance.firstReadingId);
  const second = opinion.readings.find((r) => r.id === opinion.concordance.secondReadingId);
  const ordered = [
    ...(first ? [first] : []),
    ...(second ? [second] : []),
    ...opinion.readings.filter((r) => r !== first && r !== second),
  ];
  let other = 0;
  return ordered.map((reading) => {
    if (reading === first) return { reading, prefix: 'F', heading: t.role.first };
    if (reading === second) return { reading, prefix: 'S', heading: t.role.second };
    other++;
    return { reading, prefix: `R${other}.`, heading: t.role[reading.role] };
  });
}

function findingLabel(labelled: LabelledReading | undefined, findingId: string | undefined): string | undefined {
  if (!labelled || !findingId) return undefined;
  const index = labelled.reading.findings.findIndex((f) => f.id === findingId);
  return index < 0 ? undefined : `${labelled.prefix}${index + 1}`;
}

function paragraphs(f: Formatters, text: string): string {
  const blocks = text
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  if (!blocks.length) return `<p class="muted">${escapeHtml(f.t.printable.noneGiven)}</p>`;
  return blocks.map((b) => `<p>${escapeHtml(b).replace(/\n/g, '<br>')}</p>`).join('');
}

function readerCard(f: Formatters, labelled: LabelledReading): string {
  const { reading, heading } = labelled;
  const reader = reading.reader;
  const t = f.t.printable;
  const rows: [string, string][] = [
    [
      t.reader,
      `<strong>${escapeHtml(reader.name)}</strong>${reader.id ? ` <span class="muted">(${escapeHtml(reader.id)})</span>` : ''}`,
    ],
    ...(reader.institution ? ([[t.institution, escapeHtml(reader.institution)]] as [string, string][]) : []),
    [t.status, escapeHtml(f.t.readingStatus[reading.status] ?? reading.status)],
    [t.started, f.date(reading.createdAt)],
    [reading.finalizedAt ? t.finalised : t.lastChange, f.date(reading.finalizedAt ?? reading.updatedAt)],
    [t.findings, f.number(reading.findings.length, 0)],
  ];
  if (reading.source) {
    rows.push([t.source, escapeHtml(f.t.source[reading.source.kind] ?? reading.source.kind)]);
  }
  return `<section class="card reader reader-${escapeHtml(reading.role)}">
  <h3>${escapeHtml(heading)}</h3>
  <dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>
</section>`;
}

function pairFindingCell(f: Formatters, labelled: LabelledReading | undefined, findingId: string | undefined): string {
  if (!findingId) return `<td class="none">${escapeHtml(f.t.printable.notReported)}</td>`;
  const finding = labelled?.reading.findings.find((x) => x.id === findingId);
  if (!finding) return `<td class="none">${escapeHtml(f.t.printable.unknownFinding(findingId))}</td>`;
  const size = formatFindingSize(finding, f.locale);
  return `<td><span class="ref">${escapeHtml(findingLabel(labelled, findingId) ?? '')}</span> ${escapeHtml(finding.description)}${
    size !== undefined ? `<div class="sub size">${escapeHtml(size)}</div>` : ''
  }</td>`;
}

function concordanceTable(f: Formatters, opinion: SecondOpinion, readings: LabelledReading[]): string {
  const first = readings.find((r) => r.reading.id === opinion.concordance.firstReadingId);
  const second = readings.find((r) => r.reading.id === opinion.concordance.secondReadingId);
  const pairs = opinion.concordance.pairs;
  const t = f.t.printable;
  if (!pairs.length) return `<p class="muted">${escapeHtml(t.noPairs)}</p>`;
  const row = (pair: FindingPair, index: number): string => {
    const distance = pair.distanceMm !== undefined ? quantity(f, pair.distanceMm, 1, 'mm') : '—';
    const delta =
      pair.sizeDeltaMm !== undefined
        ? `${f.signedNumber(pair.sizeDeltaMm, 1)}&#8239;mm${
            pair.sizeDeltaPercent !== undefined
              ? `<div class="sub">${f.signedNumber(pair.sizeDeltaPercent, 0)}&#8239;%</div>`
              : ''
          }`
        : '—';
    const method = `${escapeHtml(f.t.matchMethod[pair.method] ?? pair.method)}${
      pair.overlap !== undefined ? `<div class="sub">Dice ${f.number(pair.overlap, 2)}</div>` : ''
    }`;
    const verdict = `<span class="verdict verdict-${escapeHtml(pair.verdict)}">${escapeHtml(f.t.verdict[pair.verdict] ?? pair.verdict)}</span>${
      pair.confirmed ? '' : `<div class="sub">${escapeHtml(t.notConfirmed)}</div>`
    }`;
    const comment = pair.comment
      ? `<tr class="comment"><td></td><td colspan="6">${escapeHtml(pair.comment)}</td></tr>`
      : '';
    return `<tbody class="pair"><tr>
  <td class="num">${f.number(index + 1, 0)}</td>
  ${pairFindingCell(f, first, pair.firstFindingId)}
  ${pairFindingCell(f, second, pair.secondFindingId)}
  <td>${method}</td>
  <td class="num">${distance}</td>
  <td class="num">${delta}</td>
  <td>${verdict}</td>
</tr>${comment}</tbody>`;
  };
  const counts = new Map<Verdict, number>();
  for (const pair of pairs) counts.set(pair.verdict, (counts.get(pair.verdict) ?? 0) + 1);
  const summary = [...counts]
    .map(
      ([verdict, count]) =>
        `${f.number(count, 0)} ${escapeHtml(f.t.language === 'de' ? f.t.verdict[verdict] : (f.t.verdict[verdict]?.toLocaleLowerCase(f.t.language) ?? verdict))}`,
    )
    .join(' · ');
  return `<table class="concordance">
  <thead><tr>
    <th class="num">#</th><th>${escapeHtml(t.firstReading)}</th><th>${escapeHtml(t.secondReading)}</th><th>${escapeHtml(t.match)}</th>
    <th class="num">${escapeHtml(t.distance)}</th><th class="num">${escapeHtml(t.sizeDelta)}</th><th>${escapeHtml(t.verdict)}</th>
  </tr></thead>
  ${pairs.map(row).join('\n')}
</table>
<p class="note">${summary}. ${escapeWords(t.pairingNote(DATE_1), quantity(f, opinion.concordance.matchThresholdMm, 1, 'mm'), '')}</p>`;
}

function radpeerBlock(f: Formatters, opinion: SecondOpinion): string {
  const score = opinion.concordance.radpeer;
  const t = f.t;
  const significance = score ? RADPEER_MEANINGS[score].significance : undefined;
  const meaning = score
    ? {
        interpretation: t.radpeerInterpretation[score],
        significance: significance
          ? t.radpeerSignificance[significance === RADPEER_MEANINGS['2b'].significance ? 'likely' : 'unlikely']
          : undefined,
      }
    : undefined;
  const comment = opinion.concordance.peerLearningComment;
  const scoreHtml =
    score && meaning
      ? `<div class="score score-${escapeHtml(score.charAt(0))}">${escapeHtml(score)}</div>
    <div class="meaning">
      <div class="meaning-title">${escapeHtml(t.printable.radpeerScore)} ${escapeHtml(score)}</div>
      <div>${escapeHtml(meaning.interpretation)}.</div>
      ${meaning.significance ? `<div><strong>${escapeHtml(meaning.significance)}.</strong></div>` : ''}
    </div>`
      : `<div class="score score-none">—</div><div class="meaning"><div class="meaning-title">${escapeHtml(t.printable.radpeerScore)}</div><div>${escapeHtml(t.printable.notScored)}</div></div>`;
  return `<section class="radpeer card">
  <div class="radpeer-score">${scoreHtml}</div>
  <div class="peer-learning">
    <h3>${escapeHtml(t.printable.peerLearning)}</h3>
    ${paragraphs(f, comment ?? '')}
  </div>
</section>`;
}

function findingBlock(f: Formatters, labelled: LabelledReading, finding: Finding, index: number): string {
  const t = f.t.printable;
  const facts: string[] = [
    `<span class="tag">${escapeHtml(f.t.category[finding.category] ?? finding.category)}</span>`,
    ...(finding.severity
      ? [
          `<span class="tag severity-${escapeHtml(finding.severity)}">${escapeHtml(f.t.severity[finding.severity] ?? finding.severity)}</span>`,
        ]
      : []),
  ];
  const site = siteText(finding);
  const measurements = finding.location.measurements;
  const segment = finding.location.segment;
  const measurementRows = measurements
    .map(
      (m) => `<tr>
      <td>${escapeHtml(m.label || kindLabel(f, m))}<div class="sub">${escapeHtml(kindLabel(f, m))}</div></td>
      <td>${measurementValues(f, m)}</td>
      <td class="uid">${escapeHtml(shortUid(m.sopInstanceUid))}</td>
    </tr>`,
    )
    .join('');
  const segmentHtml = segment
    ? `<p class="segment">${escapeHtml(t.segment(f.number(segment.segmentNumber, 0)))}${segment.label ? ` “${escapeHtml(segment.label)}”` : ''}${
        segment.volumeMm3 !== undefined ? ` · ${t.volume(quantity(f, segment.volumeMm3, 0, 'mm³'))}` : ''
      }${segment.centroid ? ` · ${escapeHtml(t.centre(segment.centroid.map((c) => f.number(c, 1)).join('; '))).replace(/ mm$/, '&#8239;mm')}` : ''}</p>`
    : '';
  const images = finding.location.images.length
    ? `<p class="sub">${escapeHtml(t.imageReferences)} ${finding.location.images.map((i) => `<span class="uid">${escapeHtml(shortUid(i.sopInstanceUid))}</span>`).join(', ')}</p>`
    : '';
  return `<article class="finding">
  <h4><span class="ref">${escapeHtml(`${labelled.prefix}${index + 1}`)}</span> ${escapeHtml(finding.description)}</h4>
  <div class="facts">${facts.join(' ')}${site ? ` <span class="site">${escapeHtml(site)}</span>` : ''}</div>
  ${finding.text ? `<p>${escapeHtml(finding.text)}</p>` : ''}
  ${
    measurements.length
      ? `<table class="measurements"><thead><tr><th>${escapeHtml(t.measurement)}</th><th>${escapeHtml(t.values)}</th><th>${escapeHtml(t.image)}</th></tr></thead><tbody>${measurementRows}</tbody></table>`
      : ''
  }
  ${segmentHtml}${images}
</article>`;
}

function readingSection(f: Formatters, labelled: LabelledReading): string {
  const { reading } = labelled;
  const findings = reading.findings.length
    ? reading.findings.map((finding, i) => findingBlock(f, labelled, finding, i)).join('\n')
    : `<p class="muted">${escapeHtml(f.t.printable.noFindings)}</p>`;
  return `<section class="reading">
  <h2>${escapeHtml(labelled.heading)} <span class="h-sub">${escapeHtml(reading.reader.name)}</span></h2>
  ${findings}
  <div class="conclusion">
    <div class="block"><h3>${escapeHtml(f.t.printable.impression)}</h3>${paragraphs(f, reading.impression)}</div>
    <div class="block"><h3>${escapeHtml(f.t.printable.recommendations)}</h3>${paragraphs(f, reading.recommendations)}</div>
  </div>
</section>`;
}

function keyImagesSection(f: Formatters, readings: LabelledReading[]): string {
  const figures: string[] = [];
  for (const labelled of readings) {
    labelled.reading.findings.forEach((finding, index) => {
      for (const image of finding.keyImages ?? ([] as KeyImage[])) {
        const caption = `<figcaption><span class="ref">${escapeHtml(`${labelled.prefix}${index + 1}`)}</span> ${escapeHtml(
          image.caption ?? finding.description,
        )}<div class="sub">${escapeHtml(labelled.reading.reader.name)} · ${f.date(image.capturedAt)}</div></figcaption>`;
        const picture = SAFE_IMAGE_URL.test(image.dataUrl)
          ? `<img src="${escapeHtml(image.dataUrl)}" alt="${escapeHtml(image.caption ?? finding.description)}">`
          : `<div class="missing-image">${escapeHtml(f.t.printable.imageNotEmbedded)}</div>`;
        figures.push(`<figure>${picture}${caption}</figure>`);
      }
    });
  }
  if (!figures.length) return '';
  return `<section class="key-images"><h2>${escapeHtml(f.t.printable.keyImages)}</h2><div class="figures">${figures.join('\n')}</div></section>`;
}

const STYLES = `
:root { --ink: #1d2733; --muted: #5c6b7a; --rule: #d5dce3; --band: #f3f6f9; --accent: #0f4c81;
  --agree: #1e7b46; --disagree: #a65d00; --missed: #b3261e; --unconfirmed: #56606b; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #e9edf1;
  font: 10pt/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
.sheet { max-width: 210mm; margin: 12mm auto; padding: 14mm 14mm 12mm; background: #fff;
  box-shadow: 0 1px 6px rgba(0, 0, 0, .18); }
header.report { display: grid; grid-template-columns: 1fr auto; gap: 2mm 8mm; align-items: end;
  border-bottom: 2.5pt solid var(--accent); padding-bottom: 4mm; margin-bottom: 5mm; }
.brand { grid-column: 1 / -1; font-size: 8pt; font-weight: 700; letter-spacing: .14em; text-transform: uppercase; color: var(--accent); }
h1 { margin: 0; font-size: 19pt; line-height: 1.15; font-weight: 700; }
.report-status { text-align: end; font-size: 8.5pt; color: var(--muted); }
.report-status strong { display: block; font-size: 10pt; color: var(--ink); }
dl.meta { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 1mm 4mm; margin: 0 0 5mm; font-size: 8.5pt; }
dl.meta dd.wide { grid-column: 2 / -1; }
dl.meta dt, .card dt { color: var(--muted); }
dl.meta dd, .card dd { margin: 0; }
.uid { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; font-size: 7.5pt; word-break: break-all; }
td.uid { white-space: nowrap; word-break: normal; }
h2 { font-size: 12.5pt; margin: 7mm 0 3mm; padding-bottom: 1mm; border-bottom: .75pt solid var(--rule); color: var(--accent);
  break-after: avoid; page-break-after: avoid; }
h2 .h-sub { font-weight: 400; color: var(--muted); font-size: 10pt; margin-inline-start: 2mm; }
h3 { font-size: 9pt; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 1.5mm; }
h4 { font-size: 10.5pt; margin: 0 0 1mm; }
p { margin: 0 0 1.5mm; }
.muted, .sub { color: var(--muted); }
.sub { font-size: 8pt; }
.note { font-size: 8pt; color: var(--muted); margin-top: 2mm; }
.readers { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.card { border: .75pt solid var(--rule); border-radius: 2mm; padding: 3mm 4mm; background: #fff;
  break-inside: avoid; page-break-inside: avoid; }
.reader { border-top: 3pt solid var(--muted); }
.reader-second { border-top-color: var(--accent); }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .8mm 3mm; margin: 0; font-size: 9pt; }
.blinding { font-size: 8.5pt; color: var(--muted); margin-top: 2mm; }
.radpeer { display: grid; grid-template-columns: 1.1fr 1fr; gap: 5mm; margin-top: 4mm; background: var(--band); }
.radpeer-score { display: flex; gap: 4mm; align-items: center; }
.score { min-width: 16mm; height: 16mm; border-radius: 2mm; display: grid; place-items: center;
  font-size: 20pt; font-weight: 800; color: #fff; background: var(--unconfirmed); }
.score-1 { background: var(--agree); } .score-2 { background: var(--disagree); } .score-3 { background: var(--missed); }
.meaning { font-size: 9pt; } .meaning-title { font-weight: 700; font-size: 10.5pt; margin-bottom: .5mm; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; }
thead { display: table-header-group; }
th { text-align: start; font-size: 8pt; font-weight: 700; color: var(--muted); text-transform: uppercase; letter-spacing: .04em;
  border-bottom: 1pt solid var(--ink); padding: 1.2mm 2mm; }
td { padding: 1.6mm 2mm; vertical-align: top; border-bottom: .5pt solid var(--rule); }
tbody.pair, tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: end; white-space: nowrap; }
td.none { color: var(--muted); font-style: italic; }
tr.comment td { border-top: 0; padding-top: 0; font-size: 8.5pt; color: var(--muted); font-style: italic; }
tbody.pair:has(tr.comment) tr:first-child td { border-bottom: 0; }
.ref { display: inline-block; min-width: 6.5mm; padding: 0 1mm; border-radius: 1mm; background: var(--band);
  border: .5pt solid var(--rule); font-size: 8pt; font-weight: 700; text-align: center; color: var(--accent); }
.verdict { display: inline-block; padding: .3mm 2mm; border-radius: 3mm; font-size: 8pt; font-weight: 700; color: #fff; white-space: nowrap; }
.verdict-agree { background: var(--agree); } .verdict-disagree { background: var(--disagree); }
.verdict-missed-by-first { background: var(--missed); } .verdict-not-confirmed-by-second { background: var(--unconfirmed); }
.finding { border-inline-start: 2.5pt solid var(--rule); padding-block: 1mm; padding-inline: 4mm 0; margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }
.facts { margin-bottom: 1.5mm; font-size: 8.5pt; }
.tag { display: inline-block; padding: 0 1.6mm; border: .5pt solid var(--rule); border-radius: 1mm; background: var(--band); }
.tag[class*="severity-"] { text-transform: capitalize; }
.severity-major, .severity-critical { border-color: var(--missed); color: var(--missed); }
.severity-moderate { border-color: var(--disagree); color: var(--disagree); }
.site { color: var(--muted); }
table.measurements { margin: 1.5mm 0; table-layout: fixed; }
table.measurements th:nth-child(1) { width: 26%; } table.measurements th:nth-child(3) { width: 20%; white-space: nowrap; }
table.measurements td, table.measurements th { padding: 1mm 2mm; }
.value { white-space: nowrap; margin-inline-end: 3mm; } .value-label { color: var(--muted); }
.segment { font-size: 8.5pt; }
.conclusion { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; margin-top: 3mm; }
.conclusion .block { background: var(--band); border-radius: 2mm; padding: 3mm 4mm; break-inside: avoid; page-break-inside: avoid; }
.figures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; border-radius: 1mm; background: #000; image-rendering: auto; }
figcaption { font-size: 8.5pt; margin-top: 1.5mm; }
.missing-image { aspect-ratio: 1; display: grid; place-items: center; border: .75pt dashed var(--rule); color: var(--muted); font-size: 8pt; text-align: center; padding: 2mm; }
footer.report { margin-top: 8mm; padding-top: 2mm; border-top: .75pt solid var(--rule); font-size: 7.5pt; color: var(--muted);
  display: flex; justify-content: space-between; gap: 6mm; }
@media print {
  body { background: #fff; font-size: 9.5pt; }
  .sheet { max-width: none; margin: 0; padding: 0; box-shadow: none; }
}
`;

/**
 * Renders a second opinion as a complete, standalone HTML document for print or storage: a
 * header (title, study UID, dates), both readers, the concordance table (first finding, second
 * finding, match method, distance, size delta, verdict), the RADPEER score with its ACR meaning
 * and the peer-learning comment, each reading's findings with their values and units, impression
 * and recommendations, and the key images (embedded data URLs only). All text is escaped; dates
 * and numbers are formatted with `Intl` for `options.locale`. No external resources, no DOM.
 */
export function renderReportHtml(opinion: SecondOpinion, options: ReportHtmlOptions = {}): string {
  const locale = reportLocale(options.locale);
  const f = makeFormatters(locale, options.timeZone);
  const t = f.t.printable;
  const title = options.title ?? t.title;
  const brand = options.brand ?? 'SecondRead';
  const readings = labelReadings(opinion, f.t);
  const blinding = opinion.blinding;
  // f.date escapes already; the catalogue's words are escaped around it.
  const blindingText = blinding
    ? blinding.blinded
      ? escapeWords(
          t.blindedRead(DATE_1, blinding.unblindedAt ? DATE_2 : null),
          f.date(blinding.startedAt),
          f.date(blinding.unblindedAt),
        )
      : escapeWords(t.sawFromStart(DATE_1), f.date(blinding.startedAt), '')
    : '';
  const status = opinion.submittedAt
    ? `<strong>${escapeHtml(t.submitted)}</strong>${f.date(opinion.submittedAt)}`
    : `<strong>${escapeHtml(t.draft)}</strong>${escapeHtml(t.notSubmitted)}`;
  const pageCss = `@page { size: A4; margin: 15mm 14mm 16mm;
  @bottom-left { content: ${cssString(`${brand} · ${title}`)}; font: 7pt sans-serif; color: #5c6b7a; }
  @bottom-right { content: ${cssString(t.pageBefore)} counter(page) ${cssString(t.pageBetween)} counter(pages); font: 7pt sans-serif; color: #5c6b7a; } }`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="SecondRead">
<title>${escapeHtml(title)}</title>
<style>${STYLES}
${pageCss}</style>
</head>
<body>
<main class="sheet">
<header class="report">
  <div class="brand">${escapeHtml(brand)}</div>
  <h1>${escapeHtml(title)}</h1>
  <div class="report-status">${status}</div>
</header>
<dl class="meta">
  <dt>${escapeHtml(t.studyUid)}</dt><dd class="uid wide">${escapeHtml(opinion.studyUid)}</dd>
  <dt>${escapeHtml(t.reportId)}</dt><dd class="uid wide">${escapeHtml(opinion.id)}</dd>
  <dt>${escapeHtml(t.created)}</dt><dd>${f.date(opinion.createdAt)}</dd>
  <dt>${escapeHtml(t.lastChange)}</dt><dd>${f.date(opinion.updatedAt)}</dd>
</dl>
<section class="summary">
  <h2>${escapeHtml(t.readers)}</h2>
  <div class="readers">${readings
    .filter((r) => r.prefix === 'F' || r.prefix === 'S')
    .map((r) => readerCard(f, r))
    .join('\n')}</div>
  ${blindingText ? `<p class="blinding">${blindingText}</p>` : ''}
  ${radpeerBlock(f, opinion)}
</section>
<section class="comparison">
  <h2>${escapeHtml(t.concordance)}</h2>
  ${concordanceTable(f, opinion, readings)}
</section>
${readings.map((r) => readingSection(f, r)).join('\n')}
${keyImagesSection(f, readings)}
<footer class="report">
  <span>${escapeHtml(brand)} · ${escapeHtml(opinion.schema)} ${escapeHtml(opinion.version)}</span>
  <span>${escapeHtml(t.noIdentity)}</span>
</footer>
</main>
</body>
</html>
`;
}
