import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Column, Source } from '../../shared/config/source';
import { asSubquery } from '../../shared/config/model-query';
import { postgresConnectError } from './postgres-connect-error';
import { SluiceError } from '../../shared/ipc/errors';
import { steadyMs } from '../sync/steady-clock';
import { connectionLostError, isConnectionLost, readingModel, silentServerError } from './postgres-lost';
import { cancelStatement } from './postgres-cancel';
import { postgresAnswers } from './postgres-probe';
import { PROBE_TIMEOUT_MS, SilenceWatch, silenceLimitMs } from './source-silence';
import { DEFAULT_BATCH, type ModelReader } from './reader';
import { sqlError } from './sql-error';
import { jsonSafeRow, jsonValue } from './values';

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

// pg-types' timestamptz parser (postgres-date): with an explicit offset it builds the Date in UTC.
const parseAbsolute = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date | number | null;
// Its text[] parser (oid 1009, not in its TypeId list): an array's elements as strings (NULL as null), nested as the array is.
const TEXT_ARRAY: number = 1009;
const parseTextArray = pg.types.getTypeParser(TEXT_ARRAY, 'text') as (text: string) => unknown[] | null;

/**
 * A date or timestamp (no time zone) read as at UTC, so the value does not depend on this machine's
 * time zone: the default parser uses local time. On a UTC machine the result is the same Date as
 * before (snapshots made there stay unchanged). `time` completes a date to a timestamp.
 */
function atUtc(text: string, time: string): Date | number | string | null {
  if (text === 'infinity' || text === '-infinity') return parseAbsolute(text); // ±Infinity, sent as today
  // As PostgreSQL writes a timestamptz: the offset before a trailing " BC".
  const bc = text.endsWith(' BC');
  const value = parseAbsolute(`${bc ? text.slice(0, -3) : text}${time}+00${bc ? ' BC' : ''}`);
  // Past a JS Date's range (after +275760-09-13): PostgreSQL's own text, not an Invalid Date that stops the run.
  return value instanceof Date && Number.isNaN(value.getTime()) ? text : value;
}
const parseTimestamp = (text: string) => atUtc(text, '');
const parseDate = (text: string) => atUtc(text, ' 00:00:00');
const arrayOf =
  (parse: (text: string) => unknown) =>
  (text: string): unknown[] | null => {
    const each = (v: unknown): unknown => (Array.isArray(v) ? v.map(each) : v === null ? null : parse(v as string));
    return parseTextArray(text)?.map(each) ?? null;
  };
/** Text-format values parsed otherwise than pg-types does. */
const TEXT_PARSERS: Record<number, (text: string) => unknown> = {
  1082: parseDate,
  1114: parseTimestamp,
  1115: arrayOf(parseTimestamp), // timestamp[]
  1182: arrayOf(parseDate), // date[]
  // json and jsonb (and their arrays), numbers past 2^53 or a double's range kept as their text (`jsonValue`): pg's parser rounded them.
  114: jsonValue,
  3802: jsonValue,
  199: arrayOf(jsonValue), // json[]
  3807: arrayOf(jsonValue), // jsonb[]
};

// Exact values: int8 and numeric as strings (jsonSafe keeps them), never rounded floats.
export const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === 20) return (v: string) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);
    if (oid === 1700) return (v: string) => v;
    const parse = format === 'binary' ? undefined : TEXT_PARSERS[oid];
    if (parse) return parse;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/** How long a connection Sluice needs waits to be taken: a server (or a pooler queueing connections) that never answers is an error to act on, not a run that waits. */
export const CONNECT_TIMEOUT_MS = 30_000;
/** How long a connection on the side waits (a helper, a cancel, a schema look-up): one that cannot be had soon is done without, or reported. */
export const SIDE_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The settings Sluice reads values under, whatever the server's or the role's defaults: dates and times
 * in ISO form (what pgTypes parses; under DateStyle 'German' or 'SQL' every date was null) and intervals
 * in PostgreSQL's own form. For a transaction's length only (`SET LOCAL`), so run inside the one that
 * reads: a session's setting would stay on the server session after the read, and a pooler that shares
 * server sessions between clients (PgBouncer in transaction mode) passed it to other clients, whose
 * dates then came out in ISO form, while the read itself might run on a session without it.
 */
