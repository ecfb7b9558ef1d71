import { CHANNELS, type Channel, type SluiceApi } from '../../../shared/ipc/contract';
import type { Bridge } from '../../../shared/ipc/bridge';
import { SluiceError, type WireResult } from '../../../shared/ipc/errors';

/**
 * The renderer's typed client: one async function per contract channel. It unwraps the wire
 * result and throws `SluiceError` (with code and field issues) on failure.
 */
export function createClient(bridge: Bridge): SluiceApi {
  const call = async (channel: Channel, input: unknown): Promise<unknown> => {
    const result: WireResult<unknown> = await bridge[channel](input);
    if (!result.ok) throw SluiceError.fromWire(result.error);
    return result.value;
  };
  const named = Object.fromEntries(CHANNELS.map((channel) => [channel, (input: unknown) => call(channel, input)]));
  return { ...named, on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void) } as SluiceApi;
}
