import { app, Menu, shell } from 'electron';
import { appMenuTemplate, devToolsAllowed } from './menu-template';

/** Installs the application menu (menu-template.ts); DevTools only in an unpackaged build. */
export function installAppMenu(): void {
  const template = appMenuTemplate({
    isMac: process.platform === 'darwin',
    devTools: devToolsAllowed(app.isPackaged),
    version: app.getVersion(),
    openLogs: () => void shell.openPath(app.getPath('logs')),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
