import { app, Menu, shell, type MenuItemConstructorOptions } from 'electron';

/** The usual menus and shortcuts: edit (undo, copy, paste…), view (reload, zoom, devtools), window. */
export function installAppMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: `Sluice ${app.getVersion()}`, enabled: false },
        { label: 'Open logs folder', click: () => void shell.openPath(app.getPath('logs')) },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
