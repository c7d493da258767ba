/** The printable report in a new tab, and inside a FHIR R4 Bundle. */
import type { SecondOpinion } from '@secondread/core';
import type { exportFhirBundle, FhirExportOptions } from '@secondread/standards';

/** A FHIR R4 Bundle, as `@secondread/standards` builds it. */
export type FhirBundle = ReturnType<typeof exportFhirBundle>;

/** The opinion as a FHIR R4 Bundle with the printable report (UTF-8 HTML) as `presentedForm`. */
export async function fhirBundleWithReport(
  opinion: SecondOpinion,
  reportHtml: string,
  options: FhirExportOptions,
): Promise<FhirBundle> {
  const standards = await import('@secondread/standards');
  const bytes = new TextEncoder().encode(reportHtml);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return standards.exportFhirBundle(opinion, {
    presentedForm: { contentType: 'text/html; charset=utf-8', data: btoa(binary), title: 'CT second opinion' },
    ...options,
  });
}

/** Opens a standalone HTML document in a new tab (its blob URL is revoked after a minute). */
export function openInNewTab(documentHtml: string): void {
  const url = URL.createObjectURL(new Blob([documentHtml], { type: 'text/html' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
