import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../shared/ipc/errors';
import { startPostgres, type PostgresPeer } from '../testing/peers/postgres';
import { startSilencingRelay } from '../testing/peers/silencing-relay';
import { PostgresReader } from './postgres-reader';
import { SILENCE_LIMIT_ENV } from './source-silence';

// A PostgreSQL server that stops answering under a read (frozen by SIGSTOP, or a network path that drops
// everything) fails the read after the limit of silence, as unavailable, naming the server and the model;
// a server busy with a slow query answers the probe and is waited for. The limit is shortened here.

let pgPeer: PostgresPeer;
beforeAll(async () => {
  pgPeer = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pgPeer?.stop();
});
afterEach(() => {
  delete process.env[SILENCE_LIMIT_ENV];
  pgPeer.resume(); // (a test that timed out paused must not leave the server frozen for the next)
});

const source = (port = pgPeer.port) => ({
  kind: 'postgres' as const,
  name: 'pg',
  host: pgPeer.host,
  port,
  database: pgPeer.database,
  user: pgPeer.user,
  ssl: false,
});
const silentWords = (port: number, model: string) =>
  new RegExp(
    String.raw`^PostgreSQL at 127\.0\.0\.1:${port}/postgres did not answer for \d+ s while reading model "${model}": neither the read nor a new connection got a word from the server, so Sluice gave up \(check the server is up and the network path to it, then try again\)$`,
  );
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('the read went on'),
    (e: unknown) => e as SluiceError,
  );
/** Reads every page of `reader`, answering how many rows came. */
async function readAll(reader: PostgresReader): Promise<number> {
  let n = 0;
  for await (const batch of reader.batches(100)) n += batch.length;
  return n;
}

describe('a PostgreSQL server that stops answering', () => {
  it('mid-read, the network path dropping everything: the reader says the server is not answering, then gives up after the limit, naming the server and the model', async () => {
    // 7 s between the silence said (at 5 s) and the read given up: this process held up for a few seconds
    // by a busy machine still looks in between (held up past the limit, it looked only once the read had given up).
    process.env[SILENCE_LIMIT_ENV] = '12000';
    const relay = await startSilencingRelay(pgPeer.host, pgPeer.port);
    try {
      const reader = await PostgresReader.open(source(relay.port), 'SELECT i FROM generate_series(1, 1000000) AS i', pgPeer.password, 'big');
      const pages = reader.batches(1000);
      expect((await pages.next()).done).toBe(false);
      expect(reader.silence()).toBeNull();
      const silencedAt = performance.now();
      relay.silence();
      let over = false;
      const rest = failureOf(
        (async () => {
          for (;;) if ((await pages.next()).done) return;
        })(),
      ).finally(() => (over = true));
      // Before: the read waited forever, with no word.
      let shown = reader.silence();
      while (shown === null && !over) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        shown = reader.silence();
      }
      const seenMs = performance.now() - silencedAt;
      expect(shown, 'the silence was said before the read gave up').not.toBeNull();
      expect(shown!.server).toBe(`PostgreSQL server 127.0.0.1:${relay.port}`);
      // Said once the server has been silent 5 s, in whole seconds of that silence: 5 when this loop looks
      // on time (every 50 ms), more only as late as it looked, so never past the seconds it saw go by
      // since the relay went silent (the read's wait began after that).
      expect(Number.isInteger(shown!.seconds)).toBe(true);
      expect(shown!.seconds).toBeGreaterThanOrEqual(5);
      expect(shown!.seconds).toBeLessThanOrEqual(Math.floor(seenMs / 1000));
      const err = await rest;
      expect(err).toBeInstanceOf(SluiceError);
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(silentWords(relay.port, 'big'));
      expect(err.message).not.toContain(pgPeer.password);
      expect(reader.silence()).toBeNull();
      await reader.close();
    } finally {
      await relay.close();
    }
  }, 30_000);

  it('frozen (SIGSTOP) mid-read: the read fails after the limit, and the server once resumed serves the next read', async () => {
    process.env[SILENCE_LIMIT_ENV] = '4000';
    const reader = await PostgresReader.open(source(), 'SELECT i FROM generate_series(1, 1000000) AS i', pgPeer.password, 'frozen');
    const pages = reader.batches(1000);
    expect((await pages.next()).done).toBe(false);
    pgPeer.pause();
    try {
      const err = await failureOf(
        (async () => {
          for (;;) if ((await pages.next()).done) return;
        })(),
      );
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(silentWords(pgPeer.port, 'frozen'));
    } finally {
      pgPeer.resume();
    }
    await reader.close();
    const again = await PostgresReader.open(source(), 'SELECT i FROM generate_series(1, 250) AS i', pgPeer.password, 'frozen');
    expect(await readAll(again)).toBe(250);
    await again.close();
  }, 30_000);

  it('frozen once the connection is made: the first query (the model’s columns, its first rows) fails after the limit too', async () => {
    process.env[SILENCE_LIMIT_ENV] = '3000';
    for (const ask of [(r: PostgresReader) => r.columns(), (r: PostgresReader) => readAll(r)]) {
      const reader = await PostgresReader.open(source(), 'SELECT 1 AS one', pgPeer.password, 'first');
      pgPeer.pause();
      try {
        const err = await failureOf(ask(reader));
        expect({ code: err.code, message: err.message }).toEqual({ code: 'unavailable', message: expect.stringMatching(silentWords(pgPeer.port, 'first')) });
      } finally {
        pgPeer.resume();
      }
      await reader.close();
    }
  }, 30_000);

  it('busy with a slow query (silent on the read’s connection, answering a new one): the read waits past the limit for its rows', async () => {
    process.env[SILENCE_LIMIT_ENV] = '4000';
    const reader = await PostgresReader.open(source(), 'SELECT i FROM (SELECT pg_sleep(6)) AS slow, generate_series(1, 3) AS i', pgPeer.password, 'slow');
    expect(await readAll(reader)).toBe(3);
    await reader.close();
  }, 30_000);
});