export const READING_STYLE = `SET LOCAL DateStyle = 'ISO, MDY'; SET LOCAL IntervalStyle = 'postgres'`;

/** `READING_STYLE` on `client`, in its transaction (open). */
export async function setReadingStyle(client: pg.Client): Promise<void> {
  await client.query(READING_STYLE);
}

/**
 * How Sluice connects to a PostgreSQL source: its values parsed as `pgTypes` says, at most
 * CONNECT_TIMEOUT_MS to connect, and TCP keepalive after 30 s of quiet (a server gone without a word
 * is found out in minutes, not hours).
 */
export function clientConfig(source: PostgresSource, password: string | undefined): pg.ClientConfig {
  return {
    host: source.host,
    port: source.port,
    database: source.database,
    user: source.user,
    password,
    ssl: source.ssl ? { rejectUnauthorized: true } : undefined,
    types: pgTypes,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 30_000,
  };
}

/** A SQL query on PostgreSQL, read through a server-side cursor; a server that falls silent under it is watched (`source-silence.ts`). */
export class PostgresReader implements ModelReader {
  private readonly watch = new SilenceWatch();
  private readonly limitMs = silenceLimitMs();
  /** Requests waiting on the server (`answer`): a close meanwhile cancels the statement on the server. */
  private asking = 0;

  private constructor(
    private readonly client: pg.Client,
    private readonly source: PostgresSource,
    private readonly query: string,
    /** The model's name, said when the server is lost or silent while it is read (none for a draft). */
    private readonly model: string | undefined,
    /** Resolves once the connection has failed or ended (the server gone, the backend terminated). */
    private readonly gone: Promise<void>,
  ) {}

  /**
   * `model`: the model's name, said when the connection is lost while it is read (none for a draft).
   * `connectTimeoutMs`: how long connecting may take (a check on the side waits less than a run).
   */
  static async open(
    source: PostgresSource,
    query: string,
    password: string | undefined,
    model?: string,
    connectTimeoutMs = CONNECT_TIMEOUT_MS,
  ): Promise<PostgresReader> {
    const client = new pg.Client({ ...clientConfig(source, password), connectionTimeoutMillis: connectTimeoutMs });
    // A connection that fails later (a terminated backend, a restarted server) emits 'error': without a
    // listener, that is an uncaught exception that takes the process down. The read in progress fails
    // with it, and `gone` tells the cursor not to wait for an answer that will never come.
    const gone = new Promise<void>((resolve) => {
      client.on('error', () => resolve());
      client.on('end', () => resolve());
    });
    try {
      await client.connect();
    } catch (err) {
      throw postgresConnectError(source, err);
    }
    return new PostgresReader(client, source, query, model, gone);
  }

  /** The server, when it has said nothing for SILENCE_SHOWN_MS while a read waits on it: "PostgreSQL server db:5432", and for how long. */
  silence(): { server: string; seconds: number } | null {
    const seconds = this.watch.shown(steadyMs());
    return seconds === null ? null : { server: `PostgreSQL server ${this.source.host}:${this.source.port}`, seconds };
  }

  /** Turns a failed read into words: a lost or silent connection says which server and model, a SQL error where in the query. */
  private readError(err: unknown, at = 0): Error {
    if (err instanceof SluiceError) return err;
    if (isConnectionLost(err)) return connectionLostError(this.source, readingModel(this.model), err);
    const e = err as Error & { position?: string };
    return sqlError(this.query, e.message, e.position ? Number(e.position) - at : undefined);
  }

  /**
   * `request`'s answer, the server's silence watched meanwhile: once the wait is long the server is
   * probed on a new connection (a busy server answers, so a slow query waits on), and past the limit of
   * silence the read is given up, its connection dropped under it.
   */
  private async answer<T>(request: Promise<T>): Promise<T> {
    const { watch, source } = this;
    watch.asked(steadyMs());
    this.asking++;
    let tick: NodeJS.Timeout | undefined;
    const givenUp = new Promise<never>((_, reject) => {
      tick = setInterval(
        () => {
          const now = steadyMs();
          const step = watch.step(now, this.limitMs);
          if (step === 'probe') void postgresAnswers(source.host, source.port, PROBE_TIMEOUT_MS).then((alive) => watch.probed(alive, steadyMs()));
          if (step !== 'give-up') return;
          clearInterval(tick);
          reject(silentServerError(source, readingModel(this.model), watch.silentMs(now)));
          this.client.connection.stream.destroy();
        },
        Math.min(500, Math.max(20, this.limitMs / 10)),
      );
    });
    try {
      return await Promise.race([request, givenUp]);
    } finally {
      this.asking--;
      clearInterval(tick);
      watch.answered();
    }
  }

