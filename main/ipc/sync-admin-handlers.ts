import type { EngineServices } from '../engine/services';
import type { HandlerTable } from './dispatcher';
import type { syncAdminChannels } from '../../shared/ipc/channels/sync-admin';
import {
  createSync,
  deleteSync,
  previewSyncSave,
  previewSyncSettings,
  renameSync,
  resetSyncSnapshot,
  syncFootprint,
  updateSyncSettings,
} from '../sync/sync-admin';

/** Handlers for the channels in shared/ipc/channels/sync-admin.ts (each change emits catalogChanged). */
export function syncAdminHandlers(engine: EngineServices): Pick<HandlerTable, keyof typeof syncAdminChannels> {
  return {
    createSync: ({ name, settings, payload }) => createSync(engine, name, settings, payload),
    updateSyncSettings: ({ name, settings }) => updateSyncSettings(engine, name, settings),
    previewSyncSettings: ({ name, settings }) => previewSyncSettings(engine, name, settings),
    previewSyncSave: ({ sync }) => previewSyncSave(engine, sync),
    renameSync: ({ name, newName }) => renameSync(engine, name, newName),
    syncFootprint: ({ name }) => syncFootprint(engine, name),
    deleteSync: ({ name }) => deleteSync(engine, name),
    resetSyncSnapshot: ({ name }) => resetSyncSnapshot(engine, name),
  };
}
