// Pure (types only from electron): the application menu. menu.ts builds and installs it.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  isMac: boolean;
  /** DevTools in the View menu (and its shortcut): only when not packaged. */
  devTools: boolean;
  version: string;
  openLogs: () => void;
}

/** DevTools are for development: a packaged build neither shows nor opens them. */
export function devToolsAllowed(isPackaged: boolean): boolean {
  return !isPackaged;
}

/** The usual menus and shortcuts: edit (undo, copy, paste…), view (reload, zoom), window, help. */
export function appMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { role: 'forceReload' },
    ...(options.devTools ? [{ role: 'toggleDevTools' as const }] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(options.isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: `Sluice ${options.version}`, enabled: false },
        { label: 'Open logs folder', click: options.openLogs },
      ],
    },
  ];
}
