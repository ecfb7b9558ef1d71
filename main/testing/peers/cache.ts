import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Downloads the peers need (the Kafka jars, the moto virtualenv) live outside the repository and are
 * reused between runs: $SLUICE_PEERS_CACHE, else ~/.cache/sluice-test-peers.
 */
export function peersCacheDir(...parts: string[]): string {
  const base = process.env.SLUICE_PEERS_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'sluice-test-peers');
  const dir = path.join(base, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Runs `fill` once for a cache entry: it writes into a temporary sibling which is renamed into place
 * when complete, so an interrupted download is never mistaken for a finished one.
 */
export async function cachedEntry(name: string, fill: (dir: string) => Promise<void> | void): Promise<string> {
  const dir = path.join(peersCacheDir(), name);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const staging = `${dir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  await fill(staging);
  fs.writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(staging, dir);
  } catch (err) {
    // Another test file filled it at the same moment: theirs is as good as ours.
    if (!fs.existsSync(path.join(dir, '.complete'))) throw err;
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}
