/**
 * Streaming reader for `multipart/related` HTTP bodies (DICOMweb WADO-RS, PS3.18 8.6.1.2):
 * yields each part's body as soon as it has arrived, so the first images of a series can
 * be shown while the rest is still downloading.
 */

/** The boundary parameter of a multipart Content-Type header, or null. */
export function multipartBoundary(contentType: string | null): string | null {
  if (!contentType || !/^multipart\//i.test(contentType.trim())) return null;
  const match = /boundary\s*=\s*("([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[2] ?? match[3] ?? null) : null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const last = to - needle.length;
  const head = needle[0]!;
  let i = from;
  while (i <= last) {
    i = haystack.indexOf(head, i);
    if (i < 0 || i > last) return -1;
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i++;
  }
  return -1;
}

/** One part of a multipart body. */
export interface MultipartPart {
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

function parseHeaders(bytes: Uint8Array): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of new TextDecoder().decode(bytes).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Reads a multipart body from a stream and yields its parts in order. Each byte is
 * scanned once; the buffer grows by doubling and is compacted as parts are consumed.
 * @throws Error when the stream ends before the closing boundary.
 */
export async function* readMultipart(
  stream: ReadableStream<Uint8Array>,
  boundary: string,
): AsyncGenerator<MultipartPart> {
  const encoder = new TextEncoder();
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const headerEndMark = encoder.encode('\r\n\r\n');
  const reader = stream.getReader();
  // CRLF first, so that the opening boundary matches the same delimiter as the others.
  let data = new Uint8Array(1 << 20);
  data.set([13, 10]);
  let start = 0;
  let end = 2;
  let scanFrom = 0;
  let inPart = false;
  let headerEnd = -1;
  let finished = false;
  const append = (chunk: Uint8Array): void => {
    if (end + chunk.length > data.length) {
      const live = end - start;
      const next = new Uint8Array(Math.max(data.length, 2 * (live + chunk.length)));
      next.set(data.subarray(start, end));
      scanFrom -= start;
      if (headerEnd >= 0) headerEnd -= start;
      end = live;
      start = 0;
      data = next;
    }
    data.set(chunk, end);
    end += chunk.length;
  };
  try {
    while (true) {
      if (!inPart) {
        const at = indexOf(data, delimiter, Math.max(start, scanFrom), end);
        if (at >= 0) {
          start = at + delimiter.length;
          scanFrom = start;
          inPart = true;
          headerEnd = -1;
          continue;
        }
      } else {
        if (end - start >= 2 && data[start] === 45 && data[start + 1] === 45) return;
        if (headerEnd < 0) {
          const at = indexOf(data, headerEndMark, scanFrom, end);
          if (at >= 0) {
            headerEnd = at;
            scanFrom = at + headerEndMark.length;
          }
        }
        if (headerEnd >= 0) {
          const next = indexOf(data, delimiter, scanFrom, end);
          if (next >= 0) {
            const headers = parseHeaders(data.subarray(start, headerEnd));
            const body = data.slice(headerEnd + headerEndMark.length, next);
            start = next + delimiter.length;
            scanFrom = start;
            headerEnd = -1;
            yield { headers, body };
            continue;
          }
        }
      }
      if (finished) throw new Error('The multipart response ended before its closing boundary.');
      // Resume the scan where a delimiter could still begin.
      scanFrom = Math.max(start, end - delimiter.length + 1, headerEnd >= 0 ? headerEnd + headerEndMark.length : 0);
      const { value, done } = await reader.read();
      if (done) finished = true;
      else append(value);
    }
  } finally {
    reader.releaseLock();
  }
}
