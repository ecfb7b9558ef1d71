import type { Engine } from '../engine/engine';
import type { HandlerTable } from './dispatcher';
import type { streamChannels } from '../../shared/ipc/channels/streams';

/** Handlers for the channels in shared/ipc/channels/streams.ts. */
export function streamHandlers(engine: Engine): Pick<HandlerTable, keyof typeof streamChannels> {
  void engine;
  return {};
}
