import path from 'node:path';
import { app, BrowserWindow, dialog, nativeTheme, shell, type Session, type WebContents } from 'electron';
import { devToolsAllowed } from './menu-template';
import { decideNavigation, decideWindowOpen } from './navigation';
import { APP_ORIGIN } from './origin';
import { UNLOAD_QUESTION, unloadGoesOn } from './unload-question';

const guarded = new WeakSet<WebContents>();

/**
 * Navigation guard for any webContents (navigation.ts decides): no navigation away from the app, no
 * new windows, no webviews; allowed https links go to the system browser.
 */
export function guardNavigation(contents: WebContents): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal) void shell.openExternal(decision.openExternal);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url);
    if (decision.allow) return;
    event.preventDefault();
    if (decision.openExternal) void shell.openExternal(decision.openExternal);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No permission is ever granted, whether asked for (request) or merely checked (check, device). */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** The one main window, locked down: isolated, sandboxed, no Node, no navigation, no popups. */
export function createMainWindow(preloadDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Sluice',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: {
      preload: path.join(preloadDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
      devTools: devToolsAllowed(app.isPackaged),
    },
  });
  guardNavigation(window.webContents);
  denyPermissions(window.webContents.session);
  // A page with unsaved changes refuses to unload (`beforeunload`): Electron asks nothing, so ask here;
  // preventing this event lets the close or reload go on.
  window.webContents.on('will-prevent-unload', (event) => {
    if (unloadGoesOn(dialog.showMessageBoxSync(window, { ...UNLOAD_QUESTION, buttons: [...UNLOAD_QUESTION.buttons] }))) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
