import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '../engine/engine';
import { contentSecurityPolicy } from './csp';
import { serveStatic } from './static-files';

/** Messages on the host's WebSocket. Requests carry an id; answers echo it. */
export type ClientMessage = { id: number; channel: string; input: unknown };
export type ServerMessage =
  | { id: number; result: unknown }
  | { event: string; payload: unknown };

export interface HostOptions {
  engine: Engine;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; by default a random one per launch. */
  token?: string;
}

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function sameToken(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The browser test host: the same engine and handler table as the Electron app, without Electron.
 * Serves the built renderer on 127.0.0.1 and carries the contract over a WebSocket at /ipc that
 * only accepts our own origin with the per-launch token.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { engine } = options;
  if (!fs.existsSync(path.join(options.rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (no ${path.join(options.rendererDir, 'index.html')}). Run "npm run build" first.`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedOrigins = new Set([origin, `http://localhost:${port}`]);
  server.on('request', serveStatic(options.rendererDir, contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`])));

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const requestOrigin = req.headers.origin ?? '';
    const refuse = (status: number, reason: string) => {
      engine.log.warn('host.ws-refused', { origin: requestOrigin, reason });
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/ipc') return refuse(404, 'Not Found');
    if (!allowedOrigins.has(requestOrigin)) return refuse(403, 'Forbidden origin');
    if (!sameToken(token, url.searchParams.get('token'))) return refuse(401, 'Bad token');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let message: ClientMessage;
        try {
          message = JSON.parse(data.toString()) as ClientMessage;
        } catch {
          ws.close(1003, 'Messages must be JSON');
          return;
        }
        void engine.dispatcher
          .dispatch(message.channel, message.input, { transport: 'websocket', origin: requestOrigin, trusted: true })
          .then((result) => ws.send(JSON.stringify({ id: message.id, result } satisfies ServerMessage)));
      });
    });
  });

  const unsubscribe = engine.onEvent((event, payload) => {
    const text = JSON.stringify({ event, payload } satisfies ServerMessage);
    for (const ws of sockets) ws.send(text);
  });

  engine.log.info('host.started', { origin });
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
