import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { nativeBindingPath } from '../state/native-binding';

/** A small deterministic PRNG (mulberry32), so every new user gets the same demo rows. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Björn',
  'Chloé',
  'Dmitri',
  'Émile',
  'Fatima',
  'Grace',
  'Hiroshi',
  'Inès',
  'José',
  'Kwame',
  'Léa',
  'Mateo',
  'Nadia',
  'Oğuz',
  'Priya',
  'Quentin',
  'Renée',
  'Søren',
  'Tomás',
  'Ünal',
  'Wei',
  'Yara',
  'Zoë',
];
const LAST = [
  'Lovelace',
  'Øster',
  'Dubois',
  'Ivanov',
  'Zola',
  'Haddad',
  'Hopper',
  'Tanaka',
  'Moreau',
  'García',
  'Mensah',
  'Roux',
  'Fernández',
  'Khalil',
  'Yılmaz',
  'Sharma',
  'Martin',
  'Lefèvre',
  'Kierkegaard',
  'Silva',
  'Demir',
  '王',
  'Haddad',
  'Müller',
];
const CITIES = ['Berlin', 'São Paulo', 'Zürich', 'Kraków', 'Tōkyō', 'Montréal', 'Reykjavík', 'Lagos', 'Québec', null];
const PLANS = ['free', 'team', 'business', 'enterprise'];
const EVENTS = ['signed_up', 'viewed_page', 'added_to_cart', 'checked_out', 'cancelled'];

/** The demo's tables: customers, orders and events. */
const DEMO_TABLES = `
    CREATE TABLE customers (
      id INTEGER PRIMARY KEY, email TEXT NOT NULL, first_name TEXT, last_name TEXT, city TEXT,
      plan TEXT NOT NULL, lifetime_value REAL, external_id TEXT, -- past 2^53: kept as text
      attributes TEXT, -- JSON
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL
    );
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), status TEXT NOT NULL,
      total_cents INTEGER NOT NULL, currency TEXT NOT NULL, items TEXT NOT NULL, -- JSON array
      placed_at TEXT NOT NULL, shipped_at TEXT
    );
    CREATE TABLE events (
      id TEXT PRIMARY KEY, customer_id INTEGER, name TEXT NOT NULL, properties TEXT, occurred_at TEXT NOT NULL
    );
  `;

/**
 * The demo database a first start opens: customers, orders and events, a few thousand rows with the
 * awkward parts real data has — nulls, unicode, integers past 2^53 (kept as text), JSON in text
 * columns and timestamps.
 */
export function createDemoDatabase(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  const db = new BetterSqlite3(tmp, { nativeBinding: nativeBindingPath() });
  const rand = prng(20261122);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const day = (offset: number) => new Date(Date.UTC(2026, 0, 1) + offset * 3_600_000).toISOString();
  db.exec(DEMO_TABLES);
  const customer = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const order = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const event = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= 2000; id++) {
      const first = rand() < 0.03 ? null : pick(FIRST);
      const last = pick(LAST);
      const external = (9007199254740993n + BigInt(id) * 7919n).toString();
      const attributes =
        rand() < 0.1 ? null : JSON.stringify({ newsletter: rand() < 0.5, tags: rand() < 0.3 ? ['vip'] : [], score: Math.round(rand() * 1000) / 10 });
      const created = Math.floor(rand() * 6000);
      customer.run(
        id,
        `${(first ?? 'user').toLowerCase()}.${id}@example.com`,
        first,
        last,
        pick(CITIES),
        pick(PLANS),
        rand() < 0.05 ? null : Math.round(rand() * 500000) / 100,
        external,
        attributes,
        day(created),
        day(created + Math.floor(rand() * 500)),
      );
    }
    for (let id = 1; id <= 3000; id++) {
      const items = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
        sku: `SKU-${Math.floor(rand() * 900) + 100}`,
        qty: 1 + Math.floor(rand() * 4),
      }));
      const placed = Math.floor(rand() * 7000);
      const shipped = rand() < 0.7 ? day(placed + 24 + Math.floor(rand() * 72)) : null;
      order.run(
        id,
        1 + Math.floor(rand() * 2000),
        shipped ? 'shipped' : pick(['pending', 'paid', 'cancelled']),
        Math.floor(rand() * 100000),
        pick(['EUR', 'USD', 'JPY']),
        JSON.stringify(items),
        day(placed),
        shipped,
      );
    }
    for (let n = 1; n <= 2000; n++) {
      const id = `evt_${n.toString(36).padStart(6, '0')}`;
      event.run(
        id,
        rand() < 0.05 ? null : 1 + Math.floor(rand() * 2000),
        pick(EVENTS),
        rand() < 0.2 ? null : JSON.stringify({ page: `/p/${Math.floor(rand() * 50)}`, référent: rand() < 0.5 ? 'newsletter' : 'search' }),
        day(Math.floor(rand() * 7000)),
      );
    }
  })();
  db.close();
  fs.renameSync(tmp, file);
}
