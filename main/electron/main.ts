// The Electron shell: the only place that imports electron besides its preload. It owns the window,
// the protocol and the menu, and hands every request to the same engine the browser host uses.
import { app, BrowserWindow, dialog, Notification, session } from 'electron';
import { runAlert } from '../../shared/config/run-alert';
import type { RunSummary } from '../../shared/config/sync';
import { Engine } from '../engine/engine';
import { resolveWorkspace } from '../engine/workspace';
import { registerSchemeAsPrivileged, serveRenderer } from './app-protocol';
import { registerIpc } from './ipc-adapter';
import { installAppMenu } from './menu';
import { createMainWindow, denyPermissions, guardNavigation } from './window';

function workspaceArg(argv: string[]): string | undefined {
  const i = argv.indexOf('--workspace');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
}

app.setName('Sluice');
// The workspace is Electron's userData folder too, so the single-instance lock is per workspace
// (two windows on one state folder never race; tests with fresh folders run side by side).
const workspace = resolveWorkspace(workspaceArg(process.argv), process.env);
app.setPath('userData', workspace);
app.setPath('logs', `${workspace}/logs`);
registerSchemeAsPrivileged();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | undefined;
  let engine: Engine | undefined;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  // Every webContents, not only the main window's, gets the navigation guard.
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents));

  void app.whenReady().then(async () => {
    denyPermissions(session.defaultSession);
    try {
      engine = await Engine.open({
        workspace,
        runtime: 'electron',
        seedDemo: !process.argv.includes('--no-demo'),
        declineDemo: process.argv.includes('--no-demo'),
      });
    } catch (err) {
      dialog.showErrorBox('Sluice cannot open its workspace', err instanceof Error ? err.message : String(err));
      app.exit(1);
      return;
    }
    notifyFailedRuns(engine);
    serveRenderer();
    installAppMenu();
    registerIpc(engine, () => window);
    window = createMainWindow(__dirname);
    window.on('closed', () => (window = undefined));
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) window = createMainWindow(__dirname);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!engine) return;
    event.preventDefault();
    const closing = engine;
    engine = undefined;
    void closing.shutdown().finally(() => app.quit());
  });
}

/** An OS notification when a run fails or sends only part of its records (what it says: `runAlert`). */
function notifyFailedRuns(engine: Engine): void {
  engine.onEvent((event, payload) => {
    if (event !== 'runProgress' || !Notification.isSupported()) return;
    const alert = runAlert(payload as RunSummary, engine.settings.get().runAlerts);
    if (alert) new Notification({ title: alert.title, body: alert.body }).show();
  });
}
