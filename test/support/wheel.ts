/**
 * The mouse wheel for browser tests: a real, trusted wheel event from Chromium's input pipeline
 * (see wheel-plugin.ts), not a synthetic `WheelEvent` dispatched by the page.
 */
import { executeServerCommand } from '@web/test-runner-commands';

/** Turns the wheel over page position `position` (CSS pixels): positive `deltaY` scrolls down. */
export async function sendWheel(position: readonly [number, number], deltaY: number, deltaX = 0): Promise<void> {
  await executeServerCommand('send-wheel', { position: [position[0], position[1]], deltaX, deltaY });
}
