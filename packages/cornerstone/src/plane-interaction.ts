/**
 * Mouse interaction for one reformatted plane: the drag mode on the primary button, pan on the
 * middle one, zoom on the right one, and the wheel moves the plane along its normal. No
 * measurement tools (yet): those are bound to the stack viewport's images.
 */
import { store, StackScrollTool, ToolGroupManager, Enums as ToolEnums } from '@cornerstonejs/tools';
import type { DragMode } from '@secondread/core';
import { RENDERING_ENGINE_ID } from './setup.js';
import { applyNavigation, DRAG_TOOL, ensureTools } from './interaction.js';

export class PlaneInteraction {
  private readonly groupId: string;

  constructor(viewportId: string, element: HTMLDivElement) {
    ensureTools();
    if (!element.querySelector('.svg-layer')) {
      store.addEnabledElement(
        new CustomEvent('secondread-enable', {
          detail: { element, viewportId, renderingEngineId: RENDERING_ENGINE_ID },
        }),
      );
    }
    this.groupId = `${viewportId}-tools`;
    const group = ToolGroupManager.createToolGroup(this.groupId)!;
    for (const name of Object.values(DRAG_TOOL)) group.addTool(name);
    group.addTool(StackScrollTool.toolName);
    group.addViewport(viewportId, RENDERING_ENGINE_ID);
    group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
    this.setDragMode('window-level');
  }

  setDragMode(mode: DragMode): void {
    const group = ToolGroupManager.getToolGroup(this.groupId);
    if (group) applyNavigation(group, mode);
  }

  destroy(): void {
    ToolGroupManager.destroyToolGroup(this.groupId);
  }
}
