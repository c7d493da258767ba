/**
 * Mask → outline polygon: {@link traceLargestOutline} follows the boundary of the largest
 * 4-connected region of a 0/1 mask along pixel edges.
 */
import { fail } from './types.js';

/** Vertex on pixel edges: `x` from 0 (left edge of column 0) to `columns`, `y` likewise for rows. */
export interface EdgePoint {
  readonly x: number;
  readonly y: number;
}

/** The outline of one connected region of a mask. */
export interface MaskOutline {
  /** Corners of the outer boundary on pixel edges, clockwise on screen, collinear points removed. */
  readonly vertices: readonly EdgePoint[];
  /** Pixels of the region (4-connected). */
  readonly pixelCount: number;
  /** Pixels the outline encloses: the region plus any holes in it (the outline area in pixels). */
  readonly enclosedPixelCount: number;
}

/** Pixels of the largest 4-connected region of a mask, as a 0/1 mask of the same size, and its size. */
function largestRegion(mask: Uint8Array, columns: number, rows: number): { region: Uint8Array; pixelCount: number } {
  const labels = new Int32Array(mask.length);
  const stack: number[] = [];
  let best = 0;
  let bestLabel = 0;
  let label = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    label++;
    let size = 0;
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const index = stack.pop()!;
      size++;
      const x = index % columns;
      const y = (index - x) / columns;
      const neighbours = [
        x > 0 ? index - 1 : -1,
        x < columns - 1 ? index + 1 : -1,
        y > 0 ? index - columns : -1,
        y < rows - 1 ? index + columns : -1,
      ];
      for (const n of neighbours) {
        if (n >= 0 && mask[n] && !labels[n]) {
          labels[n] = label;
          stack.push(n);
        }
      }
    }
    if (size > best) {
      best = size;
      bestLabel = label;
    }
  }
  const region = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) region[i] = labels[i] === bestLabel && bestLabel ? 1 : 0;
  return { region, pixelCount: best };
}

// Directions of boundary edges: right, down, left, up (screen coordinates, y down).
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;

/**
 * Traces the outer boundary of the largest 4-connected region of a 0/1 mask along pixel edges
 * (contour following on the pixel grid): the polygon's area is exactly the region's pixel count
 * plus any holes, in pixels. Where two pixels of the region touch only at a corner, the outline
 * turns tightly (4-connectivity), so it never crosses itself. Returns `undefined` for an empty mask.
 */
export function traceLargestOutline(mask: Uint8Array, columns: number, rows: number): MaskOutline | undefined {
  const { region, pixelCount } = largestRegion(mask, columns, rows);
  if (pixelCount === 0) return undefined;
  const inside = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < columns && y < rows && region[y * columns + x] === 1;
  // Boundary edges, directed so that the region is on the right (clockwise on screen). Keyed by start vertex.
  const width = columns + 1;
  const outgoing = new Map<number, number[]>();
  const addEdge = (x: number, y: number, direction: number): void => {
    const key = y * width + x;
    const list = outgoing.get(key);
    if (list) list.push(direction);
    else outgoing.set(key, [direction]);
  };
  let startKey = -1;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      if (!inside(x, y)) continue;
      if (!inside(x, y - 1)) addEdge(x, y, 0);
      if (!inside(x + 1, y)) addEdge(x + 1, y, 1);
      if (!inside(x, y + 1)) addEdge(x + 1, y + 1, 2);
      if (!inside(x - 1, y)) addEdge(x, y + 1, 3);
      if (startKey < 0) startKey = y * width + x; // top-left pixel: its top edge lies on the outer boundary
    }
  }
  const path: EdgePoint[] = [];
  let x = startKey % width;
  let y = (startKey - x) / width;
  let direction = 0;
  const startX = x;
  const startY = y;
  const guard = 4 * pixelCount + 4;
  for (let step = 0; step <= guard; step++) {
    path.push({ x, y });
    const key = y * width + x;
    const options = outgoing.get(key) ?? [];
    // Prefer a right turn, then straight on, then a left turn: keeps corner-touching pixels apart.
    const next = [(direction + 1) % 4, direction, (direction + 3) % 4].find((d) => options.includes(d));
    if (next === undefined) fail('malformed', 'A segment outline could not be traced.');
    options.splice(options.indexOf(next), 1);
    direction = next;
    x += DX[direction]!;
    y += DY[direction]!;
    if (x === startX && y === startY) break;
  }
  const vertices = path.filter((point, i) => {
    const previous = path[(i + path.length - 1) % path.length]!;
    const following = path[(i + 1) % path.length]!;
    const ax = point.x - previous.x;
    const ay = point.y - previous.y;
    const bx = following.x - point.x;
    const by = following.y - point.y;
    return ax * by - ay * bx !== 0;
  });
  let twiceArea = 0;
  for (let i = 0; i < vertices.length; i++) {
    const a = vertices[i]!;
    const b = vertices[(i + 1) % vertices.length]!;
    twiceArea += a.x * b.y - b.x * a.y;
  }
  return { vertices, pixelCount, enclosedPixelCount: Math.abs(twiceArea) / 2 };
}
