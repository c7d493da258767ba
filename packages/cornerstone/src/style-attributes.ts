/**
 * Cornerstone's annotation text boxes under a strict Content Security Policy.
 *
 * Cornerstone3D's `drawTextBox` gives each new SVG `<text>` its style (no text selection, no
 * pointer events, the drop shadow that keeps values readable on bright bone) with
 * `setAttribute('style', …)`. A policy without `style-src 'unsafe-inline'` (or
 * `style-src-attr 'unsafe-inline'`) refuses that: a violation report per label, and labels without
 * their shadow. The same declarations set through the CSSOM (`element.style.cssText`) are not a
 * style attribute in the policy's sense and apply. So, while one of our tool instances renders its
 * annotations (synchronously), `setAttribute('style', …)` on SVG elements goes through the CSSOM;
 * outside those renders, nothing on the page is changed.
 */

let depth = 0;

function setAttributeThroughCssom(this: SVGElement, name: string, value: string): void {
  if (name.toLowerCase() === 'style') this.style.cssText = value;
  else Element.prototype.setAttribute.call(this, name, value);
}

/** Runs `render` with SVG elements' `setAttribute('style', …)` applied through the CSSOM. */
export function withCssomStyleAttributes<T>(render: () => T): T {
  if (depth++ === 0) {
    Object.defineProperty(SVGElement.prototype, 'setAttribute', {
      value: setAttributeThroughCssom,
      configurable: true,
      writable: true,
    });
  }
  try {
    return render();
  } finally {
    if (--depth === 0) delete (SVGElement.prototype as { setAttribute?: unknown }).setAttribute;
  }
}

const wrapped = new WeakSet<object>();

/** Makes one Cornerstone tool instance render its annotations through {@link withCssomStyleAttributes}. */
export function renderWithoutStyleAttributes(tool: RendersAnnotations | undefined): void {
  if (!tool || wrapped.has(tool) || typeof tool.renderAnnotation !== 'function') return;
  wrapped.add(tool);
  const render = tool.renderAnnotation.bind(tool);
  tool.renderAnnotation = (...args) => withCssomStyleAttributes(() => render(...args));
}

/** A Cornerstone annotation tool instance, as far as {@link renderWithoutStyleAttributes} is concerned. */
export interface RendersAnnotations {
  renderAnnotation?: (...args: unknown[]) => unknown;
}
