/**
 * `cssProperties`: inline styles that a strict Content Security Policy allows.
 *
 * A policy without `style-src 'unsafe-inline'` (or `style-src-attr`) refuses every `style`
 * attribute, also one a script sets with `setAttribute('style', …)`, which is what a Lit binding
 * `style="width:${px}px"` does; Lit's `styleMap` does the same on its first render. Properties set
 * through the CSSOM (`element.style.setProperty`) are not style attributes and are allowed. This
 * element directive only ever uses the CSSOM: `<div ${cssProperties({ width: '80px' })}>`.
 */
import { noChange, nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/** CSS property names (`width`, `--_bar-width`) and their values; `null` removes one. */
export type CssProperties = Readonly<Record<string, string | null | undefined>>;

class CssPropertiesDirective extends Directive {
  private previous = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('cssProperties goes in an element position: <div ${…}>');
  }

  render(_properties: CssProperties): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [properties]: [CssProperties]): typeof noChange {
    const { style } = part.element as HTMLElement | SVGElement;
    for (const name of this.previous) if (properties[name] == null) style.removeProperty(name);
    this.previous = new Set();
    for (const [name, value] of Object.entries(properties)) {
      if (value == null) continue;
      style.setProperty(name, value);
      this.previous.add(name);
    }
    return noChange;
  }
}

/** Sets CSS properties on the element through the CSSOM (never a `style` attribute). */
export const cssProperties = directive(CssPropertiesDirective);
