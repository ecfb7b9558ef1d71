import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Engine } from '../engine/engine';
import { contentSecurityPolicy } from './csp';
import type { WireResult } from '../../shared/ipc/errors';
import { parseClientMessage, type ServerMessage } from './messages';
import { serveStatic } from './static-files';

export type { ClientMessage, ServerMessage } from './messages';

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
    // Node leaves an upgraded socket without an error listener: a reset must not throw.
    socket.on('error', () => socket.destroy());
    const requestOrigin = req.headers.origin ?? '';
    const refuse = (status: number, reason: string) => {
      engine.log.warn('host.ws-refused', { origin: requestOrigin, reason });
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
    };
    let url: URL;
    try {
      url = new URL(`${origin}${req.url?.startsWith('/') ? req.url : '/'}`);
    } catch {
      return refuse(400, 'Bad Request');
    }
    if (url.pathname !== '/ipc') return refuse(404, 'Not Found');
    if (!allowedOrigins.has(requestOrigin)) return refuse(403, 'Forbidden origin');
    if (!sameToken(token, url.searchParams.get('token'))) return refuse(401, 'Bad token');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A frame ws cannot read (too big, bad UTF-8, bad opcode) closes this socket only.
      ws.on('error', (err) => engine.log.warn('host.ws-error', { error: err.message }));
      const send = (message: ServerMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      };
      ws.on('message', (data, isBinary) => {
        const parsed = parseClientMessage(data, isBinary);
        if (!parsed.ok) return send(parsed.answer);
        const { id, channel, input } = parsed.message;
        void engine.dispatcher
          .dispatch(channel, input, { transport: 'websocket', origin: requestOrigin, trusted: true })
          .catch((err: unknown): WireResult<unknown> => {
            engine.log.error('host.dispatch-failed', { error: err instanceof Error ? err.message : String(err) });
            return { ok: false, error: { code: 'internal', message: 'Sluice could not handle this request' } };
          })
          .then((result) => send({ id, result }))
          .catch((err: unknown) => engine.log.error('host.answer-failed', { error: err instanceof Error ? err.message : String(err) }));
      });
    });
  });

  const unsubscribe = engine.onEvent((event, payload) => {
    const text = JSON.stringify({ event, payload } satisfies ServerMessage);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
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
