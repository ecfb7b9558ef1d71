import fs from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron binary's path, or why there is none (ELECTRON_SKIP_BINARY_DOWNLOAD, no network). */
export function electronBinary(): { path: string } | { missing: string } {
  try {
    const require = createRequire(__filename);
    const binary = require('electron') as unknown as string;
    if (typeof binary === 'string' && fs.existsSync(binary)) return { path: binary };
    return { missing: `the Electron binary is not installed (${binary} does not exist)` };
  } catch (err) {
    return { missing: `the Electron binary is not installed (${err instanceof Error ? err.message : String(err)})` };
  }
}
