import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { describeError, type WireError } from '../../shared/ipc/errors';
import type { Engine } from '../engine/engine';
import { trusted } from './engine';

/** Calls a channel through the dispatcher, as the UI and CLI do (input and output validated against the contract). */
export async function callChannel<C extends Channel>(engine: Engine, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await engine.dispatcher.dispatch(channel, input, trusted);
  if (!result.ok) throw new Error(describeError(result.error));
  return result.value as ChannelOutput<C>;
}

/**
 * Like `callChannel`, but a refused call throws an Error with the refusal's message that carries the
 * whole WireError as `wire`, so `failure()` can hand it to the test.
 */
export async function callChannelOrThrowWire<C extends Channel>(engine: Engine, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const r = await engine.dispatcher.dispatch(channel, input, trusted);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { wire: r.error });
  return r.value as ChannelOutput<C>;
}

/** The WireError a `callChannelOrThrowWire` promise was refused with; throws if it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<WireError> {
  try {
    await promise;
  } catch (err) {
    return (err as { wire: WireError }).wire;
  }
  throw new Error('expected a failure');
}
