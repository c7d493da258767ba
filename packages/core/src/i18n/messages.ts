/**
 * The catalogue for a locale: `de`, `de-DE`, `de_DE.UTF-8` → German, `ru…` → Russian, anything
 * else → English. Each element looks its words up with its own `locale`, so elements on one page
 * may speak different languages (see `en.ts` for why this is not a page-wide runtime locale).
 */
import { normalizeLocale } from '../locale.js';
import { de } from './de.js';
import { en, type Catalogue } from './en.js';
import { ru } from './ru.js';

export { en, UNTRANSLATED_TERMS, type Catalogue } from './en.js';
export { de } from './de.js';
export { ru } from './ru.js';

/** The languages SecondRead has a catalogue for; the first is the source language. */
export const LANGUAGES = ['en', 'de', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Every catalogue by language. */
export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, de, ru };

/** The runtime's default locale (the browser's language; Node's from its environment). */
function runtimeLocale(): string {
  return new Intl.NumberFormat().resolvedOptions().locale;
}

/**
 * The language of `locale` (BCP 47 or POSIX, normalised as {@link normalizeLocale} does) that a
 * catalogue exists for: its primary subtag when that is one of {@link LANGUAGES}, else `en`.
 * Without a locale, the runtime's default decides (as it does for numbers and dates).
 */
export function languageOf(locale: string | null | undefined): Language {
  const tag = normalizeLocale(locale) ?? runtimeLocale();
  const primary = tag.split('-')[0]!.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : 'en';
}

/** The catalogue for `locale` (see {@link languageOf}). */
export function messagesFor(locale: string | null | undefined): Catalogue {
  return CATALOGUES[languageOf(locale)];
}
