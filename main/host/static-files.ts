import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveStaticFile } from './static-path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

const REASONS = { 400: 'Bad request', 404: 'Not found', 500: 'Internal error' } as const;

function answer(res: ServerResponse, status: keyof typeof REASONS): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(REASONS[status]);
}

/**
 * Serves the built renderer read-only from `root`; nothing outside it, GET and HEAD only. No request
 * can throw out of it: any local process can reach the host, and a throw would stop it.
 */
export function serveStatic(root: string, csp: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const target = resolveStaticFile(root, req.url ?? '/');
      if (!target.ok) {
        answer(res, target.status);
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(target.file)] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = fs.createReadStream(target.file);
      // Removed or unreadable between the check and the read: drop the connection, not the host.
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      if (res.headersSent) res.destroy();
      else answer(res, 500);
    }
  };
}
