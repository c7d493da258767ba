/** Statistics (median, min, max) and the printed tables and timelines. */
import { type ResourceEntry, type Summary } from './types.ts';
import { minOf, maxOf } from './measure.ts';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

export function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? median(present) : null;
}

export const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${Math.round(v)}`);

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

/** Lists the resources of one run as a timeline (frames aggregated), for the profile. */
export function timeline(entries: readonly ResourceEntry[]): string {
  const rows: string[][] = [['resource', 'start', 'response', 'end', 'KB']];
  const frames = entries.filter((e) => /\/frames\/\d+$/.test(e.url.split('?')[0]!));
  const short = (url: string): string => {
    const path = url.split('?')[0]!;
    const name = path.includes('/dicom-web/')
      ? path.replace(/\/dicom-web\/studies\/[\d.]+/, '…').replace(/\/series\/[\d.]+/, '/series/S')
      : path.split('/').pop()!;
    return name.length > 48 ? `${name.slice(0, 45)}…` : name;
  };
  for (const e of [...entries].sort((a, b) => a.startTime - b.startTime)) {
    if (frames.includes(e) && e !== frames[0]) continue;
    // Worker scripts can report response times that precede their start (another clock): omit them.
    const sane = e.responseEnd >= e.startTime;
    rows.push([
      `${e.kind.padEnd(8)} ${short(e.url)}`,
      ms(e.startTime),
      sane ? ms(e.responseStart) : '—',
      sane ? ms(e.responseEnd) : '—',
      (e.encodedBodySize / 1024).toFixed(0),
    ]);
  }
  if (frames.length > 1) {
    rows.push([
      `dicomweb ${frames.length - 1} more frame requests`,
      ms(minOf(frames.slice(1).map((f) => f.startTime))),
      '',
      ms(maxOf(frames.map((f) => f.responseEnd))),
      (frames.slice(1).reduce((s, f) => s + f.encodedBodySize, 0) / 1024).toFixed(0),
    ]);
  }
  return table(rows);
}
