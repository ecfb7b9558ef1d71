import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, ipcChannelName, ipcEventName } from '../../shared/ipc/contract';
import type { Engine } from '../engine/engine';
import { APP_ORIGIN } from './app-protocol';

/**
 * Electron side of the contract: one ipcMain.handle per channel, each going through the engine's
 * dispatcher after the sender check (the request must come from our window's top frame, loaded
 * from our own protocol).
 */
export function registerIpc(engine: Engine, getWindow: () => BrowserWindow | undefined): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), (event: IpcMainInvokeEvent, input: unknown) => {
      const frameUrl = event.senderFrame?.url ?? '';
      const window = getWindow();
      const trusted =
        window !== undefined &&
        event.sender.id === window.webContents.id &&
        event.senderFrame === event.sender.mainFrame &&
        frameUrl.startsWith(`${APP_ORIGIN}/`);
      return engine.dispatcher.dispatch(channel, input, { transport: 'electron', origin: frameUrl, trusted });
    });
  }
  const unsubscribe = engine.onEvent((event, payload) => {
    getWindow()?.webContents.send(ipcEventName(event), payload);
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(ipcChannelName(channel));
  };
}
