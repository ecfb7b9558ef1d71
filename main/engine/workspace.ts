import os from 'node:os';
import path from 'node:path';
import { SluiceError } from '../../shared/ipc/errors';

/**
 * The state folder: `--workspace DIR`, else `SLUICE_HOME`, else the platform's user-data folder
 * (the same one Electron's app.getPath('userData') uses for an app named Sluice).
 */
export function resolveWorkspace(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  // An empty --workspace (a script's unset variable) must not fall back to the user's real workspace.
  if (explicit !== undefined && explicit.trim() === '')
    throw new SluiceError('invalid-input', 'The workspace folder is empty: give --workspace a folder, or leave it out for the default workspace');
  if (explicit) return path.resolve(explicit);
  if (env.SLUICE_HOME) return path.resolve(env.SLUICE_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Sluice');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Sluice');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Sluice');
  }
}
