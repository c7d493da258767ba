/**
 * A web-test-runner plugin that turns the mouse wheel, as a user does: the browser test calls
 * `sendWheel` (test/support/wheel.ts), and the runner sends Chromium a real wheel event through
 * the DevTools protocol (`Input.dispatchMouseEvent`, type `mouseWheel`), which the page receives
 * as a trusted `wheel` event at that point, hit-tested like any other input.
 */

/** What `sendWheel` sends: a page position (CSS pixels) and the wheel's deltas. */
export interface SendWheelPayload {
  readonly position: readonly [number, number];
  readonly deltaX?: number;
  readonly deltaY: number;
}

interface CdpSession {
  send(method: 'Input.dispatchMouseEvent', params: Record<string, unknown>): Promise<unknown>;
}

interface PuppeteerPage {
  createCDPSession(): Promise<CdpSession>;
}

interface CommandContext {
  readonly command: string;
  readonly payload: unknown;
  readonly session: {
    readonly id: string;
    readonly browser: { readonly type?: string; getPage?(id: string): unknown };
  };
}

export const SEND_WHEEL_COMMAND = 'send-wheel';

function isPayload(payload: unknown): payload is SendWheelPayload {
  const p = payload as Partial<SendWheelPayload> | null;
  return (
    !!p &&
    Array.isArray(p.position) &&
    p.position.length === 2 &&
    p.position.every((v) => Number.isFinite(v)) &&
    typeof p.deltaY === 'number' &&
    Number.isFinite(p.deltaY) &&
    (p.deltaX === undefined || Number.isFinite(p.deltaX))
  );
}

export function sendWheelPlugin(): { name: string; executeCommand(context: CommandContext): Promise<unknown> } {
  const sessions = new WeakMap<object, Promise<CdpSession>>();
  return {
    name: 'secondread-send-wheel',
    async executeCommand({ command, payload, session }) {
      if (command !== SEND_WHEEL_COMMAND) return undefined;
      if (!isPayload(payload)) throw new Error('send-wheel needs { position: [x, y], deltaY, deltaX? }');
      if (session.browser.type !== 'puppeteer' || !session.browser.getPage) {
        throw new Error(`send-wheel needs the Chrome (puppeteer) launcher, not ${session.browser.type ?? 'this one'}`);
      }
      const page = session.browser.getPage(session.id) as PuppeteerPage;
      let cdp = sessions.get(page);
      if (!cdp) {
        cdp = page.createCDPSession();
        sessions.set(page, cdp);
      }
      await (
        await cdp
      ).send('Input.dispatchMouseEvent', {
        type: 'mouseWheel',
        x: payload.position[0],
        y: payload.position[1],
        deltaX: payload.deltaX ?? 0,
        deltaY: payload.deltaY,
      });
      return true;
    },
  };
}
