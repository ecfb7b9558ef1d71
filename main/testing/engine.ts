import { Engine } from '../engine/engine';
import { tempWorkspace } from './temp';

/** A real engine on a fresh workspace folder; `close()` also removes the folder. */
export async function openTestEngine(runtime: 'electron' | 'browser-host' = 'browser-host'): Promise<{ engine: Engine; dir: string; close(): void }> {
  const ws = tempWorkspace();
  const engine = await Engine.open({ workspace: ws.dir, runtime });
  return {
    engine,
    dir: ws.dir,
    close: () => {
      engine.close();
      ws.cleanup();
    },
  };
}

export const trusted = { transport: 'websocket', origin: 'test', trusted: true } as const;
