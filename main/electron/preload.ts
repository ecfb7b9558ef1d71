// The preload: tiny, sandboxed (VS Code style). It exposes one object of named functions built
// from the contract and nothing else; no Node or Electron object crosses into the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildBridge } from '../../shared/ipc/bridge';
import { ipcChannelName, ipcEventName } from '../../shared/ipc/contract';
import type { WireResult } from '../../shared/ipc/errors';

const bridge = buildBridge(
  (channel, input) => ipcRenderer.invoke(ipcChannelName(channel), input) as Promise<WireResult<unknown>>,
  (event, listener) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(ipcEventName(event), wrapped);
    return () => {
      ipcRenderer.off(ipcEventName(event), wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('sluiceBridge', bridge);
