import type { Database } from 'better-sqlite3';

/**
 * Numbered migrations (Bruno style). Each runs in its own transaction together with the row that
 * records it, so a failed migration leaves the database exactly as it was. Never edit a released
 * migration: add the next number (a module `NNN-name.ts` here, listed in `index.ts`).
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
