import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { describeError } from '../../shared/ipc/errors';
import type { Engine } from '../engine/engine';
import { trusted } from './engine';

/** Calls a channel through the dispatcher, as the UI and CLI do (input and output validated against the contract). */
export async function callChannel<C extends Channel>(engine: Engine, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await engine.dispatcher.dispatch(channel, input, trusted);
  if (!result.ok) throw new Error(describeError(result.error));
  return result.value as ChannelOutput<C>;
}
