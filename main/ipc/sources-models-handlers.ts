import type { Engine } from '../engine/engine';
import type { HandlerTable } from './dispatcher';
import type { sourcesModelsChannels } from '../../shared/ipc/channels/sources-models';

/** Handlers for the channels in shared/ipc/channels/sources-models.ts. */
export function sourcesModelsHandlers(engine: Engine): Pick<HandlerTable, keyof typeof sourcesModelsChannels> {
  void engine;
  return {};
}
