import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Opening the host's URL without putting its per-launch token on a command line (every local user
 * can read command lines, e.g. with ps): the URL goes into a small HTML file that only this user can
 * read, which redirects to it (as Jupyter does), and the browser is given that file's path.
 */

/** A started opener: only what openInBrowser needs of a child process. */
export interface Launched {
  on(event: 'error', listener: (err: Error) => void): unknown;
  unref(): void;
}
export type Launcher = (command: string, args: string[]) => Launched;

export interface RedirectFile {
  /** The private folder (mode 0700) holding `file`. */
  dir: string;
  /** The page (mode 0600) that redirects to the URL. */
  file: string;
  /** Deletes the folder and the page; safe to call more than once. */
  remove(): void;
}

/** How long the page stays for the browser to read it before it is deleted (also deleted at exit). */
export const REDIRECT_FILE_LIFETIME_MS = 60_000;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The redirecting page: a meta refresh, and a link for a browser that ignores it. */
export function redirectPage(url: string): string {
  const href = escapeHtml(url);
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    '<meta name="referrer" content="no-referrer">',
    '<title>Opening Sluice…</title></head>',
    `<body><p>Opening Sluice… If nothing happens, <a href="${href}">open it here</a>.</p></body></html>`,
    '',
  ].join('\n');
}

/** The command that opens `target` (a file path) in the default browser. */
export function browserCommand(target: string, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [target] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '', target] };
  return { command: 'xdg-open', args: [target] };
}

/** Writes the redirecting page into a fresh private folder under `tmpRoot`. */
export function writeRedirectFile(url: string, tmpRoot: string = os.tmpdir()): RedirectFile {
  const dir = fs.mkdtempSync(path.join(tmpRoot, 'sluice-open-'));
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'open-sluice.html');
  fs.writeFileSync(file, redirectPage(url), { mode: 0o600, flag: 'wx' });
  let removed = false;
  return {
    dir,
    file,
    remove: () => {
      if (removed) return;
      removed = true;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const spawnDetached: Launcher = (command, args) => spawn(command, args, { stdio: 'ignore', detached: true });

/**
 * Best effort: a desktop without a browser (or a server) just keeps the printed URL. The page is
 * deleted after `lifetimeMs` or when this process exits, whichever comes first.
 */
export function openInBrowser(
  url: string,
  options: { launch?: Launcher; platform?: NodeJS.Platform; lifetimeMs?: number; tmpRoot?: string } = {},
): RedirectFile {
  const page = writeRedirectFile(url, options.tmpRoot);
  const onExit = () => page.remove();
  const timer = setTimeout(onExit, options.lifetimeMs ?? REDIRECT_FILE_LIFETIME_MS);
  timer.unref();
  process.once('exit', onExit);
  const { command, args } = browserCommand(page.file, options.platform);
  try {
    const child = (options.launch ?? spawnDetached)(command, args);
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the URL was printed.
  }
  return {
    ...page,
    remove: () => {
      clearTimeout(timer);
      process.off('exit', onExit);
      page.remove();
    },
  };
}
