/**
 * The measurements of a reading as a framework-free collection: layers (some locked),
 * undo/redo, change listeners. `<measurement-tools>` keeps one per viewer and turns its
 * changes into `ct-measurement-*` events; tests and exporters use it without any UI.
 */
import type { Mutable } from '../mutable.js';
import { isSameJson } from '../json-schema.js';
import { MeasurementError } from './errors.js';
import { updateMeasurement, type MeasurementPatch } from './create.js';
import { checkMeasurementCount } from './geometry.js';
import { parseMeasurement } from './schema.js';
import type { Measurement } from './types.js';

export {
  createMeasurement,
  newMeasurementId,
  updateMeasurement,
  type MeasurementInit,
  type MeasurementPatch,
} from './create.js';

/** The layer edits go to unless told otherwise: the current reader's own measurements. */
export const DEFAULT_MEASUREMENT_LAYER = 'default';

/** A named set of measurements, e.g. the first reader's (locked) next to the second reader's own. */
export interface MeasurementLayer {
  readonly name: string;
  /** Measurements of a locked layer cannot be added, changed or removed (only replaced by `load`). */
  readonly locked: boolean;
}

export const MEASUREMENT_CHANGE_TYPES = ['add', 'change', 'remove'] as const;
export type MeasurementChangeType = (typeof MEASUREMENT_CHANGE_TYPES)[number];

/** What caused a change: an edit, undo or redo of one, or loading a set (`load`, `addLayer`, `removeLayer`). */
export type MeasurementChangeCause = 'edit' | 'undo' | 'redo' | 'load';

/** What a {@link MeasurementStore} listener receives, once per measurement added, changed or removed. */
export interface MeasurementStoreChange {
  readonly type: MeasurementChangeType;
  /** The measurement as it is now (for `remove`: as it was). */
  readonly measurement: Measurement;
  /** For `change`: the measurement before. */
  readonly previous?: Measurement;
  readonly layer: string;
  readonly cause: MeasurementChangeCause;
}

export type MeasurementStoreListener = (change: MeasurementStoreChange) => void;

/** A validated, deeply frozen copy: what the store hands out can't be changed behind its back. */
function frozenCopy(value: unknown, path = ''): Measurement {
  const copy = parseMeasurement(value, path) as Mutable<Measurement>;
  copy.points = Object.freeze(copy.points.map((point) => Object.freeze(point)));
  Object.freeze(copy.values);
  if (copy.imageOrientationPatient) Object.freeze(copy.imageOrientationPatient);
  return Object.freeze(copy);
}

/** One measurement's move from `before` to `after` (absent = not in the store). */
interface Operation {
  readonly id: string;
  readonly layer: string;
  /** Position in the list, to put a removed measurement back where it was. */
  readonly index: number;
  readonly before?: Measurement;
  after?: Measurement;
}

interface Entry {
  readonly measurement: Measurement;
  readonly layer: string;
}

export interface MeasurementStoreOptions {
  /** Clock for timestamps (tests). Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Undo steps kept. Default 200. */
  readonly historyLimit?: number;
}

/**
 * The measurements of one reading, in layers. Edits (`add`, `update`, `remove`, `clear`) are
 * undoable; each fires one change per measurement to the listeners, after the store is
 * consistent. Measurements handed out are frozen.
 *
 * Locks: a measurement in a locked layer cannot be added, updated or removed; a measurement
 * flagged `locked` cannot be updated or removed either, except for `update(id, { locked: false })`.
 * Refused edits throw `MeasurementError` with code `locked` and change nothing.
 *
 * Listeners run after each edit, synchronously; one that throws does not stop the others, and
 * the first error is rethrown to the caller once all have run (the edit itself stands).
 */
