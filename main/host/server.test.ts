import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openTestEngine } from '../testing/engine';
import { tempWorkspace } from '../testing/temp';
import { startHost, type RunningHost } from './server';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function host(): Promise<RunningHost> {
  const t = await openTestEngine();
  const renderer = tempWorkspace('sluice-renderer-');
  fs.writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>Sluice</title>');
  const h = await startHost({ engine: t.engine, rendererDir: renderer.dir });
  closers.push(t.close, renderer.cleanup, () => h.close());
  return h;
}

function open(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} ${res.statusMessage}`)));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, id: number, channel: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

describe('browser host', () => {
  it('serves the renderer on 127.0.0.1 with a strict CSP and nothing outside its folder', async () => {
    const h = await host();
    expect(h.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const index = await fetch(`${h.origin}/`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
    expect((await fetch(`${h.origin}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect((await fetch(`${h.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('carries the contract over the WebSocket with the right token and origin, and pushes events', async () => {
    const h = await host();
    const ws = await open(`ws://127.0.0.1:${h.port}/ipc?token=${h.token}`, h.origin);
    const events: unknown[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { event?: string };
      if (m.event) events.push(m);
    });
    expect(await request(ws, 1, 'getAppInfo', {})).toMatchObject({ ok: true, value: { name: 'Sluice', runtime: 'browser-host' } });
    expect(await request(ws, 2, 'updateSettings', { debuggerRetentionDays: -3 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await request(ws, 3, 'updateSettings', { theme: 'light' })).toMatchObject({ ok: true });
    await expect.poll(() => events).toEqual([{ event: 'settingsChanged', payload: { theme: 'light', debuggerRetentionDays: 30, runAlerts: true } }]);
    ws.close();
  });

  it('refuses a wrong token, a missing token and a foreign origin', async () => {
    const h = await host();
    await expect(open(`ws://127.0.0.1:${h.port}/ipc?token=wrong`, h.origin)).rejects.toThrow('HTTP 401');
    await expect(open(`ws://127.0.0.1:${h.port}/ipc`, h.origin)).rejects.toThrow('HTTP 401');
    await expect(open(`ws://127.0.0.1:${h.port}/ipc?token=${h.token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(open(`ws://127.0.0.1:${h.port}/other?token=${h.token}`, h.origin)).rejects.toThrow('HTTP 404');
  });
});
