import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_INIT, SecondReadErrorEvent, type SecondReadErrorDetail } from '../src/index.ts';
import * as viewerEvents from '../../ct-viewer/src/events.ts';
import * as toolsEvents from '../../measurement-tools/src/events.ts';
import * as reportEvents from '../../opinion-report/src/events.ts';

test('ct-error: one event class that bubbles out of shadow roots with its code, message and fatality', () => {
  const detail: SecondReadErrorDetail = { code: 'not-found', message: 'No such series.', fatal: true };
  const event = new SecondReadErrorEvent(detail);
  assert.equal(event.type, 'ct-error');
  assert.equal(event.bubbles, true);
  assert.equal(event.composed, true);
  assert.deepEqual(event.detail, detail);

  const target = new EventTarget();
  let heard: SecondReadErrorDetail | undefined;
  target.addEventListener('ct-error', (e) => (heard = (e as SecondReadErrorEvent).detail));
  target.dispatchEvent(event);
  assert.equal(heard, detail);
});

test('every element exports that same ct-error class and builds its events on the one EVENT_INIT', () => {
  assert.equal(viewerEvents.ViewerErrorEvent, SecondReadErrorEvent);
  assert.equal(viewerEvents.SecondReadErrorEvent, SecondReadErrorEvent);
  assert.equal(toolsEvents.SecondReadErrorEvent, SecondReadErrorEvent);
  assert.equal(reportEvents.SecondReadErrorEvent, SecondReadErrorEvent);
  assert.deepEqual(EVENT_INIT, { bubbles: true, composed: true });
  assert.ok(Object.isFrozen(EVENT_INIT));
  const others = [
    new viewerEvents.SliceChangeEvent({
      index: 0,
      count: 1,
      positionMm: null,
      imagePositionPatient: null,
      instanceNumber: null,
      orientation: 'acquisition',
      centreMm: null,
    }),
    new toolsEvents.MeasurementRemoveEvent({ measurement: {} as never }),
    new reportEvents.ReportStoreEvent({ studyUid: '1', seriesUid: '2', sopInstanceUid: '3' }),
  ];
  for (const event of others) {
    assert.ok(event.type.startsWith('ct-'), event.type);
    assert.equal(event.bubbles, true, event.type);
    assert.equal(event.composed, true, event.type);
  }
});
