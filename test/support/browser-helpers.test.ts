/**
 * The generic browser-test helpers do what the tests rely on: the next event (typed from the
 * global event map), a timeout that rejects and leaves no listener, and polling until a
 * condition holds. Run with `pnpm exec tsx --test test/support/browser-helpers.test.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecondReadErrorEvent } from '../../packages/core/src/events.ts';
import { nextEvent, until } from './browser-helpers.ts';

describe('nextEvent', () => {
  it('resolves with the next event of the type, typed from the global event map', async () => {
    const target = new EventTarget();
    const next = nextEvent(target, 'ct-error', 1_000);
    const fired = new SecondReadErrorEvent({ code: 'corrupt', message: 'x', fatal: false });
    target.dispatchEvent(new Event('ct-other'));
    target.dispatchEvent(fired);
    target.dispatchEvent(new SecondReadErrorEvent({ code: 'network', message: 'later', fatal: true }));
    const event = await next;
    assert.equal(event, fired);
    // Typed: `detail` is SecondReadErrorDetail without a cast.
    const code: string = event.detail.code;
    assert.equal(code, 'corrupt');
  });

  it('takes an event class for names outside the map', async () => {
    const target = new EventTarget();
    const next = nextEvent<CustomEvent<number>>(target, 'my-event', 1_000);
    target.dispatchEvent(new CustomEvent('my-event', { detail: 7 }));
    assert.equal((await next).detail, 7);
  });

  it('rejects after the timeout, naming the event, and stops listening', async () => {
    const target = new EventTarget();
    let calls = 0;
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    target.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => {
      calls++;
      add(...args);
    };
    target.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => {
      calls--;
      remove(...args);
    };
    await assert.rejects(nextEvent(target, 'ct-series-load', 30), /No ct-series-load within 30 ms/);
    assert.equal(calls, 0, 'the listener is removed');
  });
});

describe('until', () => {
  it('resolves once the predicate holds, treating a throwing predicate as not yet', async () => {
    let n = 0;
    await until(
      () => {
        n++;
        if (n < 3) throw new Error('not there');
        return n >= 5;
      },
      2_000,
      'five polls',
    );
    assert.equal(n, 5);
  });

  it('times out naming what it waited for and the last error', async () => {
    await assert.rejects(
      until(
        () => {
          throw new Error('layer missing');
        },
        50,
        'the annotation layer',
      ),
      /Timed out waiting for the annotation layer \(last: layer missing\)/,
    );
  });
});
