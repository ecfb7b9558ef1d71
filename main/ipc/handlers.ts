import os from 'node:os';
import type { Engine } from '../engine/engine';
import { packageVersion } from '../paths';
import { buildDiagnostics } from '../engine/diagnostics';
import type { HandlerTable } from './dispatcher';

/** The handler table: one entry per contract channel, inputs already validated. */
export function createHandlers(engine: Engine): HandlerTable {
  return {
    getAppInfo: () => ({
      name: 'Sluice',
      version: packageVersion(),
      workspace: engine.options.workspace,
      schemaVersion: engine.schemaVersion,
      runtime: engine.options.runtime,
      platform: `${os.platform()}-${os.arch()}`,
      keychain: engine.keychain,
    }),
    getSettings: () => engine.settings.get(),
    updateSettings: (patch) => {
      const next = engine.settings.update(patch);
      engine.log.info('settings.updated', { keys: Object.keys(patch) });
      engine.emit('settingsChanged', next);
      return next;
    },
    listSecrets: () => engine.secrets.list(),
    saveSecret: async ({ name, value }) => {
      const ref = await engine.secrets.save(name, value);
      engine.emit('secretsChanged', engine.secrets.list());
      return ref;
    },
    deleteSecret: async ({ name }) => {
      const deleted = await engine.secrets.delete(name);
      engine.emit('secretsChanged', engine.secrets.list());
      return { deleted };
    },
    exportDiagnostics: () => buildDiagnostics(engine),
  };
}
