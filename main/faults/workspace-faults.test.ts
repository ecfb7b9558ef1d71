import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths';
import { DATABASE_FILE, NewerDatabaseError, openDatabase } from '../state/database';
import { MIGRATIONS } from '../state/migrations/index';
import { describeSqliteError } from '../state/sqlite-errors';
import { tempWorkspace } from '../testing/temp';

// What a person sees when the workspace cannot be used as it is: a newer Sluice's database, a
// read-only file or folder, a folder where the file should be, a truncated (empty) file, and the
// SQLite errors of a full disk, a held lock, a damaged file.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function workspace(): string {
  const ws = tempWorkspace();
  cleanups.push(ws.cleanup);
  return ws.dir;
}

const KNOWN = MIGRATIONS.length;

/** Every file in the folder with its bytes. */
function snapshotFolder(dir: string): Map<string, Buffer> {
  return new Map(
    fs
      .readdirSync(dir)
      .filter((n) => fs.statSync(path.join(dir, n)).isFile())
      .map((n) => [n, fs.readFileSync(path.join(dir, n))]),
  );
}

/**
 * A workspace last written by a newer Sluice: its schema_migrations holds a version this build does
 * not know. `journal` is the journal mode that Sluice left it in.
 */
function newerWorkspace(journal: 'delete' | 'wal', headerVersion: 'newer' | 'old'): { dir: string; future: number } {
  const dir = workspace();
  openDatabase(dir).close();
  const future = KNOWN + 3;
  const db = new BetterSqlite3(path.join(dir, DATABASE_FILE));
  db.prepare("INSERT INTO schema_migrations VALUES (?, 'from the future', 'x')").run(future);
  if (headerVersion === 'newer') db.pragma(`user_version = ${future}`);
  db.pragma(`journal_mode = ${journal}`);
  db.close();
  return { dir, future };
}

describe('a workspace written by a newer Sluice', () => {
  for (const [journal, header] of [
    ['delete', 'newer'],
    ['delete', 'old'],
    ['wal', 'newer'],
    ['wal', 'old'],
  ] as const) {
    it(`is refused and left byte for byte as it was (journal mode ${journal}, version ${header === 'newer' ? 'in the header too' : 'only in schema_migrations'})`, () => {
      const { dir, future } = newerWorkspace(journal, header);
      const before = snapshotFolder(dir);
      expect(() => openDatabase(dir)).toThrow(NewerDatabaseError);
      expect(() => openDatabase(dir)).toThrow(`schema version ${future}; this Sluice knows up to ${KNOWN}`);
      const after = snapshotFolder(dir);
      // Same files (no -wal, -shm or -journal left behind), same bytes.
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      expect([...after.keys()]).toEqual([DATABASE_FILE]);
      expect(after.get(DATABASE_FILE)!.equals(before.get(DATABASE_FILE)!)).toBe(true);
    });
  }
});

