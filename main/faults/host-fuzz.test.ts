// Fuzzes the real browser host (static files + the WebSocket contract) with odd request paths and
// odd messages. Whatever arrives, the host must answer (400/404, or an error answer) and stay up:
// a crash would stop the UI and the run in progress, and any local process can connect to it.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openTestEngine } from '../testing/engine';
import { tempWorkspace } from '../testing/temp';
import { startHost, type RunningHost } from '../host/server';

const SECRET = 'SLUICE-FUZZ-SECRET-7f3a9c';
const closers: (() => Promise<void> | void)[] = [];
/** Every error that escaped the host: none may (each one would have killed the host process). */
const escaped: unknown[] = [];
const onEscaped = (err: unknown) => void escaped.push(err);
let h: RunningHost;
let root: string;

beforeAll(async () => {
  process.on('uncaughtException', onEscaped);
  process.on('unhandledRejection', onEscaped);
  const t = await openTestEngine();
  // <tmp>/renderer is the static root; <tmp>/secret.txt and <tmp>/renderer-evil/x.txt sit beside it.
  const outer = tempWorkspace('sluice-fuzz-');
  root = path.join(outer.dir, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Sluice</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(outer.dir, 'secret.txt'), SECRET);
  fs.mkdirSync(path.join(outer.dir, 'renderer-evil'));
  fs.writeFileSync(path.join(outer.dir, 'renderer-evil', 'x.txt'), SECRET);
  // A link inside the root that points out of it must not be followed.
  fs.symlinkSync(path.join(outer.dir, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  h = await startHost({ engine: t.engine, rendererDir: root });
  closers.push(t.close, outer.cleanup, () => h.close());
});

afterAll(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  process.off('uncaughtException', onEscaped);
  process.off('unhandledRejection', onEscaped);
});

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RawResponse {
  status: number;
  body: string;
}

/** One HTTP request written byte for byte (fetch would normalise the path first). */
function rawRequest(target: string | Buffer, extraHeaders = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(h.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to GET ${String(target).slice(0, 80)}`));
    }, 10_000);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      if (!status) reject(new Error(`the host closed the connection without an answer to ${JSON.stringify(String(target).slice(0, 80))}`));
      else resolve({ status: Number(status), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(
      Buffer.concat([
        Buffer.from('GET '),
        Buffer.isBuffer(target) ? target : Buffer.from(target, 'utf8'),
        Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nConnection: close\r\n${extraHeaders}\r\n`),
      ]),
    );
  });
}

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ipc?token=${h.token}`, { origin: h.origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

type Answer = { id?: unknown; result?: { ok: boolean; error?: { code: string } } };

/** Collects a socket's answers; `call` sends a well-formed request and waits for its answer. */
function client(ws: WebSocket) {
  const answers: Answer[] = [];
  const waiters = new Map<number, (a: Answer) => void>();
  let nextId = 1_000_000;
  ws.on('message', (data) => {
    const answer = JSON.parse(data.toString()) as Answer;
    answers.push(answer);
    if (typeof answer.id === 'number') waiters.get(answer.id)?.(answer);
  });
  return {
    answers,
    call(channel: string, input: unknown): Promise<Answer> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (ws.readyState !== WebSocket.OPEN) return reject(new Error(`socket closed before asking ${channel}`));
        waiters.set(id, resolve);
        ws.once('close', (code) => reject(new Error(`socket closed (${code}) before answering ${channel}`)));
        ws.send(JSON.stringify({ id, channel, input }));
      });
    },
  };
}

async function hostStillAnswers(): Promise<void> {
  const index = await fetch(`${h.origin}/`);
  expect(index.status).toBe(200);
  expect(await index.text()).toContain('<title>Sluice</title>');
  const ws = await open();
  const answer = await client(ws).call('getAppInfo', {});
  expect(answer.result).toMatchObject({ ok: true });
  ws.close();
}

describe('browser host under odd requests', () => {
  it('answers odd paths with 400/404 (or the file), never serves outside its folder, and stays up', async () => {
    const odd: (string | Buffer)[] = [
      '/%',
      '/%zz',
      '/%%',
      '/%e0%a4%a',
      '/abc%',
      '/%C0%AF',
      '/%ff%fe',
      '/..%2f..%2fetc/passwd',
      '/..%2F..%2Fsecret.txt',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2frenderer-evil/x.txt',
      '/assets/link.txt',
      '//',
      '//evil.example/x',
      '///etc/passwd',
      '/.',
      '/..',
      '/assets/',
      '/assets',
      `/${'a'.repeat(8_000)}`,
      `/${'%2e%2e%2f'.repeat(800)}secret.txt`,
      `/${'a/'.repeat(3_000)}`,
      Buffer.from('/\0'),
      Buffer.from('/index.html%00.js'),
      Buffer.from('/%00'),
      Buffer.from('/a\x01b'),
      '/ünïcødé/✓',
      '/%F0%9F%92%A9',
      '/\u{1F4A9}',
      '/?',
      '/?a=%',
      '/index.html?x=1&y=%zz#frag',
      '/#%',
      '*',
      'http://evil.example/',
      '',
    ];
    const random = seeded(12);
    const alphabet = [
      '/',
      '.',
      '..',
      '%',
      '%2f',
      '%2e',
      '%00',
      '%zz',
      '%5c',
      '\\',
      '?',
      '#',
      '&',
      '=',
      'a',
      'index.html',
      'secret.txt',
      'é',
      '✓',
      '%C3',
      '~',
      ';',
      ' ',
    ];
    for (let i = 0; i < 150; i++) {
      let p = '/';
      const parts = 1 + Math.floor(random() * 12);
      for (let j = 0; j < parts; j++) p += alphabet[Math.floor(random() * alphabet.length)];
      odd.push(p.replace(/ /g, '%20'));
    }
    for (const target of odd) {
      const response = await rawRequest(target);
      expect(response.body, `GET ${String(target).slice(0, 80)}`).not.toContain(SECRET);
      expect([200, 400, 404, 405, 414, 431], `GET ${String(target).slice(0, 80)}`).toContain(response.status);
    }
    // A path far beyond the header limit is refused by Node itself.
    expect((await rawRequest(`/${'a'.repeat(100_000)}`)).status).toBe(431);
    expect((await rawRequest('/%')).status).toBe(400);
    expect((await rawRequest('/..%2f..%2fetc/passwd')).status).toBe(404);
    expect((await rawRequest('/assets/link.txt')).status).toBe(404);
    expect((await rawRequest('/assets/app.js')).status).toBe(200);
    // The WebSocket upgrade takes odd paths too.
    const upgrade = `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: ${h.origin}\r\n`;
    for (const target of ['//', '/%', '//evil/ipc', `/ipc?token=%`, '/ipc?token=', '*']) {
      expect([400, 401, 404], `upgrade ${target}`).toContain((await rawRequest(target, upgrade)).status);
    }
    expect(escaped).toEqual([]);
    await hostStillAnswers();
  });

  it('answers or ignores odd WebSocket messages, keeps the socket open, and stays up', async () => {
    const ws = await open();
    const c = client(ws);
    let closed = false;
    ws.on('close', () => (closed = true));
    // Messages without a usable id: each gets one error answer with id null.
    const noId: (string | Buffer)[] = [
      'null',
      '1',
      '"x"',
      '[]',
      '{}',
      'true',
      '{"id":',
      'not json',
      '\u0000',
      '',
      '{"channel":"getAppInfo","input":{}}',
      '{"id":"7","channel":"getAppInfo","input":{}}',
      '{"id":{},"channel":"getAppInfo"}',
      '{"id":null,"channel":"getAppInfo"}',
      '{"id":1e400,"channel":"getAppInfo"}',
      '{"id":[1],"channel":"getAppInfo"}',
      `[${'['.repeat(5_000)}${']'.repeat(5_000)}]`,
      JSON.stringify({ noise: 'x'.repeat(1_000_000) }),
    ];
    for (const m of noId) ws.send(m);
    ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    ws.send(Buffer.from('{"id":205,"channel":"getAppInfo","input":{}}'), { binary: true });
    // Messages with an id: answered with that id and an error.
    ws.send(JSON.stringify({ id: 201, channel: 'noSuchChannel', input: {} }));
    ws.send(JSON.stringify({ id: 202, channel: '__proto__', input: {} }));
    ws.send(JSON.stringify({ id: 203, channel: 42, input: {} }));
    ws.send(JSON.stringify({ id: 204, channel: 'updateSettings', input: { debuggerRetentionDays: 'forever' } }));
    ws.send(JSON.stringify({ id: 206, channel: 'updateSettings', input: [1, 2] }));
    ws.send(JSON.stringify({ id: 208, channel: 'updateSettings', input: 'x'.repeat(2_000_000) }));
    ws.send(`{"id":209,"channel":"updateSettings","input":{"theme":${'{"v":'.repeat(5_000)}0${'}'.repeat(5_000)}}}`);
    // A seeded batch of random messages, some of them valid JSON.
    const random = seeded(42);
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"id"',
      '"channel"',
      '"input"',
      ':',
      ',',
      'null',
      '1',
      '-0',
      '"getAppInfo"',
      '"updateSettings"',
      '"\\u0000"',
      'true',
      '"',
      '\\',
      'é',
    ];
    for (let i = 0; i < 200; i++) {
      let m = '';
      const n = Math.floor(random() * 14);
      for (let j = 0; j < n; j++) m += pieces[Math.floor(random() * pieces.length)];
      ws.send(m);
    }
    const after = await c.call('getAppInfo', {});
    expect(after.result).toMatchObject({ ok: true, value: { name: 'Sluice' } });
    const byId = (id: number) => c.answers.find((a) => a.id === id)?.result;
    expect(byId(201)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(byId(202)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(byId(203)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(byId(204)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(byId(206)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(byId(208)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(byId(209)?.ok).toBe(false);
    // Every unusable message got exactly one error answer with id null, and nothing was run for them.
    const nullAnswers = c.answers.filter((a) => a.id === null);
    expect(nullAnswers.length).toBeGreaterThanOrEqual(noId.length + 2);
    for (const a of nullAnswers) expect(a.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(c.answers.some((a) => a.id === 205 || a.id === '7')).toBe(false);
    expect(closed).toBe(false);
    expect(escaped).toEqual([]);
    ws.close();
    await hostStillAnswers();
  });

  it('closes only the offending socket on a frame it cannot read (too big, bad UTF-8), and stays up', async () => {
    const bystander = await open();
    const b = client(bystander);
    for (const bad of [Buffer.alloc(17 * 1024 * 1024, 0x61), Buffer.from([0x22, 0xff, 0xfe, 0x22])]) {
      const ws = await open();
      const code = await new Promise<number>((resolve) => {
        ws.on('error', () => undefined);
        ws.once('close', (c) => resolve(c));
        ws.send(bad, { binary: false });
      });
      expect([1006, 1007, 1009]).toContain(code);
    }
    expect((await b.call('getAppInfo', {})).result).toMatchObject({ ok: true });
    bystander.close();
    expect(escaped).toEqual([]);
    await hostStillAnswers();
  });
});
