import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, devToolsAllowed } from './menu-template';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role.toLowerCase()] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
}

const base = { isMac: false, version: '1.2.3', openLogs: () => undefined };

describe('the application menu', () => {
  it('has no DevTools in a packaged build', () => {
    expect(devToolsAllowed(true)).toBe(false);
    const menu = roles(appMenuTemplate({ ...base, devTools: devToolsAllowed(true) }));
    expect(menu).not.toContain('toggledevtools');
    // The View menu role brings its own DevTools item: it must not be used.
    expect(menu).not.toContain('viewmenu');
    expect(menu).toEqual(expect.arrayContaining(['reload', 'zoomin', 'editmenu']));
  });

  it('offers DevTools when not packaged', () => {
    expect(devToolsAllowed(false)).toBe(true);
    expect(roles(appMenuTemplate({ ...base, devTools: devToolsAllowed(false) }))).toContain('toggledevtools');
  });
});
