import {
  init as initTools,
  addTool,
  ToolGroupManager,
  WindowLevelTool,
  PanTool,
  ZoomTool,
  StackScrollTool,
  store,
  Enums as ToolEnums,
} from '@cornerstonejs/tools';
import { Settings } from '@cornerstonejs/core';
import type { DragMode, MeasurementKind } from '@secondread/core';
import { RENDERING_ENGINE_ID } from './setup.js';
import { registerAnnotationTools, ViewportAnnotations, type AnnotationHost } from './annotation-tools.js';

let toolsReady = false;

/** Initialises Cornerstone's tools once per page. */
export function ensureTools(): void {
  if (toolsReady) return;
  toolsReady = true;
  initTools();
  // Cornerstone's tool cursors are SVG images behind blob: URLs, which a strict Content Security
  // Policy (`img-src 'self'`) refuses. The viewport shows CSS cursors instead (see TOOL_CURSOR).
  Settings.getRuntimeSettings().set('useCursors', false);
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  registerAnnotationTools();
}

const { MouseBindings } = ToolEnums;
export const DRAG_TOOL: Record<Exclude<DragMode, 'none'>, string> = {
  'window-level': WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
};

type ToolGroup = NonNullable<ReturnType<typeof ToolGroupManager.getToolGroup>>;

/**
 * The navigation buttons of a tool group: the primary button does the drag mode, the middle
 * button pans, the right button zooms.
 * @returns the primary button's tool and every tool's bindings.
 */
export function applyNavigation(
  group: ToolGroup,
  mode: DragMode,
): { primary: string | null; bindings: Map<string, { mouseButton: number }[]> } {
  const primary = mode === 'none' ? null : DRAG_TOOL[mode];
  for (const name of Object.values(DRAG_TOOL)) group.setToolPassive(name);
  const bindings = new Map<string, { mouseButton: number }[]>();
  const bind = (name: string, mouseButton: number): void => {
    bindings.set(name, [...(bindings.get(name) ?? []), { mouseButton }]);
  };
  if (primary) bind(primary, MouseBindings.Primary);
  bind(PanTool.toolName, MouseBindings.Auxiliary);
  bind(ZoomTool.toolName, MouseBindings.Secondary);
  for (const [name, list] of bindings) group.setToolActive(name, { bindings: list });
  return { primary, bindings };
}

/**
 * The pointer over the image for the tool on the primary button: standard CSS cursors, which need
 * no image and so no `img-src` beyond `'self'`. Set as `--secondread-cursor` on the engine's
 * element, for the viewer's stylesheet to put on the canvas and SVG layer (Cornerstone writes
 * `cursor` on the element itself while a tool draws).
 */
export const TOOL_CURSOR: Readonly<Record<DragMode | 'measure', string>> = {
  'window-level': 'all-scroll',
  pan: 'move',
  zoom: 'zoom-in',
  none: 'default',
  measure: 'crosshair',
};

/**
 * Mouse interaction for one viewport: the primary button does the drag mode
 * (window/level by default), the middle button pans, the right button zooms,
 * and the wheel scrolls slices. Loaded only after the first image is on screen.
 */
export class ViewportInteraction {
  private readonly groupId: string;
  private mode: DragMode = 'window-level';
  private measurementTool: MeasurementKind | 'none' = 'none';
  readonly annotations: ViewportAnnotations;

  private readonly element: HTMLElement;

  constructor(viewportId: string, host: AnnotationHost) {
    ensureTools();
    // The tools are loaded after the first image: a viewport enabled before that never saw
    // their ELEMENT_ENABLED handler, so hook its mouse, wheel and SVG layers up now.
    if (!host.element.querySelector('.svg-layer')) {
      store.addEnabledElement(
        new CustomEvent('secondread-enable', {
          detail: { element: host.element, viewportId, renderingEngineId: RENDERING_ENGINE_ID },
        }),
      );
    }
    this.element = host.element;
    this.annotations = new ViewportAnnotations(host);
    this.groupId = `${viewportId}-tools`;
    const group = ToolGroupManager.createToolGroup(this.groupId)!;
    for (const name of Object.values(DRAG_TOOL)) group.addTool(name);
    group.addTool(StackScrollTool.toolName);
    group.addViewport(viewportId, RENDERING_ENGINE_ID);
    group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
    this.apply();
  }

  setDragMode(mode: DragMode): void {
    this.mode = mode;
    this.apply();
  }

  /** A measurement tool takes the primary button; `none` gives it back to the drag mode. */
  setMeasurementTool(kind: MeasurementKind | 'none'): void {
    this.measurementTool = kind;
    this.apply();
  }

  private apply(): void {
    const group = ToolGroupManager.getToolGroup(this.groupId);
    if (!group) return;
    this.element.style.setProperty(
      '--secondread-cursor',
      TOOL_CURSOR[this.measurementTool === 'none' ? this.mode : 'measure'],
    );
    const { primary, bindings } = applyNavigation(group, this.mode);
    if (this.measurementTool !== 'none') {
      if (primary) {
        // Keep the navigation tool on the other buttons only.
        const others = (bindings.get(primary) ?? []).filter((b) => b.mouseButton !== MouseBindings.Primary);
        if (others.length) group.setToolActive(primary, { bindings: others });
        else group.setToolPassive(primary);
      }
      this.annotations.setTool(this.measurementTool, this.groupId);
    } else {
      this.annotations.setTool('none', this.groupId);
    }
  }

  destroy(): void {
    this.annotations.destroy();
    ToolGroupManager.destroyToolGroup(this.groupId);
  }
}
