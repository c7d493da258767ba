/**
 * Finds English left in a German or Russian page or report: every string of the English
 * catalogue (and the fixed words of its messages with values) that appears, as whole words, in
 * `text`, unless the target language uses the same word itself (`Pneumothorax`, `Status`, a code
 * such as `ROI` in `ROI-Überlappung`) or it is a name, unit or code of {@link UNTRANSLATED_TERMS}.
 * Pure: used by the node test of the printable report and the browser tests of the elements.
 */
import { CATALOGUES, UNTRANSLATED_TERMS, type Language } from '../../packages/core/src/index.ts';

const HOLE = '\u0001';

/** The fixed words of every entry: a string as it is, a message cut at its values. */
function fragments(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (typeof node === 'function') {
    const fn = node as (...args: unknown[]) => string;
    return fn(...Array.from({ length: fn.length }, () => HOLE)).split(HOLE);
  }
  if (typeof node === 'object' && node !== null) return Object.values(node).flatMap(fragments);
  return [];
}

const clean = (fragment: string): string => fragment.replace(/^[\s·,.:;()“”"'–—-]+|[\s·,.:;()“”"'…–—-]+$/g, '');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wholeWords = (s: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}])${escape(s)}(?![\\p{L}\\p{N}])`, 'u');

/** English fragments worth looking for: three letters or more, not a name, unit or code. */
function englishFragments(): string[] {
  const { language: _language, ...english } = CATALOGUES.en;
  const all = new Set(fragments(english).map(clean));
  return [...all].filter((f) => /[A-Za-z]{3}/.test(f) && !UNTRANSLATED_TERMS.includes(f));
}

/** The English strings found in `text`, a page or report meant to be in `language`. */
export function englishLeftovers(text: string, language: Exclude<Language, 'en'>): string[] {
  const own = fragments(CATALOGUES[language]).join('\n');
  return englishFragments().filter((fragment) => {
    const pattern = wholeWords(fragment);
    return pattern.test(text) && !pattern.test(own);
  });
}

/** `text` with each of `data` (names, descriptions: what the test itself put in) taken out. */
export function withoutData(text: string, data: readonly string[]): string {
  return [...data].sort((a, b) => b.length - a.length).reduce((rest, value) => rest.split(value).join(' '), text);
}

/** How many English fragments the check looks for (so a test can tell it is not empty). */
export function englishFragmentCount(): number {
  return englishFragments().length;
}

/** The keys of a reading or opinion whose values are the readers' own words (or coded meanings), not the product's. */
const DATA_KEYS = new Set([
  'name',
  'institution',
  'description',
  'text',
  'impression',
  'recommendations',
  'comment',
  'peerLearningComment',
  'caption',
  'label',
  'meaning',
  'title',
]);

/** Every value under {@link DATA_KEYS} in `value` (an opinion, a reading, measurements). */
export function dataStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(dataStrings);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    typeof child === 'string' ? (DATA_KEYS.has(key) && child ? [child] : []) : dataStrings(child),
  );
}
