import fs from 'node:fs';
import path from 'node:path';

export type StaticTarget = { ok: true; file: string } | { ok: false; status: 400 | 404 };

const BAD_REQUEST = { ok: false, status: 400 } as const;
const NOT_FOUND = { ok: false, status: 404 } as const;

function inside(root: string, file: string): boolean {
  return file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The file under `root` that a request target (`/assets/app.js?v=1`) names, or why there is none:
 * 400 for a target that is not an origin-form path or does not decode (`/%`, NUL bytes), 404 for
 * anything outside `root` (also through symbolic links), missing, or not a plain file. Never throws.
 */
export function resolveStaticFile(root: string, target: string): StaticTarget {
  if (!target.startsWith('/')) return BAD_REQUEST;
  const rawPath = target.split(/[?#]/, 1)[0] ?? '/';
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPath);
  } catch {
    return BAD_REQUEST;
  }
  if (pathname.includes('\0')) return BAD_REQUEST;
  const relative = pathname.replace(/^\/+/, '') || 'index.html';
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, relative);
  if (!inside(resolvedRoot, file)) return NOT_FOUND;
  try {
    const real = fs.realpathSync(file);
    if (!inside(fs.realpathSync(resolvedRoot), real) || !fs.statSync(real).isFile()) return NOT_FOUND;
    return { ok: true, file: real };
  } catch {
    // Missing, a name too long, a loop of links, no permission…
    return NOT_FOUND;
  }
}
