/**
 * Types that describe an element to a framework: which properties a host may set and which
 * events it fires, with their classes. `@secondread/react` and the packages' `vue` and `jsx`
 * typings are built from them, so they follow the element classes and their event maps.
 */
import type { LitElement } from 'lit';

/** Keys of `T` whose values are not methods. */
type DataKeys<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? never : K }[keyof T];

type IfEquals<X, Y, A> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? A : never;

/** Keys of `T` that can be assigned (getter-only accessors are `readonly`). */
type WritableKeys<T> = {
  [K in keyof T]-?: IfEquals<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }, K>;
}[keyof T];

/**
 * The properties a host may set on element `E`: its own writable data properties, not those of
 * `LitElement`/`HTMLElement` (`dicomwebRoot`, `headers`, `files`, `for`, `tool`, …), all optional.
 */
export type ElementProperties<E> = Partial<Pick<E, Exclude<DataKeys<E> & WritableKeys<E>, keyof LitElement>>>;

/** A SecondRead event name on the global event map (`ct-…`). */
export type SecondReadEventName = keyof GlobalEventHandlersEventMap & `ct-${string}`;

/** `ct-slice-change` → `CtSliceChange`. */
type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Capitalize<Head>}${PascalCase<Tail>}`
  : Capitalize<S>;

/** The camel-case callback property of an event: `ct-slice-change` → `onCtSliceChange` (React wrappers, Vue). */
export type EventPropName<N extends string> = `on${PascalCase<N>}`;

/** `{ onCtSliceChange?: (event: SliceChangeEvent) => void, … }` for the events `Names`. */
export type EventCallbackProps<Names extends SecondReadEventName> = {
  [N in Names as EventPropName<N>]?: (event: GlobalEventHandlersEventMap[N]) => void;
};

/**
 * `{ 'onct-slice-change'?: (event: SliceChangeEvent) => void, … }`: how React 19 binds a custom
 * element's events without a wrapper (`on` followed by the event's own name).
 */
export type JsxEventProps<Names extends SecondReadEventName> = {
  [N in Names as `on${N}`]?: (event: GlobalEventHandlersEventMap[N]) => void;
};

/** `ct-slice-change` → `onCtSliceChange`, at run time (the React wrappers' event map). */
export function eventPropName<N extends string>(name: N): EventPropName<N> {
  const pascal = name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `on${pascal}` as EventPropName<N>;
}
