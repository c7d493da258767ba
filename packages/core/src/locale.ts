/** Locale tags as portals pass them, normalised for `Intl` and for the catalogues (`i18n/messages.ts`). */
const warnedLocales = new Set<string>();

/**
 * A BCP 47 language tag for `value`, or undefined for "the runtime's default".
 *
 * Portals often pass POSIX locales (`de_DE`, `de_DE.UTF-8`, `sr_RS@latin`): these are normalised
 * (`de-DE`). Anything that is still not a valid tag falls back to the default with one console
 * warning per value, instead of the `RangeError` that `Intl` would throw on every use.
 */
export function normalizeLocale(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  const candidate = trimmed.replace(/[.@].*$/, '').replace(/_/g, '-');
  try {
    const [canonical] = Intl.getCanonicalLocales(candidate);
    if (canonical) return canonical;
  } catch {
    // Not a language tag: warned about below.
  }
  if (!warnedLocales.has(value)) {
    warnedLocales.add(value);
    console.warn(
      `SecondRead: locale "${value}" is not a BCP 47 language tag (e.g. "de-DE"); the page's default locale is used.`,
    );
  }
  return undefined;
}
