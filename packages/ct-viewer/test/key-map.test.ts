import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { keyAction, pageStep, VIEWER_KEYS, ZOOM_STEP } from '../src/key-map.ts';

describe('keyAction', () => {
  it('scrolls one slice with the arrows: up/left down the stack, down/right up', () => {
    assert.deepEqual(keyAction({ key: 'ArrowUp' }, 30), { kind: 'step', delta: -1 });
    assert.deepEqual(keyAction({ key: 'ArrowLeft' }, 30), { kind: 'step', delta: -1 });
    assert.deepEqual(keyAction({ key: 'ArrowDown' }, 30), { kind: 'step', delta: 1 });
    assert.deepEqual(keyAction({ key: 'ArrowRight' }, 30), { kind: 'step', delta: 1 });
  });

  it('pages by a tenth of the series, at least one slice', () => {
    assert.deepEqual(keyAction({ key: 'PageDown' }, 133), { kind: 'step', delta: 13 });
    assert.deepEqual(keyAction({ key: 'PageUp' }, 133), { kind: 'step', delta: -13 });
    assert.deepEqual(keyAction({ key: 'PageDown' }, 4), { kind: 'step', delta: 1 });
    assert.equal(pageStep(0), 1);
    assert.equal(pageStep(300), 30);
  });

  it('jumps to the ends, zooms, resets and inverts', () => {
    assert.deepEqual(keyAction({ key: 'Home' }, 30), { kind: 'first' });
    assert.deepEqual(keyAction({ key: 'End' }, 30), { kind: 'last' });
    assert.deepEqual(keyAction({ key: '+' }, 30), { kind: 'zoom', factor: ZOOM_STEP });
    assert.deepEqual(keyAction({ key: '=' }, 30), { kind: 'zoom', factor: ZOOM_STEP });
    assert.deepEqual(keyAction({ key: '-' }, 30), { kind: 'zoom', factor: 1 / ZOOM_STEP });
    assert.equal(ZOOM_STEP * (1 / ZOOM_STEP), 1);
    assert.deepEqual(keyAction({ key: '0' }, 30), { kind: 'reset' });
    assert.deepEqual(keyAction({ key: 'i' }, 30), { kind: 'invert' });
  });

  it('toggles the default MIP slab with m', () => {
    assert.deepEqual(keyAction({ key: 'm' }, 30), { kind: 'slab' });
    assert.equal(keyAction({ key: 'M' }, 30), null);
  });

  it('plays and pauses cine with Space', () => {
    assert.deepEqual(keyAction({ key: ' ' }, 30), { kind: 'cine' });
  });

  it('leaves other keys and every chord with Ctrl, Meta or Alt to the browser', () => {
    for (const key of ['a', 'I', 'Enter', 'Escape', 'Tab', 'F5']) assert.equal(keyAction({ key }, 30), null, key);
    for (const key of VIEWER_KEYS) {
      assert.notEqual(keyAction({ key }, 30), null, key);
      assert.equal(keyAction({ key, ctrlKey: true }, 30), null, `Ctrl+${key}`);
      assert.equal(keyAction({ key, metaKey: true }, 30), null, `Meta+${key}`);
      assert.equal(keyAction({ key, altKey: true }, 30), null, `Alt+${key}`);
    }
  });
});
