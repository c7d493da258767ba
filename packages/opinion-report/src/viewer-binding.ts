import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CtViewer } from '@secondread/ct-viewer';
import { viewerById } from '@secondread/ct-viewer/internal.js';
import type { MeasurementTools } from '@secondread/measurement-tools';

/** The measurement events of a `<measurement-tools>` that change the reader's measurements. */
const MEASUREMENT_EVENTS = ['ct-measurement-add', 'ct-measurement-change', 'ct-measurement-remove'] as const;

/** Whether `element` is a `<measurement-tools>`, under its own tag or a vendor's. */
function isMeasurementTools(element: Element): element is MeasurementTools {
  return (
    element.localName === 'measurement-tools' || typeof (element as Partial<MeasurementTools>).addLayer === 'function'
  );
}

/** What {@link ViewerBindingController} tells its host. */
export interface ViewerBindingCallbacks {
  /** The viewers or the second reader's toolbar are (re)bound: listeners are on the new ones. */
  bound(): void;
  /** A bound viewer loaded a series. */
  seriesLoad(viewer: CtViewer): void;
  /** The second reader's toolbar added, changed or removed a measurement. */
  measurements(tools: MeasurementTools): void;
}

/** A host element with a `for` attribute naming one or two viewer ids (like `<label for>`). */
export type ViewerBindingHost = ReactiveControllerHost & HTMLElement & { for?: string | undefined };

/**
 * Binds an element to the viewers its `for` attribute names (`for="first second"`; one id: both
 * readers share that viewer) and to the `<measurement-tools>` of the second one: resolves the ids
 * in the element's root (document or shadow root), listens to the viewers' `ct-series-load` and the
 * toolbar's measurement events, and removes every listener when the element leaves the page or the
 * binding changes. A `for` target (or a toolbar) added to the page after the element was bound,
 * replaced, or given its id later is picked up: the root is watched for such changes.
 *
 * Lookups are live ({@link viewers}, {@link toolsOf}), as `<label for>` is: they always name what
 * the page holds now.
 */
export class ViewerBindingController implements ReactiveController {
  private readonly host: ViewerBindingHost;
  private readonly callbacks: ViewerBindingCallbacks;
  private unbind: (() => void)[] = [];
  private observer: MutationObserver | null = null;
  /** The elements the listeners are on: [first viewer, second viewer, second reader's toolbar]. */
  private boundTo: readonly (Element | null)[] = [];

  constructor(host: ViewerBindingHost, callbacks: ViewerBindingCallbacks) {
    this.host = host;
    this.callbacks = callbacks;
    host.addController(this);
  }

  hostConnected(): void {
    this.bind();
    this.observe();
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.release();
  }

  /** Binds again (after `for` changed). */
  rebind(): void {
    this.bind();
  }

  /** The ids `for` names, in order. */
  ids(): string[] {
    return (this.host.for ?? '').split(/\s+/).filter(Boolean);
  }

  /** [first reader's viewer, second reader's viewer] (the same one when `for` names one). */
  viewers(): [CtViewer | null, CtViewer | null] {
    const ids = this.ids();
    const upgrading = { upgrading: true };
    return [viewerById(this.host, ids[0], upgrading), viewerById(this.host, ids[1] ?? ids[0], upgrading)];
  }

  /**
   * The `<measurement-tools>` bound to a viewer: by `for`, else nested in it. Found by what it is,
   * not by its tag, so a vendor's subclass under its own tag is found too.
   */
  toolsOf(viewer: CtViewer | null): MeasurementTools | null {
    if (!viewer) return null;
    const byFor = viewer.id ? this.root().querySelectorAll(`[for="${CSS.escape(viewer.id)}"]`) : [];
    return (
      [...byFor].find(isMeasurementTools) ??
      [...viewer.querySelectorAll(':not([for])')].find(isMeasurementTools) ??
      null
    );
  }

  private root(): Document | ShadowRoot {
    return this.host.getRootNode() as Document | ShadowRoot;
  }

  /** What the listeners should be on now. */
  private targets(): (Element | null)[] {
    const [first, second] = this.viewers();
    return [first, second, this.toolsOf(second)];
  }

  private release(): void {
    for (const off of this.unbind.splice(0)) off();
    this.boundTo = [];
  }

  private bind(): void {
    this.release();
    // Elements later in the page are parsed after this one: look again once the page settled.
    queueMicrotask(() => {
      if (!this.host.isConnected) return;
      this.attach();
    });
  }

  private attach(): void {
    this.release();
    const [firstViewer, secondViewer] = this.viewers();
    const tools = this.toolsOf(secondViewer);
    this.boundTo = [firstViewer, secondViewer, tools];
    if (tools) {
      const onMeasurements = (): void => this.callbacks.measurements(tools);
      for (const type of MEASUREMENT_EVENTS) {
        tools.addEventListener(type, onMeasurements);
        this.unbind.push(() => tools.removeEventListener(type, onMeasurements));
      }
    }
    for (const viewer of new Set([firstViewer, secondViewer])) {
      if (!viewer) continue;
      const onLoad = (): void => this.callbacks.seriesLoad(viewer);
      viewer.addEventListener('ct-series-load', onLoad);
      this.unbind.push(() => viewer.removeEventListener('ct-series-load', onLoad));
    }
    this.callbacks.bound();
  }

  /** Watches the root for `for` targets and toolbars that appear, go or change id later. */
  private observe(): void {
    this.observer?.disconnect();
    if (typeof MutationObserver === 'undefined') return;
    this.observer = new MutationObserver(() => {
      if (!this.host.isConnected || this.ids().length === 0) return;
      const now = this.targets();
      if (now.length === this.boundTo.length && now.every((el, i) => el === this.boundTo[i])) return;
      this.attach();
    });
    this.observer.observe(this.root(), {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['id', 'for'],
    });
  }
}
