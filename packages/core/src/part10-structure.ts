/**
 * What is wrong with a DICOM file, told from its structure alone: every reader of DICOM bytes
 * (Part 10 images, SR, SEG) uses this to say "not DICOM", "truncated" or "malformed" instead of
 * passing on a parser's own words. It walks the elements, items and sequences of the file (file
 * meta, then the data set in its transfer syntax) and checks only that each one fits: it reads
 * no values and never allocates by a declared length.
 */

/**
 * The codes of every error raised while reading a DICOM file (Part 10 images, SR, SEG). Each
 * reader documents the subset it uses.
 *
 * | code | meaning |
 * | --- | --- |
 * | `not-dicom` | the bytes are not a DICOM Part 10 file (no 128-byte preamble and `DICM` prefix) |
 * | `truncated` | the file ends early: an element, item or sequence is cut off by the end of the file |
 * | `malformed` | DICOM, complete, but its structure or a required attribute is invalid |
 * | `not-an-sr` | valid DICOM, but not a Structured Report |
 * | `not-tid-1500` | an SR, but not a TID 1500 Imaging Measurement Report (or not the kind of SR asked for) |
 * | `not-a-segmentation` | valid DICOM, but not a Segmentation |
 * | `unsupported` | valid, but encoded in a way this reader does not read (e.g. compressed SEG pixel data) |
 */
export const DICOM_FILE_ERROR_CODES = [
  'not-dicom',
  'truncated',
  'malformed',
  'not-an-sr',
  'not-tid-1500',
  'not-a-segmentation',
  'unsupported',
] as const;

export type DicomFileErrorCode = (typeof DICOM_FILE_ERROR_CODES)[number];

/** The outcome of {@link inspectPart10Structure}: `ok`, or the first problem found. */
export type Part10StructureCheck =
  | { readonly ok: true; readonly transferSyntaxUid: string }
  | { readonly ok: false; readonly code: 'not-dicom' | 'truncated' | 'malformed'; readonly detail: string };

const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const EXPLICIT_BIG_ENDIAN = '1.2.840.10008.1.2.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';
/** Explicit VRs with a 2-byte reserved field and a 4-byte length. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;
/** Deeper nesting than this is taken as damage (real SRs nest a dozen levels at most). */
const MAX_DEPTH = 64;

class StructureProblem {
  constructor(
    readonly code: 'truncated' | 'malformed',
    readonly detail: string,
  ) {}
}

interface Encoding {
  readonly explicit: boolean;
  readonly littleEndian: boolean;
}

class Walker {
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(offset: number, count: number, end: number, what: string): void {
    if (offset + count <= end) return;
    // Past the end of the enclosing item or sequence but inside the file: a wrong length.
    if (end < this.bytes.length && offset + count <= this.bytes.length) {
      throw new StructureProblem('malformed', `${what} runs past the end of its item`);
    }
    throw new StructureProblem('truncated', `${what} is cut off by the end of the file`);
  }

  private uint16(offset: number, little: boolean): number {
    return this.view.getUint16(offset, little);
  }

  private uint32(offset: number, little: boolean): number {
    return this.view.getUint32(offset, little);
  }

  private tag(offset: number, little: boolean): number {
    return ((this.uint16(offset, little) << 16) | this.uint16(offset + 2, little)) >>> 0;
  }

  /** Walks the elements in [offset, end) and returns where the walk stopped. */
  elements(offset: number, end: number, encoding: Encoding, depth: number, untilItemDelimiter: boolean): number {
    if (depth > MAX_DEPTH) throw new StructureProblem('malformed', 'sequences nest too deeply');
    while (offset < end) {
      this.need(offset, 8, end, 'An element header');
      const tag = this.tag(offset, encoding.littleEndian);
      if (tag === ITEM_DELIMITER) {
        if (!untilItemDelimiter) throw new StructureProblem('malformed', 'an item delimiter outside an item');
        return offset + 8;
      }
      if (tag === ITEM || tag === SEQUENCE_DELIMITER) {
        throw new StructureProblem('malformed', 'an item tag where an element was expected');
      }
      let vr = '';
      let length: number;
      let valueOffset: number;
      if (encoding.explicit) {
        vr = String.fromCharCode(this.bytes[offset + 4]!, this.bytes[offset + 5]!);
        if (!/^[A-Z]{2}$/.test(vr)) throw new StructureProblem('malformed', 'an element has no valid VR');
        if (LONG_VRS.has(vr)) {
          this.need(offset, 12, end, 'An element header');
          length = this.uint32(offset + 8, encoding.littleEndian);
          valueOffset = offset + 12;
        } else {
          length = this.uint16(offset + 6, encoding.littleEndian);
          valueOffset = offset + 8;
        }
      } else {
        length = this.uint32(offset + 4, encoding.littleEndian);
        valueOffset = offset + 8;
      }
      if (length === UNDEFINED) {
        if (encoding.explicit && vr !== 'SQ' && vr !== 'UN' && vr !== 'OB' && vr !== 'OW') {
          throw new StructureProblem('malformed', `an element of VR ${vr} has an undefined length`);
        }
        // Encapsulated pixel data: fragments (items of bytes, not of elements) up to a delimiter.
        const fragments = vr === 'OB' || vr === 'OW' || tag === PIXEL_DATA;
        // UN of undefined length holds a sequence in implicit VR little endian (PS3.5 6.2.2).
        const inner = vr === 'UN' ? { explicit: false, littleEndian: true } : encoding;
        offset = this.sequence(valueOffset, end, inner, depth + 1, undefined, fragments);
        continue;
      }
      this.need(valueOffset, length, end, 'An element value');
      if (vr === 'SQ') this.sequence(valueOffset, end, encoding, depth + 1, valueOffset + length, false);
      offset = valueOffset + length;
    }
    if (untilItemDelimiter) throw new StructureProblem('truncated', 'An item is not closed before the end of the file');
    return offset;
  }

