import type { Bridge } from '../../../shared/ipc/bridge';
import type { SluiceApi } from '../../../shared/ipc/contract';
import { createClient } from './client';
import { connectWebSocketBridge } from './websocket-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser host. */
    sluiceBridge?: Bridge;
  }
}

/** Electron's preload bridge when there is one, otherwise the browser host's WebSocket. */
export async function connect(): Promise<SluiceApi> {
  return createClient(window.sluiceBridge ?? (await connectWebSocketBridge()));
}
