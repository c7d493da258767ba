import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptValue,
  CAMERA,
  describeValue,
  DRAG_MODES,
  isEngineProvider,
  isFinitePoint,
  oneOf,
  sliceIndexRule,
  TIMEOUT_MS,
  VOI,
} from '../src/index.ts';

/** Runs `fn` with console.warn captured; returns what was warned. */
function warnings(fn: () => void): string[] {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.map(String).join(' '));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

test('acceptValue: a valid value passes silently; an invalid one gives exactly one warning naming the allowed values', () => {
  const rule = oneOf(DRAG_MODES);
  assert.deepEqual(
    warnings(() => assert.equal(acceptValue('ct-viewer', 'drag-mode', 'pan', rule), true)),
    [],
  );
  const seen = warnings(() => assert.equal(acceptValue('ct-viewer', 'drag-mode', 'nope', rule), false));
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, /<ct-viewer>: drag-mode "nope" is ignored/);
  for (const mode of DRAG_MODES) assert.ok(seen[0]!.includes(`"${mode}"`), `names ${mode}`);
});

test('TIMEOUT_MS: only finite numbers above 0', () => {
  for (const bad of [-1, 0, NaN, Infinity, 'abc', null, undefined, {}])
    assert.equal(TIMEOUT_MS.test(bad), false, String(bad));
  for (const good of [1, 500, 30_000]) assert.equal(TIMEOUT_MS.test(good), true);
});

test('VOI: a finite centre and a finite width above 0', () => {
  assert.equal(VOI.test({ center: 40, width: 400 }), true);
  assert.equal(VOI.test({ center: -600, width: 1500 }), true);
  for (const bad of [
    { center: NaN, width: 400 },
    { center: 40, width: NaN },
    { center: 40, width: 0 },
    { center: 40, width: -5 },
    { center: Infinity, width: 400 },
    { center: '40', width: 400 },
    { width: 400 },
    [],
    'abc',
    null,
  ]) {
    assert.equal(VOI.test(bad), false, describeValue(bad));
  }
});

test('CAMERA: zoom above 0 and/or a finite pan pair; nothing else', () => {
  assert.equal(CAMERA.test({ zoom: 2, panMm: [1, -3] }), true);
  assert.equal(CAMERA.test({ zoom: 0.5 }), true);
  assert.equal(CAMERA.test({ panMm: [0, 0] }), true);
  for (const bad of [
    { zoom: 0 },
    { zoom: -1 },
    { zoom: NaN },
    { zoom: Infinity },
    { zoom: 2, panMm: [NaN, 0] },
    { panMm: [1] },
    { panMm: 'x' },
    {},
    [],
    'abc',
    null,
  ]) {
    assert.equal(CAMERA.test(bad), false, describeValue(bad));
  }
});

test('sliceIndexRule: integers from 0 to count - 1 only', () => {
  const rule = sliceIndexRule(30);
  for (const good of [0, 15, 29]) assert.equal(rule.test(good), true);
  for (const bad of [NaN, Infinity, -5, 30, 1e9, 1.5, '3', null]) assert.equal(rule.test(bad), false, String(bad));
  assert.match(rule.allowed, /0 to 29/);
  assert.equal(sliceIndexRule(0).test(0), false);
});

test('isEngineProvider: an object with createViewport, or a function; not {}', () => {
  assert.equal(isEngineProvider({}), false);
  assert.equal(isEngineProvider(null), false);
  assert.equal(isEngineProvider('cornerstone'), false);
  assert.equal(isEngineProvider({ createViewport: 1 }), false);
  assert.equal(isEngineProvider({ createViewport: () => null, renderer: 'gpu' }), true);
  assert.equal(
    isEngineProvider(async () => ({})),
    true,
  );
});

test('isFinitePoint and describeValue', () => {
  assert.equal(isFinitePoint(1, 2), true);
  assert.equal(isFinitePoint(NaN, 2), false);
  assert.equal(isFinitePoint(1, Infinity), false);
  assert.equal(describeValue({ zoom: NaN }), '{"zoom":"NaN"}');
  assert.equal(describeValue('x'.repeat(100)).length < 70, true);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(describeValue(cyclic), 'an object');
});
