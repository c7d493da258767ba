import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Serves files below `dir` under the URL prefix `prefix` (read-only, no directory escape).
 * Returns false when the request is not for this prefix.
 */
export function serveFiles(req: IncomingMessage, res: ServerResponse, prefix: string, dir: string): boolean {
  const path = (req.url ?? '').split('?')[0]!;
  if (!path.startsWith(prefix)) return false;
  const file = resolve(dir, decodeURIComponent(path.slice(prefix.length)));
  if (!file.startsWith(resolve(dir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.statusCode = 404;
    res.end('Not found');
    return true;
  }
  res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/dicom');
  res.setHeader('Content-Length', String(statSync(file).size));
  createReadStream(file).pipe(res);
  return true;
}
