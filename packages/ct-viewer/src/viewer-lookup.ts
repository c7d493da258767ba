/**
 * How cooperating elements (`<measurement-tools>`, `<opinion-report>`) find the viewers they work
 * on: by id in their own tree (`for="…"`, like `<label for>`) or by nesting, and by what an element
 * is, never by its tag name, so that a vendor's subclass under its own tag is found too.
 */
import type { CtViewer } from './ct-viewer.js';

/** Whether `element` is a `<ct-viewer>`, or a vendor's subclass under another tag. */
export function isViewerElement(element: Element | null | undefined): element is CtViewer {
  return !!element && (element.localName === 'ct-viewer' || 'annotations' in element);
}

/**
 * The viewer with `id` in the tree `host` lives in (its document or shadow root), or null. With
 * `upgrading`, also a custom element whose class is not defined yet (a vendor's viewer whose
 * `customElements.define` runs later): events still reach listeners on it.
 */
export function viewerById(host: Node, id: string | undefined, options: { upgrading?: boolean } = {}): CtViewer | null {
  if (!id) return null;
  const root = host.getRootNode() as Document | ShadowRoot;
  const found = root.getElementById?.(id) ?? null;
  if (isViewerElement(found)) return found;
  const pending = options.upgrading && found?.localName.includes('-') && !customElements.get(found.localName);
  return pending ? (found as CtViewer) : null;
}

/** The viewer `host` is nested in (its closest viewer ancestor), or null. */
export function enclosingViewer(host: Element): CtViewer | null {
  let element = host.parentElement;
  while (element && !isViewerElement(element)) element = element.parentElement;
  return element;
}
