import type { EventName } from '@lit/react';
import { eventPropName, type EventPropName, type SecondReadEventName } from '@secondread/ct-viewer';

/** `{ onCtSliceChange: 'ct-slice-change', … }`, each name typed with its event class (from the global event map). */
export type ReactEventMap<Names extends SecondReadEventName> = {
  [N in Names as EventPropName<N>]: EventName<GlobalEventHandlersEventMap[N]>;
};

/** The `events` option of `createComponent` for an element that fires `names`. */
export function reactEventMap<const Names extends readonly SecondReadEventName[]>(
  names: Names,
): ReactEventMap<Names[number]> {
  return Object.fromEntries(names.map((name) => [eventPropName(name), name])) as ReactEventMap<Names[number]>;
}