  /** The query's columns, asked once per reader (its open checks them; the preview, key check and run read them again). */
  private columnsAsked: Promise<Column[]> | undefined;

  columns(): Promise<Column[]> {
    return (this.columnsAsked ??= this.askColumns());
  }

  private async askColumns(): Promise<Column[]> {
    // (in the rows' transaction when one is open; else in one of its own, as the rows are read: a date
    // written '01/13/2024' in the query is read as the rows read it, whatever the role's DateStyle)
    const own = !this.reading;
    if (own) await this.beginRead();
    try {
      const result = await this.answer(this.client.query({ text: `SELECT * FROM (${asSubquery(this.query)}) AS sluice_model LIMIT 0`, types: pgTypes }));
      return result.fields.map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) }));
    } catch (err) {
      throw this.readError(err, 'SELECT * FROM ('.length);
    } finally {
      if (own) await this.endRead();
    }
  }

  /** A transaction of `beginRead` is open (the rows' read). */
  private reading = false;

  /**
   * Opens the transaction a model is read in. A model only reads: in a read-only transaction, a query
   * whose function writes (or takes a sequence's next value) fails saying so, where each preview, key
   * check and run wrote again. It and the values' style are the transaction's, not the session's:
   * through a pooler that shares server sessions, a session's setting reaches other clients. (One round
   * trip: the three statements in one message.)
   */
  private async beginRead(): Promise<void> {
    try {
      await this.answer(this.client.query(`BEGIN TRANSACTION READ ONLY; ${READING_STYLE}`));
    } catch (err) {
      await this.endRead();
      throw this.readError(err);
    }
  }

  /** Ends the transaction of `beginRead` (not waited for on a connection that is gone: it would wait forever). */
  private async endRead(): Promise<void> {
    await Promise.race([this.client.query('ROLLBACK').catch(() => undefined), this.gone]);
  }

  async *batches(batchSize = DEFAULT_BATCH) {
    await this.columnsAsked?.catch(() => undefined); // (its own transaction ended first)
    await this.beginRead();
    this.reading = true;
    const cursor = this.client.query(new Cursor(this.query, [], { types: pgTypes }));
    let rowNumber = 0;
    try {
      for (;;) {
        const rows = (await this.answer(cursor.read(batchSize))) as Record<string, unknown>[];
        if (rows.length === 0) break;
        yield rows.map((r) => ({ rowNumber: ++rowNumber, row: jsonSafeRow(r) }));
      }
    } catch (err) {
      throw this.readError(err);
    } finally {
      // Closing waits for the server's answer: on a connection that is gone it would wait forever.
      await Promise.race([cursor.close().catch(() => undefined), this.gone]);
      this.reading = false;
      await this.endRead();
    }
  }

  /**
   * Ends the session. A read still waiting on the server (a cancelled run or test record) has its
   * statement cancelled there first: pg drops the socket of a session with a query in flight, which the
   * server notices only once the query writes, so a slow query ran on to its end, holding its session.
   */
  async close(): Promise<void> {
    if (this.asking > 0) await cancelStatement(this.client, this.source.host, this.source.port);
    await this.client.end().catch(() => undefined);
  }
}

const PG_TYPES: Record<number, string> = {
  16: 'boolean',
  20: 'bigint',
  21: 'smallint',
  23: 'integer',
  25: 'text',
  114: 'json',
  700: 'real',
  701: 'double precision',
  1043: 'varchar',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
  2950: 'uuid',
  3802: 'jsonb',
};
/** A column's type as the model's columns name it (`oid N` for a type Sluice does not name). */
export function pgTypeName(oid: number): string {
  return PG_TYPES[oid] ?? `oid ${oid}`;
}
