import { Engine } from '../engine/engine';
import { tempWorkspace } from './temp';

/** A real engine on a fresh workspace folder; `close()` also removes the folder. */
export async function openTestEngine(
  options: { runtime?: 'electron' | 'browser-host'; seedDemo?: boolean } = {},
): Promise<{ engine: Engine; dir: string; close(): Promise<void> }> {
  const ws = tempWorkspace();
  const engine = await Engine.open({ workspace: ws.dir, runtime: options.runtime ?? 'browser-host', seedDemo: options.seedDemo ?? false });
  return {
    engine,
    dir: ws.dir,
    close: async () => {
      await engine.shutdown();
      ws.cleanup();
    },
  };
}

export const trusted = { transport: 'websocket', origin: 'test', trusted: true } as const;
