/**
 * Files dropped on `<ct-viewer>`: a drop can hold files and whole folders (a CD's DICOMDIR tree,
 * an export folder). Folders are walked depth-first through the File and Directory Entries API,
 * reading every batch (Chromium hands a directory's entries out 100 at a time).
 */

/** The parts of `FileSystemEntry` the walker uses (so it runs on any implementation). */
export interface DroppedEntry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
}

interface FileEntry extends DroppedEntry {
  file(success: (file: File) => void, failure?: (error: unknown) => void): void;
}

interface DirectoryEntry extends DroppedEntry {
  createReader(): { readEntries(success: (entries: DroppedEntry[]) => void, failure?: (error: unknown) => void): void };
}

/** Every file under `entries`, folders walked depth-first in the order the browser lists them. */
export async function walkDroppedEntries(entries: readonly DroppedEntry[]): Promise<File[]> {
  const files: File[] = [];
  const walk = async (entry: DroppedEntry): Promise<void> => {
    if (entry.isFile) {
      files.push(await new Promise<File>((resolve, reject) => (entry as FileEntry).file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = (entry as DirectoryEntry).createReader();
      let batch: DroppedEntry[];
      do {
        batch = await new Promise<DroppedEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        for (const child of batch) await walk(child);
      } while (batch.length > 0);
    }
  };
  for (const entry of entries) await walk(entry);
  return files;
}

/** The part of `DataTransfer` a drop is read from. */
export interface DroppedData {
  readonly items?: ArrayLike<{ webkitGetAsEntry?(): DroppedEntry | null }> | null;
  readonly files: ArrayLike<File>;
}

/**
 * The files of a drop: through the entries (folders included) when the browser offers them,
 * else the flat `files` list.
 */
export function readDroppedFiles(transfer: DroppedData): Promise<File[]> {
  const items = transfer.items ? Array.from(transfer.items) : [];
  if (!items.length) return Promise.resolve(Array.from(transfer.files));
  const entries = items.map((item) => item.webkitGetAsEntry?.()).filter((e): e is DroppedEntry => !!e);
  return walkDroppedEntries(entries);
}

/** The host of a {@link FileDropController}: an element with custom states. */
export interface FileDropHost extends EventTarget {
  addController(controller: { hostConnected?(): void; hostDisconnected?(): void }): void;
}

/**
 * Makes an element a drop target for DICOM files and folders: while files are dragged over it,
 * the custom state `dragover` is on (`:state(dragover)`); a drop hands the files (folders walked)
 * to `onFiles`. Listens only while the host is connected.
 */
export class FileDropController {
  private readonly listeners: [string, EventListener][] = [
    ['dragover', (event) => this.onDragOver(event as DragEvent)],
    ['dragleave', () => this.setDragOver(false)],
    ['drop', (event) => void this.onDrop(event as DragEvent)],
  ];

  constructor(
    private readonly host: FileDropHost,
    private readonly states: Pick<Set<string>, 'add' | 'delete'>,
    private readonly onFiles: (files: File[]) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    for (const [type, listener] of this.listeners) this.host.addEventListener(type, listener);
  }

  hostDisconnected(): void {
    for (const [type, listener] of this.listeners) this.host.removeEventListener(type, listener);
    this.setDragOver(false);
  }

  private onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.setDragOver(true);
  }

  private setDragOver(active: boolean): void {
    if (active) this.states.add('dragover');
    else this.states.delete('dragover');
  }

  private async onDrop(event: DragEvent): Promise<void> {
    event.preventDefault();
    this.setDragOver(false);
    const transfer = event.dataTransfer;
    if (!transfer) return;
    const files = await readDroppedFiles(transfer);
    if (files.length) this.onFiles(files);
  }
}