  /** Walks the items of a sequence (defined length: up to `definedEnd`; else up to its delimiter). */
  private sequence(
    offset: number,
    end: number,
    encoding: Encoding,
    depth: number,
    definedEnd: number | undefined,
    fragments: boolean,
  ): number {
    const limit = definedEnd ?? end;
    while (definedEnd === undefined || offset < definedEnd) {
      if (definedEnd === undefined && offset >= end) {
        if (end < this.bytes.length) throw new StructureProblem('malformed', 'a sequence runs past its item');
        throw new StructureProblem('truncated', 'A sequence is not closed before the end of the file');
      }
      this.need(offset, 8, limit, 'An item header');
      const tag = this.tag(offset, encoding.littleEndian);
      const length = this.uint32(offset + 4, encoding.littleEndian);
      if (tag === SEQUENCE_DELIMITER) {
        if (definedEnd !== undefined)
          throw new StructureProblem('malformed', 'a sequence delimiter in a sequence of defined length');
        return offset + 8;
      }
      if (tag !== ITEM) throw new StructureProblem('malformed', 'a sequence holds something other than items');
      if (fragments) {
        if (length === UNDEFINED)
          throw new StructureProblem('malformed', 'a pixel data fragment has an undefined length');
        this.need(offset + 8, length, limit, 'A pixel data fragment');
        offset += 8 + length;
      } else if (length === UNDEFINED) {
        offset = this.elements(offset + 8, limit, encoding, depth + 1, true);
      } else {
        this.need(offset + 8, length, limit, 'An item');
        this.elements(offset + 8, offset + 8 + length, encoding, depth + 1, false);
        offset += 8 + length;
      }
    }
    return offset;
  }
}

/**
 * Checks that a DICOM Part 10 file is whole and well-formed, element by element (file meta in
 * explicit VR little endian, then the data set in its transfer syntax; deflated data sets are
 * not walked). Used to tell `truncated` from `malformed` when a parser fails, and to refuse
 * damaged files before a parser allocates by a wrong length.
 */
export function inspectPart10Structure(bytes: Uint8Array): Part10StructureCheck {
  if (bytes.length < 132 || bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) {
    return { ok: false, code: 'not-dicom', detail: 'no DICOM preamble and DICM prefix' };
  }
  const walker = new Walker(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    // File meta: group 0002, explicit VR little endian, up to the first element of another group.
    let offset = 132;
    let transferSyntaxUid = '';
    while (offset + 2 <= bytes.length && view.getUint16(offset, true) === 0x0002) {
      if (offset + 8 > bytes.length)
        throw new StructureProblem('truncated', 'The file ends in its file meta information');
      const element = view.getUint16(offset + 2, true);
      const next = walker.elements(
        offset,
        nextElementEnd(bytes, view, offset),
        { explicit: true, littleEndian: true },
        0,
        false,
      );
      if (element === 0x0010) {
        const valueOffset = offset + 8;
        transferSyntaxUid = new TextDecoder('latin1').decode(bytes.subarray(valueOffset, next)).replace(/[\0 ]+$/, '');
      }
      offset = next;
    }
    if (offset >= bytes.length && transferSyntaxUid === '') {
      throw new StructureProblem('truncated', 'The file ends in its file meta information');
    }
    if (!transferSyntaxUid) throw new StructureProblem('malformed', 'the file meta information has no transfer syntax');
    if (transferSyntaxUid === DEFLATED) return { ok: true, transferSyntaxUid };
    const encoding: Encoding = {
      explicit: transferSyntaxUid !== IMPLICIT_LITTLE_ENDIAN,
      littleEndian: transferSyntaxUid !== EXPLICIT_BIG_ENDIAN,
    };
    walker.elements(offset, bytes.length, encoding, 0, false);
    return { ok: true, transferSyntaxUid };
  } catch (problem) {
    if (problem instanceof StructureProblem) return { ok: false, code: problem.code, detail: problem.detail };
    throw problem;
  }
}

/** The end of the one meta element at `offset` (its header and value), clamped to the file. */
function nextElementEnd(bytes: Uint8Array, view: DataView, offset: number): number {
  if (offset + 8 > bytes.length) return bytes.length;
  const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!);
  if (LONG_VRS.has(vr)) {
    if (offset + 12 > bytes.length) return bytes.length;
    const length = view.getUint32(offset + 8, true);
    return length === UNDEFINED ? bytes.length : Math.min(bytes.length, offset + 12 + length);
  }
  return Math.min(bytes.length, offset + 8 + view.getUint16(offset + 6, true));
}
