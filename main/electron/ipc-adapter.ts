import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, ipcChannelName, ipcEventName } from '../../shared/ipc/contract';
import type { Engine } from '../engine/engine';
import { isTrustedSender } from './ipc-trust';

/**
 * Electron side of the contract: one ipcMain.handle per channel, each going through the engine's
 * dispatcher after the sender check (ipc-trust.ts: the request must come from our window's top
 * frame, loaded from our own protocol).
 */
export function registerIpc(engine: Engine, getWindow: () => BrowserWindow | undefined): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), (event: IpcMainInvokeEvent, input: unknown) => {
      let frameUrl = '';
      let trusted = false;
      try {
        const frame = event.senderFrame;
        const top = event.sender.mainFrame;
        frameUrl = frame?.url ?? '';
        const window = getWindow();
        trusted = isTrustedSender({
          senderId: event.sender.id,
          windowId: window?.isDestroyed() === false ? window.webContents.id : undefined,
          isTopFrame: frame !== null && frame.parent === null && frame.processId === top.processId && frame.routingId === top.routingId,
          frameUrl,
        });
      } catch {
        // The frame went away while we looked at it: nobody to trust.
      }
      return engine.dispatcher.dispatch(channel, input, { transport: 'electron', origin: frameUrl, trusted });
    });
  }
  const unsubscribe = engine.onEvent((event, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(ipcEventName(event), payload);
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(ipcChannelName(channel));
  };
}
