// Where captured records go: a SQLite table or an NDJSON file, each with its checkpoint, written together.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite, { type Database } from 'better-sqlite3';
import { CAPTURE_TABLE } from '../../shared/config/capture';
import { SluiceError } from '../../shared/ipc/errors';
import { assertCaptureTarget, CHECKPOINT_TABLE } from './capture-target';

/** One captured record, as stored. */
export interface CapturedRow {
  /** Stream or topic. */
  stream: string;
  /** Shard id, or the Kafka partition number. */
  shard: string;
  /** Kinesis sequence number or Kafka offset. */
  sequence: string;
  /** Kinesis partition key or Kafka key (`base64:…` when not UTF-8); null for a Kafka record without a key. */
  partitionKey: string | null;
  /** The data as text when it is UTF-8, else base64 (`dataIsBase64`); null for a Kafka tombstone. */
  data: string | null;
  dataIsBase64: boolean;
  /** ApproximateArrivalTimestamp (Kinesis) or the record's timestamp (Kafka), ISO 8601. */
  arrivalTimestamp: string | null;
  /** When Sluice captured it, ISO 8601. */
  ingestionTimestamp: string;
}

/**
 * Where one shard or partition stands. `last`: the last sequence number / offset written (resume after it).
 * `since`: no record yet, started at LATEST at this time (resume AT_TIMESTAMP). `finished`: a closed shard read to its end.
 */
export interface Checkpoint {
  last: string | null;
  since: string | null;
  finished: boolean;
}

export interface CaptureSink {
  readonly file: string;
  readonly format: 'sqlite' | 'ndjson';
  /** The checkpoints of one source (`kinesis:STREAM` or `kafka:TOPIC`), by shard/partition. */
  checkpoints(source: string): Map<string, Checkpoint>;
  /** Writes the rows and moves the part's checkpoint, all or nothing. */
  write(source: string, part: string, rows: CapturedRow[], checkpoint: Checkpoint): void;
  close(): void;
}

export function captureFormat(file: string): 'sqlite' | 'ndjson' {
  return /\.(ndjson|jsonl)$/i.test(file) ? 'ndjson' : 'sqlite';
}

export function openCaptureSink(file: string): CaptureSink {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new SluiceError('invalid-input', `The folder ${dir} does not exist: create it first, or choose another file`);
  return captureFormat(file) === 'ndjson' ? new NdjsonSink(file) : new SqliteSink(file);
}

