import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/** A real SQLite file to use as a model's source in tests: table `people(id, name, score, tags)`. */
export function createPeopleDb(dir: string, count: number, file = 'people.sqlite'): { file: string; db: Database } {
  const full = path.join(dir, file);
  const db = new BetterSqlite3(full);
  db.exec('CREATE TABLE people (id INTEGER, name TEXT, score REAL, tags TEXT)');
  const insert = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= count; i++) insert.run(i, `person ${i}`, i / 10, JSON.stringify({ n: i }));
  })();
  return { file: full, db };
}