export class MeasurementStore {
  #entries = new Map<string, Entry>();
  #order: string[] = [];
  #layers = new Map<string, MeasurementLayer>([
    [DEFAULT_MEASUREMENT_LAYER, { name: DEFAULT_MEASUREMENT_LAYER, locked: false }],
  ]);
  #undo: Operation[][] = [];
  #redo: Operation[][] = [];
  /** Open transaction: the operations so far and the changes waiting to be announced. */
  #transaction: { operations: Operation[]; changes: MeasurementStoreChange[] } | null = null;
  /** Whether the newest undo step is an edit that `update(…, { merge: true })` may extend. */
  #mergeable = false;
  #listeners = new Set<MeasurementStoreListener>();
  readonly #now: () => Date;
  readonly #historyLimit: number;

  constructor(options: MeasurementStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#historyLimit = Math.max(1, options.historyLimit ?? 200);
  }

  // ---- reading ----------------------------------------------------------------------------

  get size(): number {
    return this.#order.length;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  get(id: string): Measurement | undefined {
    return this.#entries.get(id)?.measurement;
  }

  /** Measurements in the order they were added, optionally of one layer or one image. */
  list(filter: { layer?: string; sopInstanceUid?: string } = {}): Measurement[] {
    const result: Measurement[] = [];
    for (const id of this.#order) {
      const entry = this.#entries.get(id);
      if (!entry) continue;
      if (filter.layer !== undefined && entry.layer !== filter.layer) continue;
      if (filter.sopInstanceUid !== undefined && entry.measurement.sopInstanceUid !== filter.sopInstanceUid) continue;
      result.push(entry.measurement);
    }
    return result;
  }

  layers(): MeasurementLayer[] {
    return [...this.#layers.values()];
  }

  layerOf(id: string): string | undefined {
    return this.#entries.get(id)?.layer;
  }

  /** True when the measurement (or its layer) is locked. */
  isLocked(id: string): boolean {
    const entry = this.#entries.get(id);
    return Boolean(entry && (entry.measurement.locked || this.#layers.get(entry.layer)?.locked));
  }

  get canUndo(): boolean {
    return this.#undo.length > 0;
  }

  get canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Calls `listener` for every change from now on; returns the function that stops it. */
  subscribe(listener: MeasurementStoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- edits (undoable) -------------------------------------------------------------------

  /**
   * Adds a measurement (validated and copied) to a layer (default: {@link DEFAULT_MEASUREMENT_LAYER}).
   * @throws MeasurementError `duplicate-id`, `not-found` (no such layer), `locked` (locked layer);
   *   MeasurementSchemaError (invalid measurement)
   */
  add(measurement: Measurement, options: { layer?: string } = {}): Measurement {
    const layer = options.layer ?? DEFAULT_MEASUREMENT_LAYER;
    this.#editableLayer(layer);
    const copy = frozenCopy(measurement);
    if (this.#entries.has(copy.id)) {
      throw new MeasurementError('duplicate-id', `A measurement with id ${copy.id} is already there.`);
    }
    this.#record([{ id: copy.id, layer, index: this.#order.length, after: copy }], 'edit');
    return copy;
  }

  /**
   * Applies `patch` to a measurement (see {@link updateMeasurement}). With `merge: true` the
   * edit joins the previous undo step when that was an edit of the same measurement alone (a
   * drag: one undo step from pointer-down to pointer-up). A patch that changes nothing but
   * `updatedAt` is ignored: the stored measurement is returned as it is, with no undo step and
   * no change event (as `SecondOpinionModel` ignores no-op edits).
   * @throws MeasurementError `not-found`, `locked`, `invalid-points`
   */
  update(id: string, patch: MeasurementPatch, options: { merge?: boolean } = {}): Measurement {
    const entry = this.#existing(id);
    const keys = Object.keys(patch);
    const onlyUnlocks = keys.length > 0 && keys.every((key) => key === 'locked');
    this.#checkEditable(entry, onlyUnlocks);
    const next = frozenCopy(updateMeasurement(entry.measurement, patch, this.#now()));
    // An edit that changes nothing (the engine re-reporting an annotation after a redraw, a
    // field committed with its old text) is no edit: no new `updatedAt`, no undo step, no event.
    if (isSameJson({ ...next, updatedAt: entry.measurement.updatedAt }, entry.measurement)) return entry.measurement;
    const operation: Operation = {
      id,
      layer: entry.layer,
      index: this.#order.indexOf(id),
      before: entry.measurement,
      after: next,
    };
    const previous = this.#transaction ? undefined : this.#undo[this.#undo.length - 1];
    const [only] = previous ?? [];
    if (options.merge && this.#mergeable && previous?.length === 1 && only?.id === id) {
      const change = this.#apply(operation, 'forward', 'edit');
      only.after = next;
      this.#announce([change]);
      return next;
    }
    this.#record([operation], 'edit');
    return next;
  }

  /**
   * Removes a measurement and returns it.
   * @throws MeasurementError `not-found`, `locked`
   */
  remove(id: string): Measurement {
    const entry = this.#existing(id);
    this.#checkEditable(entry, false);
    this.#record([{ id, layer: entry.layer, index: this.#order.indexOf(id), before: entry.measurement }], 'edit');
    return entry.measurement;
  }

  /**
   * Removes every measurement that is not locked (locked layers and locked measurements stay),
   * as one undo step. Returns what was removed.
   */
  clear(): Measurement[] {
    const removed: Operation[] = [];
    this.#order.forEach((id, index) => {
      const entry = this.#entries.get(id);
      if (entry && !this.isLocked(id)) removed.push({ id, layer: entry.layer, index, before: entry.measurement });
    });
    if (!removed.length) return [];
    // Removed last to first, so that undo (which runs backwards) puts them back first to last at their old places.
    this.#record([...removed].reverse(), 'edit');
    return removed.map((operation) => operation.before!);
  }

  /**
   * Runs `edit` and makes everything it changes one undo step. If `edit` throws, its changes
   * are rolled back, listeners hear nothing, and the error is rethrown.
   */
  transaction<T>(edit: () => T): T {
    if (this.#transaction) return edit();
    const transaction: { operations: Operation[]; changes: MeasurementStoreChange[] } = {
      operations: [],
      changes: [],
    };
    this.#transaction = transaction;
    let result: T;
    try {
      result = edit();
    } catch (error) {
      for (const operation of [...transaction.operations].reverse()) this.#apply(operation, 'backward');
      throw error;
    } finally {
      this.#transaction = null;
    }
    if (transaction.operations.length) this.#pushUndo(transaction.operations);
    this.#announce(transaction.changes);
    return result;
  }

  /** Undoes the newest edit; false when there is none. */
  undo(): boolean {
    this.#assertNoTransaction('undo');
    const operations = this.#undo.pop();
    if (!operations) return false;
    const changes = [...operations].reverse().map((operation) => this.#apply(operation, 'backward', 'undo'));
    this.#redo.push(operations);
    this.#mergeable = false;
    this.#announce(changes);
    return true;
  }

  /** Redoes the newest undone edit; false when there is none. */
  redo(): boolean {
    this.#assertNoTransaction('redo');
    const operations = this.#redo.pop();
    if (!operations) return false;
    const changes = operations.map((operation) => this.#apply(operation, 'forward', 'redo'));
    this.#undo.push(operations);
    this.#mergeable = false;
    this.#announce(changes);
    return true;
  }

  // ---- loading and layers (not undoable; they reset the history where it could go stale) ----

  /**
   * Replaces the measurements of a layer (default: {@link DEFAULT_MEASUREMENT_LAYER}, created
   * when missing) with `measurements`, all validated first: on an invalid one nothing changes.
   * Clears the undo history. Works on locked layers too (loading is not editing).
   * @throws MeasurementSchemaError (path `[index].field`), MeasurementError `duplicate-id`
   */
  load(measurements: readonly Measurement[], options: { layer?: string } = {}): void {
    this.#assertNoTransaction('load');
    const layer = options.layer ?? DEFAULT_MEASUREMENT_LAYER;
    const copies = this.#validated(measurements, layer);
    if (!this.#layers.has(layer)) this.#layers.set(layer, { name: layer, locked: false });
    const changes = this.#removeLayerEntries(layer);
    changes.push(...this.#insert(copies, layer));
    this.#resetHistory();
    this.#announce(changes);
  }

  /**
   * Adds a layer holding `measurements` (validated first; on an invalid one nothing changes).
   * `locked: true` makes it read-only, e.g. the first reading beside the second reader's own.
   * @throws MeasurementError `duplicate-layer`, `duplicate-id`; MeasurementSchemaError
   */
  addLayer(name: string, measurements: readonly Measurement[] = [], options: { locked?: boolean } = {}): void {
    this.#assertNoTransaction('addLayer');
    if (this.#layers.has(name))
      throw new MeasurementError('duplicate-layer', `A layer named ${name} is already there.`);
    const copies = this.#validated(measurements, name);
    this.#layers.set(name, { name, locked: options.locked ?? false });
    this.#announce(this.#insert(copies, name));
  }

  /**
   * Removes a layer and its measurements. Clears the undo history.
   * @throws MeasurementError `not-found`
   */
  removeLayer(name: string): void {
    this.#assertNoTransaction('removeLayer');
    if (!this.#layers.has(name)) throw new MeasurementError('not-found', `There is no layer named ${name}.`);
    const changes = this.#removeLayerEntries(name);
    this.#layers.delete(name);
    this.#resetHistory();
    this.#announce(changes);
  }

  /**
   * Locks or unlocks a layer. Locking clears the undo history (older steps may touch it).
   * @throws MeasurementError `not-found`
   */
  setLayerLocked(name: string, locked: boolean): void {
    this.#assertNoTransaction('setLayerLocked');
    const layer = this.#layers.get(name);
    if (!layer) throw new MeasurementError('not-found', `There is no layer named ${name}.`);
    this.#layers.set(name, { name, locked });
    if (locked && !layer.locked) this.#resetHistory();
  }

  // ---- internals --------------------------------------------------------------------------

  #existing(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new MeasurementError('not-found', `There is no measurement with id ${id}.`);
    return entry;
  }

  #editableLayer(name: string): MeasurementLayer {
    const layer = this.#layers.get(name);
    if (!layer) throw new MeasurementError('not-found', `There is no layer named ${name}.`);
    if (layer.locked) throw new MeasurementError('locked', `The layer ${name} is locked.`);
    return layer;
  }

  #checkEditable(entry: Entry, onlyUnlocks: boolean): void {
    this.#editableLayer(entry.layer);
    if (entry.measurement.locked && !onlyUnlocks) {
      throw new MeasurementError('locked', `The measurement ${entry.measurement.id} is locked.`);
    }
  }

  #assertNoTransaction(method: string): void {
    if (this.#transaction) throw new Error(`${method}() cannot run inside a transaction.`);
  }

  #validated(measurements: readonly Measurement[], layer: string): Measurement[] {
    checkMeasurementCount(measurements.length);
    const ids = new Set<string>();
    return measurements.map((measurement, index) => {
      const copy = frozenCopy(measurement, `[${index}]`);
      const owner = this.#entries.get(copy.id)?.layer;
      if (ids.has(copy.id) || (owner !== undefined && owner !== layer)) {
        throw new MeasurementError('duplicate-id', `[${index}].id: a measurement with id ${copy.id} is already there.`);
      }
      ids.add(copy.id);
      return copy;
    });
  }

  #insert(measurements: readonly Measurement[], layer: string): MeasurementStoreChange[] {
    return measurements.map((measurement) => {
      this.#entries.set(measurement.id, { measurement, layer });
      this.#order.push(measurement.id);
      return { type: 'add', measurement, layer, cause: 'load' };
    });
  }

  #removeLayerEntries(layer: string): MeasurementStoreChange[] {
    const changes: MeasurementStoreChange[] = [];
    this.#order = this.#order.filter((id) => {
      const entry = this.#entries.get(id);
      if (entry?.layer !== layer) return true;
      this.#entries.delete(id);
      changes.push({ type: 'remove', measurement: entry.measurement, layer, cause: 'load' });
      return false;
    });
    return changes;
  }

  /** Applies new edits: as one undo step, or into the open transaction. */
  #record(operations: Operation[], cause: MeasurementChangeCause): void {
    const changes = operations.map((operation) => this.#apply(operation, 'forward', cause));
    if (this.#transaction) {
      this.#transaction.operations.push(...operations);
      this.#transaction.changes.push(...changes);
      return;
    }
    this.#pushUndo(operations);
    this.#announce(changes);
  }

  #pushUndo(operations: Operation[]): void {
    this.#undo.push(operations);
    if (this.#undo.length > this.#historyLimit) this.#undo.shift();
    this.#redo = [];
    this.#mergeable = true;
  }

  #resetHistory(): void {
    this.#undo = [];
    this.#redo = [];
    this.#mergeable = false;
  }

  /** Moves one measurement to the `after` (forward) or `before` (backward) state of an operation. */
  #apply(
    operation: Operation,
    direction: 'forward' | 'backward',
    cause: MeasurementChangeCause = 'edit',
  ): MeasurementStoreChange {
    const from = direction === 'forward' ? operation.before : operation.after;
    const to = direction === 'forward' ? operation.after : operation.before;
    const { id, layer } = operation;
    if (!to) {
      this.#entries.delete(id);
      this.#order.splice(this.#order.indexOf(id), 1);
      return { type: 'remove', measurement: from!, layer, cause };
    }
    if (!this.#entries.has(id)) this.#order.splice(Math.min(operation.index, this.#order.length), 0, id);
    this.#entries.set(id, { measurement: to, layer });
    return from
      ? { type: 'change', measurement: to, previous: from, layer, cause }
      : { type: 'add', measurement: to, layer, cause };
  }

  /** Tells every listener about every change; a throwing listener does not stop the others. */
  #announce(changes: readonly MeasurementStoreChange[]): void {
    let failure: { error: unknown } | undefined;
    for (const change of changes) {
      for (const listener of [...this.#listeners]) {
        try {
          listener(change);
        } catch (error) {
          failure ??= { error };
        }
      }
    }
    if (failure) throw failure.error;
  }
}
