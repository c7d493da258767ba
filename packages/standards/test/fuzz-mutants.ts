/**
 * The mutated cases of fuzz.test.ts, built one at a time from a seed file (so that thousands of
 * copies of a large SEG never exist at once): cuts at every structure boundary (element and item
 * boundaries found by walking the file with dicom-parser), bit flips, wrong lengths, wrong VRs.
 */
import dicomParser, { type DataSet } from 'dicom-parser';

/** mulberry32: a small deterministic PRNG, so that every run feeds the same cases. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed file and how many of each kind of case to make from it. */
export interface FuzzSeed {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Random mutations (bit flips, wrong lengths, wrong VRs). */
  readonly variants: number;
  /** At most this many cuts, spread evenly over the boundaries (all of them when absent). */
  readonly maxCuts?: number;
}

export interface Mutant {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** True when the file was cut strictly inside an element or item: every reader must say `truncated`. */
  readonly cutInside: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** One element or item of a file, as dicom-parser found it (explicit VR little endian files only). */
interface Node {
  readonly start: number;
  readonly valueOffset: number;
  readonly end: number;
  /** Where its length field is and how wide. */
  readonly lengthAt: number;
  readonly lengthBytes: 2 | 4;
  /** Where its VR is (elements only). */
  readonly vrAt?: number;
  /** True for the elements of the file meta and top-level data set. */
  readonly topLevel: boolean;
}

/** Every element and item of the file, found by walking it with dicom-parser. */
function structureOf(bytes: Uint8Array): Node[] {
  const nodes: Node[] = [];
  const visit = (dataSet: DataSet, topLevel: boolean): void => {
    for (const element of Object.values(dataSet.elements)) {
      const long = element.vr !== undefined && LONG_VRS.has(element.vr);
      const start = element.dataOffset - (long ? 12 : 8);
      const end = element.dataOffset + element.length + (element.hadUndefinedLength ? 8 : 0);
      nodes.push({
        start,
        valueOffset: element.dataOffset,
        end,
        lengthAt: start + (long ? 8 : 6),
        lengthBytes: long ? 4 : 2,
        vrAt: start + 4,
        topLevel,
      });
      for (const item of element.items ?? []) {
        nodes.push({
          start: item.dataOffset - 8,
          valueOffset: item.dataOffset,
          end: item.dataOffset + item.length + (item.hadUndefinedLength ? 8 : 0),
          lengthAt: item.dataOffset - 4,
          lengthBytes: 4,
          topLevel: false,
        });
        if (item.dataSet) visit(item.dataSet, false);
      }
    }
  };
  visit(dicomParser.parseDicom(bytes), true);
  return nodes.filter((n) => n.start >= 132 && n.end <= bytes.length);
}

/** The mutated cases of one seed file, one at a time. */
export function* mutants(seed: FuzzSeed, next: () => number): Generator<Mutant> {
  const { name: seedName, bytes, variants } = seed;
  const nodes = structureOf(bytes);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  // Top-level element boundaries: a file cut there is complete as far as its bytes tell.
  const topBoundaries = new Set(nodes.filter((n) => n.topLevel).flatMap((n) => [n.start, n.end]));
  topBoundaries.add(132);
  const cuts = new Set<number>();
  for (const node of nodes) {
    for (const at of [node.start, node.start + 4, node.valueOffset, node.end - 1, node.end]) {
      if (at > 0 && at < bytes.length) cuts.add(at);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const step = seed.maxCuts && sorted.length > seed.maxCuts ? sorted.length / seed.maxCuts : 1;
  for (let i = 0; i < sorted.length; i += step) {
    const at = sorted[Math.floor(i)]!;
    yield {
      name: `${seedName} cut at ${at}`,
      bytes: bytes.subarray(0, at),
      cutInside: !topBoundaries.has(at) && at > 132,
    };
  }
  for (let i = 0; i < variants; i++) {
    const copy = bytes.slice();
    const view = new DataView(copy.buffer);
    const node = pick(nodes);
    const kind = pick(['bit flip in a header', 'bit flip', 'wrong length', 'wrong VR'] as const);
    let what: string = kind;
    if (kind === 'bit flip in a header') {
      const at = node.start + Math.floor(next() * (node.valueOffset - node.start));
      copy[at]! ^= 1 << Math.floor(next() * 8);
      what += ` at ${at}`;
    } else if (kind === 'bit flip') {
      const at = Math.floor(next() * copy.length);
      copy[at]! ^= 1 << Math.floor(next() * 8);
      what += ` at ${at}`;
    } else if (kind === 'wrong length') {
      const length = node.end - node.valueOffset;
      const wrong = pick([0, 1, length + 2, length - 2, length * 2, 0xffff, 0xffffffff, 0x7ffffff0]);
      if (node.lengthBytes === 2) view.setUint16(node.lengthAt, wrong & 0xffff, true);
      else view.setUint32(node.lengthAt, wrong >>> 0, true);
      what += ` ${wrong} at ${node.start}`;
    } else {
      const vrAt = node.vrAt ?? node.start;
      const vr = pick(['SQ', 'UN', 'OB', 'UT', 'US', 'FD', 'AT', 'XX', 'sq', '\0\0']);
      copy[vrAt] = vr.charCodeAt(0);
      copy[vrAt + 1] = vr.charCodeAt(1);
      what += ` ${JSON.stringify(vr)} at ${vrAt}`;
    }
    yield { name: `${seedName} ${what}`, bytes: copy, cutInside: false };
  }
}
