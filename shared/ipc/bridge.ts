import { CHANNELS, type Channel, type EventName } from './contract';
import type { WireResult } from './errors';

/**
 * The small object a transport hands the renderer: one named function per contract channel,
 * answering a `WireResult`, plus `on` for events. The Electron preload builds it over
 * `ipcRenderer`; the browser host's client builds it over a WebSocket. Both use `buildBridge`.
 */
export type Bridge = {
  [C in Channel]: (input: unknown) => Promise<WireResult<unknown>>;
} & {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
};

export function buildBridge(
  invoke: (channel: Channel, input: unknown) => Promise<WireResult<unknown>>,
  on: (event: EventName, listener: (payload: unknown) => void) => () => void,
): Bridge {
  const named = Object.fromEntries(CHANNELS.map((channel) => [channel, (input: unknown) => invoke(channel, input)]));
  return { ...named, on } as Bridge;
}