describe('a workspace Sluice cannot write to', () => {
  it('names the file when sluice.db is a folder, and leaves the folder alone', () => {
    const dir = workspace();
    const file = path.join(dir, DATABASE_FILE);
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'keep.txt'), 'mine');
    expect(() => openDatabase(dir)).toThrow(`Sluice cannot write to ${file}: it is a folder, not a database file. Move or rename that folder`);
    expect(fs.readFileSync(path.join(file, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('says the workspace folder cannot be created when a file stands in its way', () => {
    const dir = workspace();
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    const ws = path.join(blocker, 'ws');
    expect(() => openDatabase(ws)).toThrow(`The workspace folder ${ws} does not exist and Sluice cannot create it: ${blocker} is a file, not a folder.`);
    expect(fs.readFileSync(blocker, 'utf8')).toBe('x');
  });

  it('says the workspace is a file, not a folder, when --workspace names a file, and leaves the file alone', () => {
    const file = path.join(workspace(), 'people.csv');
    fs.writeFileSync(file, 'id\n1\n');
    expect(() => openDatabase(file)).toThrow(
      `The workspace ${file} is a file, not a folder (Sluice keeps its sluice.db in a workspace folder): start Sluice with another workspace`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('id\n1\n');
  });

  it.runIf(fs.existsSync('/proc/self'))('says a folder cannot be made where the file system allows none (/proc), instead of spinning', () => {
    expect(() => openDatabase('/proc/self/sluice-ws')).toThrow(
      'The workspace folder /proc/self/sluice-ws does not exist and Sluice cannot create it: the file system there does not allow new folders.',
    );
  });

  it('creates a missing workspace several folders deep', () => {
    const ws = path.join(workspace(), 'a', 'b', 'c');
    openDatabase(ws).close();
    expect(fs.existsSync(path.join(ws, 'sluice.db'))).toBe(true);
  });

  // Root may write anything, so these run `sluice info` as the unprivileged user "nobody".
  const NOBODY = 65534;
  const asRoot = process.getuid?.() === 0;
  /** Whether "nobody" can reach this checkout at all (a clone into a 0700 folder, e.g. `mktemp -d`, it cannot). */
  const nobodyReachesCheckout = (): boolean => {
    if (!asRoot) return true;
    for (let dir = packageRoot(); ; dir = path.dirname(dir)) {
      if ((fs.statSync(dir).mode & 0o001) === 0) return false;
      if (path.dirname(dir) === dir) return true;
    }
  };
  function sluiceInfoAsNobody(ws: string): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(packageRoot(), 'bin', 'sluice.cjs'), '--workspace', ws, 'info'], {
        ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
        env: { ...process.env, HOME: ws, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('exit', (status) => resolve({ status, stderr }));
    });
  }
  /** A workspace with a database in it, its folder readable by everyone (mkdtemp makes it 0700). */
  function existingWorkspace(): { dir: string; file: string } {
    const dir = workspace();
    openDatabase(dir).close();
    fs.chmodSync(dir, 0o755);
    return { dir, file: path.join(dir, DATABASE_FILE) };
  }

  it.runIf(nobodyReachesCheckout())(
    'says the file is read-only, naming it, and what to do',
    async () => {
      const { dir, file } = existingWorkspace();
      if (asRoot)
        fs.chownSync(dir, NOBODY, NOBODY); // the folder is writable, the file (root's, 0644) is not
      else fs.chmodSync(file, 0o444);
      const before = fs.readFileSync(file);
      const { status, stderr } = await sluiceInfoAsNobody(dir);
      expect(status).not.toBe(0);
      expect(stderr).toContain(`sluice: Sluice cannot write to ${file}: read-only: the file is read-only for this user. Give your user write permission`);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    },
    30_000,
  );

  it.runIf(nobodyReachesCheckout())(
    'says the folder is read-only when SQLite could not create its -wal and -shm files there',
    async () => {
      const { dir, file } = existingWorkspace();
      fs.chmodSync(file, 0o666); // the file is writable, the folder (root's, 0755) is not
      if (!asRoot) fs.chmodSync(dir, 0o555);
      const { status, stderr } = await sluiceInfoAsNobody(dir);
      expect(status).not.toBe(0);
      expect(stderr).toContain(
        `sluice: Sluice cannot write to ${file}: read-only: its folder ${dir} is read-only for this user (SQLite creates the database's -wal and -shm files there). Give your user write permission`,
      );
      expect(fs.readdirSync(dir)).toEqual([DATABASE_FILE]);
    },
    30_000,
  );
});

describe('an empty sluice.db', () => {
  it('is refused, saying it is empty and how to start afresh, and is left as it is', () => {
    const dir = workspace();
    const file = path.join(dir, DATABASE_FILE);
    fs.writeFileSync(file, '');
    expect(() => openDatabase(dir)).toThrow(`${file} is empty (0 bytes): it was probably truncated`);
    expect(() => openDatabase(dir)).toThrow('To start afresh, move it aside');
    expect(fs.statSync(file).size).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([DATABASE_FILE]);
  });

  it('is not the same as no file: a brand-new workspace is set up', () => {
    const dir = workspace();
    const db = openDatabase(path.join(dir, 'new'));
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: KNOWN });
    db.close();
  });

  it('a file that is not SQLite is refused, not overwritten', () => {
    const dir = workspace();
    const file = path.join(dir, DATABASE_FILE);
    fs.writeFileSync(file, 'these are my notes, not a database\n'.repeat(10));
    const before = fs.readFileSync(file);
    expect(() => openDatabase(dir)).toThrow(`${file} is not a SQLite database`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('describeSqliteError', () => {
  function database(): { db: BetterSqlite3.Database; file: string } {
    const dir = workspace();
    const db = openDatabase(dir);
    cleanups.unshift(() => db.open && db.close());
    return { db, file: path.join(dir, DATABASE_FILE) };
  }
  function thrown(fn: () => unknown): unknown {
    try {
      fn();
    } catch (err) {
      return err;
    }
    throw new Error('expected an error');
  }

  it('a full disk (SQLITE_FULL) says the disk holding the workspace is full, naming the file', () => {
    const { db, file } = database();
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 1}`);
    const err = thrown(() => db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('big', JSON.stringify('x'.repeat(200_000))));
    expect(describeSqliteError(err, file)).toMatch(
      new RegExp(
        `^The disk holding the workspace is full: Sluice could not write to ${escape(file)}\\. Free some space on that disk, then try again\\. \\(SQLITE_FULL: `,
      ),
    );
  });

  it("a held write lock (SQLITE_BUSY) says another process holds the workspace database's write lock", () => {
    const { db, file } = database();
    const other = new BetterSqlite3(file);
    cleanups.unshift(() => other.close());
    other.pragma('busy_timeout = 0');
    db.exec('BEGIN IMMEDIATE');
    const err = thrown(() => other.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', '1'));
    db.exec('ROLLBACK');
    expect(describeSqliteError(err, file)).toMatch(
      new RegExp(`^Another process holds the workspace database's write lock \\(${escape(file)}\\) and did not release it within 5 s\\. .*\\(SQLITE_BUSY: `),
    );
  });

  it('the workspace connection waits for a write lock instead of failing at once', () => {
    const { db } = database();
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('a read-only database (SQLITE_READONLY) says Sluice cannot write to the file', () => {
    const { db, file } = database();
    db.close();
    const readonly = new BetterSqlite3(file, { readonly: true });
    cleanups.unshift(() => readonly.close());
    const err = thrown(() => readonly.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', '1'));
    expect(describeSqliteError(err, file)).toMatch(
      new RegExp(`^Sluice cannot write to ${escape(file)}: read-only.*Give your user write permission.*\\(SQLITE_READONLY: `),
    );
  });

  it('a damaged file (SQLITE_CORRUPT) says so and how to start afresh; opening the workspace says the same', () => {
    const { db, file } = database();
    db.exec(
      `CREATE TABLE filler (x TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO filler SELECT hex(randomblob(500)) FROM n`,
    );
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    // Garble every page but the first (the header and the schema): the tables' b-trees.
    const bytes = fs.readFileSync(file);
    for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    fs.writeFileSync(file, bytes);
    const damaged = new BetterSqlite3(file);
    cleanups.unshift(() => damaged.close());
    const err = thrown(() => damaged.prepare('SELECT COUNT(*) FROM filler WHERE x LIKE ?').get('%z%'));
    expect(describeSqliteError(err, file)).toMatch(
      new RegExp(`^${escape(file)} is damaged and Sluice cannot use it safely\\..*move sluice\\.db aside.*\\(SQLITE_CORRUPT`),
    );
    damaged.close();
    expect(() => openDatabase(path.dirname(file))).toThrow(`${file} is damaged and Sluice cannot use it safely.`);
  });

  it('a disk error (SQLITE_IOERR_*) names the file and the disk', () => {
    const err = new BetterSqlite3.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE');
    expect(describeSqliteError(err, '/x/sluice.db')).toMatch(
      /^Reading or writing \/x\/sluice\.db failed at the disk: .*\(SQLITE_IOERR_WRITE: disk I\/O error\)$/,
    );
  });

  it('leaves other errors to the caller', () => {
    const { db, file } = database();
    expect(
      describeSqliteError(
        thrown(() => db.exec('SELECT * FROM no_such_table')),
        file,
      ),
    ).toBeUndefined();
    expect(describeSqliteError(new Error('plain'), file)).toBeUndefined();
    expect(describeSqliteError('SQLITE_BUSY', file)).toBeUndefined();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
