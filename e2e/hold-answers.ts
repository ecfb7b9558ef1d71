import type { Page } from '@playwright/test';

/**
 * Holds the engine's answer to the next request on `channel` once asked to (`holdNext`), as a slow model
 * or cluster would, and lets every other answer through; `release` sends the held answers on. `passed`
 * counts the answers on `channel` that went through (held ones once released), so a test can wait for an
 * answer it expects the page to ignore, then look. Set up before the page connects (then reload it).
 */
export async function holdAnswers(app: Page, channel: string) {
  let holdNext = false;
  const holding = new Set<number>();
  const held: (() => void)[] = [];
  const asked = new Set<number>();
  let passed = 0;
  await app.routeWebSocket(/\/ipc/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const d = JSON.parse(String(m)) as { id: number; channel: string };
      if (d.channel === channel) asked.add(d.id);
      if (holdNext && d.channel === channel) {
        holdNext = false;
        holding.add(d.id);
      }
      server.send(m);
    });
    server.onMessage((m) => {
      const d = JSON.parse(String(m)) as { id?: number };
      const counted = d.id !== undefined && asked.has(d.id);
      const send = () => {
        ws.send(m);
        if (counted) passed++;
      };
      if (d.id !== undefined && holding.has(d.id)) held.push(send);
      else send();
    });
  });
  return {
    holdNext: () => (holdNext = true),
    count: () => held.length,
    passed: () => passed,
    release: () => held.splice(0).forEach((send) => send()),
  };
}

/** Resolves once the page has drawn two more frames: what an answer it was just given changes is on screen. */
export async function drawn(app: Page): Promise<void> {
  await app.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}
