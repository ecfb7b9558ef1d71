import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { callChannel, callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach } from '../testing/lifecycle';

// The fault suite, a SQLite model whose query is busy before its first row (an aggregate over a long
// recursion, a sort without an index, a big join): its preview ran the statement on the engine's thread,
// so the browser host (and the Electron app's main process) answered nothing else until it ended — a
// checker's second tab waited 68 s to list models, and the Syncs page 111 s.

const closers = closeAfterEach();
const SECONDS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000) SELECT max(x) AS id FROM c';
const BUSY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT max(x) AS id FROM c';

/** This process's children reading a SQLite model's rows (`sqlite-read-process`). */
function readingProcesses(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sqlite-read-process');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('fault suite: a SQLite model busy before its first row', () => {
  it('its preview leaves the engine free: timers fire and other requests are answered meanwhile', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const file = path.join(t.dir, 'model.sqlite');
    new BetterSqlite3(file).close();
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    t.engine.catalog.putModel({ name: 'slow', source: 'db', query: BUSY, primaryKey: ['id'] });
    const preview = failure(callChannelOrThrowWire(t.engine, 'previewModel', { model: 'slow', limit: 10 }));
    // Before: nothing below ran until the statement ended (minutes); the test's timeout failed it.
    const asked = performance.now();
    expect((await callChannel(t.engine, 'listModels', {})).map((m) => m.name)).toEqual(['slow']);
    expect(performance.now() - asked).toBeLessThan(2000);
    let reading: number[] = [];
    await expect.poll(() => (reading = readingProcesses()).length, { timeout: 10_000 }).toBe(1);
    // The statement is still at work: the preview waits for it, and nothing else does.
    expect(await Promise.race([preview, new Promise((resolve) => setImmediate(() => resolve('waiting')))])).toBe('waiting');
    // A reading process that ends unexpectedly fails the preview in words, naming the file.
    process.kill(reading[0]!, 'SIGKILL');
    const err = await preview;
    expect(err.code).toBe('unavailable');
    expect(err.message).toBe(`Reading ${file} stopped: the process that read its rows ended before it had read them all (was it killed?). Try again`);
  }, 30_000);

  /** A model whose query takes seconds to its first row (a sort of a long recursion, say), and a sync of it. */
  async function slowModel() {
    const t = await openTestEngine();
    closers.push(t.close);
    const file = path.join(t.dir, 'model.sqlite');
    new BetterSqlite3(file).close();
    t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    t.engine.catalog.putModel({ name: 'slow', source: 'db', query: SECONDS, primaryKey: ['id'] });
    t.engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'slow', shards: 1 });
    const template = '{"id": {{ row.id }}}';
    t.engine.catalog.putSync({ name: 'slow', model: 'slow', destination: 'sandbox', triggers: ['added'], payload: { mode: 'template', template } });
    return t.engine;
  }

  /** The answers of `asks`, asked at once, and how many reading processes were seen while they were at work. */
  async function whileReading<T>(asks: Promise<T>[]): Promise<{ answers: T[]; processes: number }> {
    const seen = new Set<number>();
    let answered = false;
    const answers = Promise.all(asks).finally(() => (answered = true));
    await expect.poll(() => (readingProcesses().forEach((pid) => seen.add(pid)), answered), { timeout: 60_000, interval: 20 }).toBe(true);
    return { answers: await answers, processes: seen.size };
  }

  // Before: a reading process per question, all at work at once (six payload previews over a 7-second
  // query answered after a minute); the editor asks again each time the template or a setting rests.
  it('payload previews asked on each edit while the model is read share its read: one reading process, each answer its own', async () => {
    const engine = await slowModel();
    const edits = [0, 1, 2, 3].map((i) =>
      callChannel(engine, 'previewPayload', { model: 'slow', payload: { mode: 'template', template: `{"edit": ${i}, "id": {{ row.id }}}` } }),
    );
    const { answers, processes } = await whileReading(edits);
    expect(processes).toBe(1);
    expect(answers.map((a) => a.items.map((item) => item.data))).toEqual([0, 1, 2, 3].map((i) => [`{"edit":${i},"id":10000000}`]));
  }, 90_000);

  it('routing previews asked on each edit while the model is read share its read too', async () => {
    const engine = await slowModel();
    const edits = [0, 1, 2].map((i) =>
      callChannel(engine, 'previewRouting', { sync: 'slow', partitionKey: { kind: 'template', template: `edit-${i}` }, rows: { mode: 'first', count: 1 } }),
    );
    const { answers, processes } = await whileReading(edits);
    expect(processes).toBe(1);
    expect(answers.map((a) => a.items.map((item) => item.partitionKey))).toEqual([['edit-0'], ['edit-1'], ['edit-2']]);
  }, 90_000);
});
