import type { Page } from '@playwright/test';

/**
 * Holds the engine's answer to the next request on `channel` once asked to (`holdNext`), as a slow model
 * or cluster would, and lets every other answer through; `release` sends the held answers on.
 */
export async function holdAnswers(app: Page, channel: string) {
  let holdNext = false;
  const holding = new Set<number>();
  const held: (() => void)[] = [];
  await app.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const d = JSON.parse(String(m)) as { id: number; channel: string };
      if (holdNext && d.channel === channel) {
        holdNext = false;
        holding.add(d.id);
      }
      server.send(m);
    });
    server.onMessage((m) => {
      const d = JSON.parse(String(m)) as { id?: number };
      if (d.id !== undefined && holding.has(d.id)) held.push(() => ws.send(m));
      else ws.send(m);
    });
  });
  return {
    holdNext: () => (holdNext = true),
    count: () => held.length,
    release: () => held.splice(0).forEach((send) => send()),
  };
}
