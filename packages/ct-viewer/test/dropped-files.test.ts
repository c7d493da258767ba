import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FileDropController, readDroppedFiles, walkDroppedEntries, type DroppedEntry } from '../src/dropped-files.ts';

/** A file entry as the File and Directory Entries API hands it out (callbacks, async). */
function fileEntry(name: string, failWith?: Error): DroppedEntry {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file(success: (file: File) => void, failure?: (error: unknown) => void) {
      setTimeout(() => (failWith ? failure?.(failWith) : success(new File([name], name))));
    },
  } as DroppedEntry;
}

/** A directory whose reader gives its children `batchSize` at a time, then an empty batch (as Chromium does). */
function directoryEntry(name: string, children: DroppedEntry[], batchSize = 100): DroppedEntry & { reads: number } {
  const entry = {
    isFile: false,
    isDirectory: true,
    name,
    reads: 0,
    createReader() {
      let next = 0;
      return {
        readEntries(success: (entries: DroppedEntry[]) => void) {
          entry.reads++;
          const batch = children.slice(next, next + batchSize);
          next += batch.length;
          setTimeout(() => success(batch));
        },
      };
    },
  };
  return entry;
}

const names = (files: readonly File[]): string[] => files.map((f) => f.name);

describe('dropped files', () => {
  it('walks nested folders depth-first, in the order the browser lists them', async () => {
    const tree = [
      fileEntry('a.dcm'),
      directoryEntry('study', [
        fileEntry('b.dcm'),
        directoryEntry('series', [fileEntry('c.dcm'), fileEntry('d.dcm')]),
        directoryEntry('empty', []),
        fileEntry('e.dcm'),
      ]),
      fileEntry('f.dcm'),
    ];
    assert.deepEqual(names(await walkDroppedEntries(tree)), ['a.dcm', 'b.dcm', 'c.dcm', 'd.dcm', 'e.dcm', 'f.dcm']);
  });

  it('reads every batch of a large folder, not only the first 100 entries', async () => {
    const children = Array.from({ length: 250 }, (_, i) => fileEntry(`IM${String(i).padStart(4, '0')}`));
    const folder = directoryEntry('DICOM', children, 100);
    const files = await walkDroppedEntries([folder]);
    assert.equal(files.length, 250);
    assert.equal(new Set(names(files)).size, 250);
    assert.equal(folder.reads, 4, '100 + 100 + 50, then the empty batch that ends the folder');
  });

  it('fails when a file cannot be read', async () => {
    const broken = new Error('NotReadableError');
    await assert.rejects(walkDroppedEntries([fileEntry('ok.dcm'), fileEntry('bad.dcm', broken)]), broken);
  });

  it('takes the entries of a drop when there are items, else its flat file list', async () => {
    const viaItems = await readDroppedFiles({
      items: [{ webkitGetAsEntry: () => directoryEntry('d', [fileEntry('x.dcm')]) }, { webkitGetAsEntry: () => null }],
      files: [new File(['ignored'], 'ignored.dcm')],
    });
    assert.deepEqual(names(viaItems), ['x.dcm']);
    const flat = await readDroppedFiles({ items: [], files: [new File(['1'], '1.dcm'), new File(['2'], '2.dcm')] });
    assert.deepEqual(names(flat), ['1.dcm', '2.dcm']);
    const noItems = await readDroppedFiles({ files: [new File(['3'], '3.dcm')] });
    assert.deepEqual(names(noItems), ['3.dcm']);
  });
});

describe('FileDropController', () => {
  /** A host as Lit's ReactiveControllerHost: an event target that takes controllers. */
  function host() {
    const target = new EventTarget() as EventTarget & {
      controllers: { hostConnected?(): void; hostDisconnected?(): void }[];
      addController(c: { hostConnected?(): void; hostDisconnected?(): void }): void;
    };
    target.controllers = [];
    target.addController = (c) => target.controllers.push(c);
    return target;
  }
  const dragEvent = (type: string, dataTransfer: unknown): Event & { defaultPrevented: boolean } =>
    Object.assign(new Event(type, { cancelable: true }), { dataTransfer });

  it('shows :state(dragover) while files are dragged over, and hands a drop’s files on', async () => {
    const element = host();
    const states = new Set<string>();
    const received: File[][] = [];
    const controller = new FileDropController(element, states, (files) => received.push(files));
    assert.deepEqual(element.controllers, [controller]);
    controller.hostConnected();

    const text = dragEvent('dragover', { types: ['text/plain'] });
    element.dispatchEvent(text);
    assert.equal(text.defaultPrevented, false, 'a text drag is not taken');
    assert.equal(states.has('dragover'), false);

    const over = dragEvent('dragover', { types: ['Files'] });
    element.dispatchEvent(over);
    assert.equal(over.defaultPrevented, true);
    assert.equal(states.has('dragover'), true);
    element.dispatchEvent(new Event('dragleave'));
    assert.equal(states.has('dragover'), false);

    element.dispatchEvent(dragEvent('dragover', { types: ['Files'] }));
    const drop = dragEvent('drop', {
      items: [{ webkitGetAsEntry: () => directoryEntry('d', [fileEntry('a.dcm'), fileEntry('b.dcm')]) }],
      files: [],
    });
    element.dispatchEvent(drop);
    assert.equal(drop.defaultPrevented, true);
    assert.equal(states.has('dragover'), false);
    for (let waited = 0; !received.length && waited < 2000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(received.map(names), [['a.dcm', 'b.dcm']]);

    // An empty drop changes nothing; a disconnected host takes no drops.
    element.dispatchEvent(dragEvent('drop', { items: [], files: [] }));
    controller.hostDisconnected();
    element.dispatchEvent(dragEvent('drop', { items: [], files: [new File(['x'], 'x.dcm')] }));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(received.length, 1);
  });
});
