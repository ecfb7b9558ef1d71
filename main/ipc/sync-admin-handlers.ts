import type { Engine } from '../engine/engine';
import type { HandlerTable } from './dispatcher';
import type { syncAdminChannels } from '../../shared/ipc/channels/sync-admin';

/** Handlers for the channels in shared/ipc/channels/sync-admin.ts. */
export function syncAdminHandlers(engine: Engine): Pick<HandlerTable, keyof typeof syncAdminChannels> {
  void engine;
  return {};
}
