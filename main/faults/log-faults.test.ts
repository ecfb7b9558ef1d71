import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildDiagnostics } from '../engine/diagnostics';
import { Engine } from '../engine/engine';
import { FileLogger, LOG_FILES, LOG_MAX_BYTES } from '../log/logger';
import { Redactor } from '../secrets/redactor';
import { tempWorkspace } from '../testing/temp';

// The log and the diagnostics export: a secret never reaches them, however JSON escapes it; the
// log rotates instead of growing for ever; tail reads the end of a big log, not all of it.

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});
function workspace(): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  return ws.dir;
}

// A quote, a backslash, a newline, a tab and characters outside ASCII (one outside the BMP).
const SECRET = 'sEcR3t"pAss\\wOrD\nünï€😀-Zq8tK\tEnD';

/** Every way the secret could be written in JSON text, escaped once or twice, and its distinctive pieces. */
function secretForms(): string[] {
  const once = JSON.stringify(SECRET).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const ascii = once.replace(/[^\x20-\x7e]/gu, (c) => [...c].map((_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
  const pieces = SECRET.split(/["\\\n\t]/).filter((p) => p.length >= 4);
  expect(pieces).toEqual(['sEcR3t', 'pAss', 'wOrD', 'ünï€😀-Zq8tK']);
  return [SECRET, once, twice, ascii, ...pieces];
}
function expectNoSecret(text: string, where: string): void {
  for (const form of secretForms()) expect(text.includes(form), `${where} holds ${JSON.stringify(form)}`).toBe(false);
}

async function openEngine(dir: string): Promise<Engine> {
  const engine = await Engine.open({ workspace: dir, runtime: 'browser-host', seedDemo: false });
  cleanups.push(() => engine.close());
  return engine;
}

describe('a secret with quotes, backslashes, newlines and non-ASCII characters', () => {
  it('never reaches sluice.log nor the diagnostics export, in any escaping', async () => {
    const dir = workspace();
    const engine = await openEngine(dir);
    await engine.secrets.save('db-password', SECRET);
    engine.log.error('connect.failed', {
      error: `authentication failed for password ${SECRET} (retrying)`,
      stack: new Error(`bad password ${SECRET}`),
      detail: { attempts: [SECRET, `${SECRET}${SECRET}`], [`header ${SECRET}`]: 'as a key' },
    });
    engine.log.warn('plain', { message: `the secret alone: ${SECRET}` });

    const log = fs.readFileSync(path.join(dir, 'logs', 'sluice.log'), 'utf8');
    expect(log).toContain('connect.failed');
    expect(log).toContain('authentication failed for password [redacted] (retrying)');
    expectNoSecret(log, 'sluice.log');
    // Each line is still one valid JSON object.
    for (const line of log.split('\n').filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();

    const { content } = buildDiagnostics(engine);
    expect(content).toContain('connect.failed');
    expectNoSecret(content, 'the diagnostics export');
  });

  it('written to the log before Sluice knew it, is redacted from the diagnostics export', async () => {
    const dir = workspace();
    const engine = await openEngine(dir);
    // A line an earlier session wrote (as JSON escapes it) before the secret was saved.
    fs.appendFileSync(
      path.join(dir, 'logs', 'sluice.log'),
      JSON.stringify({ time: new Date().toISOString(), level: 'error', event: 'old.failure', error: `password was ${SECRET}` }) + '\n',
    );
    await engine.secrets.save('db-password', SECRET);

    expectNoSecret(engine.log.tail(10).join('\n'), 'tail');
    const { content } = buildDiagnostics(engine);
    expect(content).toContain('old.failure');
    expectNoSecret(content, 'the diagnostics export');
  });
});

describe('log rotation', () => {
  it(`rotates sluice.log before it passes its size, keeping ${LOG_FILES} files and every recent line in order`, () => {
    const dir = workspace();
    const maxBytes = 64 * 1024;
    const log = new FileLogger(dir, new Redactor(), 'info', undefined, { maxBytes });
    const total = 3000; // about 330 KiB: five times the limit
    for (let i = 0; i < total; i++) log.info('tick', { i, pad: 'x'.repeat(50) });

    expect(fs.readdirSync(dir).sort()).toEqual(['sluice.log', 'sluice.log.1', 'sluice.log.2']);
    const files = ['sluice.log.2', 'sluice.log.1', 'sluice.log'].map((f) => path.join(dir, f));
    for (const f of files) expect(fs.statSync(f).size).toBeLessThanOrEqual(maxBytes);
    // Oldest to newest, the kept files hold one unbroken run of lines ending with the last one written.
    const kept = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean)).map((l) => (JSON.parse(l) as { i: number }).i);
    expect(kept.length).toBeGreaterThan(1000);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => total - kept.length + k));

    // tail reaches back across the rotation into sluice.log.1.
    const current = fs.readFileSync(files[2]!, 'utf8').split('\n').filter(Boolean).length;
    const tail = log.tail(current + 5).map((l) => (JSON.parse(l) as { i: number }).i);
    expect(tail).toEqual(Array.from({ length: current + 5 }, (_, k) => total - current - 5 + k));
    // Without options: sluice.log, .1 and .2 of up to 10 MiB each.
    expect([LOG_MAX_BYTES, LOG_FILES]).toEqual([10 * 1024 * 1024, 3]);
  });
});

describe('tail', () => {
  function writeLog(file: string, lines: number, line: (i: number) => string): void {
    const fd = fs.openSync(file, 'w');
    try {
      let batch: string[] = [];
      for (let i = 0; i < lines; i++) {
        batch.push(line(i));
        if (batch.length === 10_000) {
          fs.writeSync(fd, batch.join('\n') + '\n');
          batch = [];
        }
      }
      if (batch.length) fs.writeSync(fd, batch.join('\n') + '\n');
    } finally {
      fs.closeSync(fd);
    }
  }

  it('of a 50 MB log returns its last lines and reads only its end', () => {
    const dir = workspace();
    const line = (i: number) => JSON.stringify({ time: '2025-01-01T00:00:00.000Z', level: 'info', event: 'row', i, text: `ünï€😀 ${'y'.repeat(150)}` });
    const lines = 250_000;
    const log = new FileLogger(dir, new Redactor());
    writeLog(log.file, lines, line);
    expect(fs.statSync(log.file).size).toBeGreaterThan(50_000_000);

    const readFileSync = vi.spyOn(fs, 'readFileSync');
    const readSync = vi.spyOn(fs, 'readSync');
    const tail = log.tail(500);
    expect(tail).toEqual(Array.from({ length: 500 }, (_, k) => line(lines - 500 + k)));
    expect(readFileSync.mock.calls.filter(([file]) => String(file).startsWith(dir))).toEqual([]);
    const bytesRead = readSync.mock.results.reduce((sum, r) => sum + (r.type === 'return' ? (r.value as number) : 0), 0);
    expect(bytesRead).toBeLessThan(1024 * 1024);
  });

  it('cuts lines right whatever falls on a chunk boundary (multi-byte characters, short files)', () => {
    const dir = workspace();
    const log = new FileLogger(dir, new Redactor());
    // Lines of varying length so that chunk boundaries land inside multi-byte characters.
    const line = (i: number) => `{"i":${i},"t":"${'ü€😀'.repeat(i % 97)}"}`;
    writeLog(log.file, 3000, line);
    for (const n of [1, 2, 7, 100, 999, 2999, 3000, 5000]) {
      const expected = Array.from({ length: Math.min(n, 3000) }, (_, k) => line(3000 - Math.min(n, 3000) + k));
      expect(log.tail(n)).toEqual(expected);
    }
    expect(log.tail(0)).toEqual([]);
  });
});

describe('a log write that fails (a full disk, no permission)', () => {
  const events = (file: string) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { event: string }).event);

  it('never throws: the line is dropped, said once on stderr naming the file and the error, and logging resumes once the file can be written', async () => {
    const dir = workspace();
    // A fresh module: the notice is once per process, whatever other tests of this file did before.
    vi.resetModules();
    const fresh = await import('../log/logger');
    const log = new fresh.FileLogger(dir, new Redactor());
    log.info('before');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // A folder where sluice.log should be: every append fails with EISDIR, as root too.
    fs.rmSync(log.file);
    fs.mkdirSync(log.file);
    expect(() => log.error('lost.1', { error: new Error('boom') })).not.toThrow();
    // As from a timer: an exception here would be uncaught and end the process.
    expect(() => {
      for (let i = 0; i < 5; i++) log.warn('lost.more', { i });
    }).not.toThrow();
    const notices = stderr.mock.calls.map(([chunk]) => String(chunk));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toBe(
      `Sluice could not write to its log ${log.file} (EISDIR: illegal operation on a directory, open '${log.file}'): the line was dropped, and each later line is tried again (said once).\n`,
    );

    fs.rmdirSync(log.file);
    log.info('after');
    log.info('after.2');
    expect(events(log.file)).toEqual(['after', 'after.2']);
    expect(log.tail(2).map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['after', 'after.2']);
    expect(stderr).toHaveBeenCalledTimes(1);
  });

  it('a rotation that fails keeps the lines in sluice.log, without throwing', () => {
    const dir = workspace();
    // sluice.log.1 cannot be moved onto sluice.log.2, a folder with something in it: every rotation fails.
    fs.writeFileSync(path.join(dir, 'sluice.log.1'), '{"event":"old"}\n');
    fs.mkdirSync(path.join(dir, 'sluice.log.2'));
    fs.writeFileSync(path.join(dir, 'sluice.log.2', 'x'), '');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const log = new FileLogger(dir, new Redactor(), 'info', undefined, { maxBytes: 1024 });
    expect(() => {
      for (let i = 0; i < 50; i++) log.info('tick', { i, pad: 'x'.repeat(50) });
    }).not.toThrow();
    expect(events(log.file)).toEqual(Array.from({ length: 50 }, () => 'tick'));
    expect(fs.statSync(log.file).size).toBeGreaterThan(1024);
    expect(fs.readFileSync(path.join(dir, 'sluice.log.1'), 'utf8')).toBe('{"event":"old"}\n');

    // Once it can rotate again, it does.
    fs.rmSync(path.join(dir, 'sluice.log.2'), { recursive: true });
    log.info('rotated');
    expect(events(log.file)).toEqual(['rotated']);
    expect(events(path.join(dir, 'sluice.log.1'))).toHaveLength(50);
  });
});
