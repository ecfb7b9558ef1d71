import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace } from '../testing/temp';
import { browserCommand, openInBrowser, redirectPage, type Launcher } from './open-browser';

const TOKEN = 'tok-5b1e0d9c2f4a8e7d';
const URL_WITH_TOKEN = `http://127.0.0.1:41234/#token=${TOKEN}`;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function recordingLauncher(): { launch: Launcher; argv: string[][] } {
  const argv: string[][] = [];
  return { argv, launch: (command, args) => (argv.push([command, ...args]), { on: () => undefined, unref: () => undefined }) };
}

function tmpRoot(): string {
  const t = tempWorkspace('sluice-open-test-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('opening the browser host', () => {
  it("never puts the token on the opener's command line, on any platform", () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const { launch, argv } = recordingLauncher();
      const page = openInBrowser(URL_WITH_TOKEN, { launch, platform, tmpRoot: tmpRoot() });
      cleanups.push(page.remove);
      expect(argv).toHaveLength(1);
      expect(argv[0]!.join(' ')).not.toContain(TOKEN);
      expect(argv[0]).toContain(page.file);
      expect(browserCommand(page.file, platform).args.join(' ')).not.toContain('token');
    }
  });

  it('writes a page only this user can read, in a private folder, that redirects to the URL with its token', () => {
    const { launch } = recordingLauncher();
    const page = openInBrowser(URL_WITH_TOKEN, { launch, tmpRoot: tmpRoot() });
    cleanups.push(page.remove);
    expect(path.dirname(page.file)).toBe(page.dir);
    const html = fs.readFileSync(page.file, 'utf8');
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${URL_WITH_TOKEN}">`);
    expect(html).toContain(`href="${URL_WITH_TOKEN}"`);
    if (process.platform !== 'win32') {
      expect(fs.statSync(page.dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(page.file).mode & 0o777).toBe(0o600);
    }
  });

  it('escapes the URL in the page', () => {
    expect(redirectPage('http://127.0.0.1:1/#token=a"><script>x</script>&b')).not.toContain('<script>');
    expect(redirectPage('http://x/#a&b')).toContain('url=http://x/#a&amp;b');
  });

  it('deletes the page after a short while, and at once when asked (e.g. at exit)', async () => {
    const { launch } = recordingLauncher();
    const soon = openInBrowser(URL_WITH_TOKEN, { launch, tmpRoot: tmpRoot(), lifetimeMs: 20 });
    await expect.poll(() => fs.existsSync(soon.dir)).toBe(false);
    const page = openInBrowser(URL_WITH_TOKEN, { launch, tmpRoot: tmpRoot() });
    expect(fs.existsSync(page.file)).toBe(true);
    page.remove();
    page.remove();
    expect(fs.existsSync(page.dir)).toBe(false);
  });

  it('keeps going when there is no opener on the machine', () => {
    const page = openInBrowser(URL_WITH_TOKEN, {
      tmpRoot: tmpRoot(),
      launch: () => {
        throw new Error('spawn xdg-open ENOENT');
      },
    });
    cleanups.push(page.remove);
    expect(fs.existsSync(page.file)).toBe(true);
  });
});