const CAPTURE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${CAPTURE_TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stream TEXT NOT NULL,
    shard TEXT NOT NULL,
    sequence TEXT NOT NULL,
    partition_key TEXT,
    data TEXT,
    data_is_base64 INTEGER NOT NULL DEFAULT 0,
    arrival_timestamp TEXT,
    ingestion_timestamp TEXT NOT NULL,
    UNIQUE (stream, shard, sequence)
  );
  CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (
    source TEXT NOT NULL,
    part TEXT NOT NULL,
    last TEXT,
    since TEXT,
    finished INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source, part)
  );`;

class SqliteSink implements CaptureSink {
  readonly format = 'sqlite' as const;
  private readonly db: Database;
  private readonly insert;
  private readonly save;
  private readonly writeAll;

  constructor(readonly file: string) {
    // Another program's database (or no SQLite file at all) is refused before it is opened for writing.
    assertCaptureTarget(file);
    let db: Database | undefined;
    try {
      const opened = (db = new Sqlite(file));
      opened.pragma('busy_timeout = 5000');
      // The tables in one transaction, then WAL: a file Sluice made holds both as soon as it holds anything.
      opened.transaction(() => opened.exec(CAPTURE_SCHEMA))();
      opened.pragma('journal_mode = WAL');
    } catch (err) {
      db?.close();
      throw new SluiceError(
        'invalid-input',
        `Cannot capture into ${file}: ${err instanceof Error ? err.message : String(err)} (choose a new file, or a SQLite file Sluice captured into before)`,
      );
    }
    this.db = db;
    this.insert = this.db.prepare(
      `INSERT INTO ${CAPTURE_TABLE} (stream, shard, sequence, partition_key, data, data_is_base64, arrival_timestamp, ingestion_timestamp)
       VALUES (@stream, @shard, @sequence, @partitionKey, @data, @dataIsBase64, @arrivalTimestamp, @ingestionTimestamp)
       ON CONFLICT (stream, shard, sequence) DO NOTHING`,
    );
    this.save = this.db.prepare(
      `INSERT INTO ${CHECKPOINT_TABLE} (source, part, last, since, finished, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, part) DO UPDATE SET last = excluded.last, since = excluded.since, finished = excluded.finished, updated_at = excluded.updated_at`,
    );
    this.writeAll = this.db.transaction((source: string, part: string, rows: CapturedRow[], c: Checkpoint) => {
      for (const r of rows) this.insert.run({ ...r, dataIsBase64: r.dataIsBase64 ? 1 : 0 });
      this.save.run(source, part, c.last, c.since, c.finished ? 1 : 0, new Date().toISOString());
    });
  }

  checkpoints(source: string): Map<string, Checkpoint> {
    const rows = this.db.prepare(`SELECT part, last, since, finished FROM ${CHECKPOINT_TABLE} WHERE source = ?`).all(source) as {
      part: string;
      last: string | null;
      since: string | null;
      finished: number;
    }[];
    return new Map(rows.map((r) => [r.part, { last: r.last, since: r.since, finished: r.finished === 1 }]));
  }

  write(source: string, part: string, rows: CapturedRow[], checkpoint: Checkpoint): void {
    this.writeAll(source, part, rows, checkpoint);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface NdjsonCheckpointFile {
  version: 1;
  /** The NDJSON file's length when this checkpoint was written: anything past it was written after, and is cut on resume. */
  bytes: number;
  parts: Record<string, Record<string, Checkpoint>>;
}

/** The checkpoint of an NDJSON capture: beside it, `FILE.checkpoint.json`. */
export const ndjsonCheckpointPath = (file: string) => `${file}.checkpoint.json`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One writer per NDJSON file (two would interleave lines and checkpoints): `FILE.lock` holds the writer's
 * pid, made with O_EXCL; a lock whose process has ended is taken over. (A SQLite capture needs none: its
 * rows are unique by stream, shard and sequence, and each page is one transaction.)
 */
function lockNdjson(file: string): () => void {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new SluiceError(
          'conflict',
          `${file} is being captured into by another Sluice process (pid ${pid}): stop that capture first, or choose another file`,
        );
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new SluiceError('conflict', `Could not take the lock ${lock}`);
}

class NdjsonSink implements CaptureSink {
  readonly format = 'ndjson' as const;
  private readonly fd: number;
  private state: NdjsonCheckpointFile;
  private readonly checkpointFile: string;
  private readonly unlock: () => void;

  constructor(readonly file: string) {
    this.checkpointFile = ndjsonCheckpointPath(file);
    this.unlock = lockNdjson(file);
    try {
      this.state = this.readCheckpoint();
      this.fd = fs.openSync(file, 'a');
    } catch (err) {
      this.unlock();
      throw err;
    }
  }

  private readCheckpoint(): NdjsonCheckpointFile {
    const file = this.file;
    let state: NdjsonCheckpointFile;
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (fs.existsSync(this.checkpointFile)) {
      try {
        state = JSON.parse(fs.readFileSync(this.checkpointFile, 'utf8')) as NdjsonCheckpointFile;
      } catch (err) {
        throw new SluiceError(
          'invalid-input',
          `The checkpoint ${this.checkpointFile} cannot be read (${err instanceof Error ? err.message : String(err)}): delete it and ${file} to capture again from the start`,
        );
      }
      if (state.version !== 1 || typeof state.bytes !== 'number')
        throw new SluiceError('invalid-input', `The checkpoint ${this.checkpointFile} is not one Sluice wrote`);
      if (size < state.bytes) {
        throw new SluiceError(
          'invalid-input',
          `${file} is shorter (${size} bytes) than its checkpoint says (${state.bytes}): it was changed since. Delete it and its checkpoint to capture again.`,
        );
      }
    } else {
      if (size > 0)
        throw new SluiceError(
          'invalid-input',
          `${file} already exists and has no checkpoint beside it (${path.basename(this.checkpointFile)}): choose a new file`,
        );
      state = { version: 1, bytes: 0, parts: {} };
    }
    // Lines written after the last checkpoint (a crash between the two writes) are cut: they will be read again.
    if (size > state.bytes) fs.truncateSync(file, state.bytes);
    return state;
  }

  checkpoints(source: string): Map<string, Checkpoint> {
    return new Map(Object.entries(this.state.parts[source] ?? {}));
  }

  write(source: string, part: string, rows: CapturedRow[], checkpoint: Checkpoint): void {
    const text = rows
      .map(
        (r) =>
          JSON.stringify({
            stream: r.stream,
            shard: r.shard,
            sequence: r.sequence,
            partition_key: r.partitionKey,
            data: r.data,
            data_is_base64: r.dataIsBase64,
            arrival_timestamp: r.arrivalTimestamp,
            ingestion_timestamp: r.ingestionTimestamp,
          }) + '\n',
      )
      .join('');
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > 0) {
      fs.writeSync(this.fd, bytes);
      fs.fsyncSync(this.fd);
    }
    const next: NdjsonCheckpointFile = {
      ...this.state,
      bytes: this.state.bytes + bytes.length,
      parts: { ...this.state.parts, [source]: { ...this.state.parts[source], [part]: checkpoint } },
    };
    const tmp = `${this.checkpointFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n');
    fs.renameSync(tmp, this.checkpointFile);
    this.state = next;
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    this.unlock();
  }
}
