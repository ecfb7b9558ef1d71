import type { Database } from 'better-sqlite3';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/settings';

export class SettingsStore {
  constructor(private readonly db: Database) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    // A value an older or newer Sluice wrote that no longer validates falls back to its default.
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const [key, value] of Object.entries(stored)) {
      const field = SettingsSchema.shape[key as keyof Settings];
      if (field && field.safeParse(value).success) merged[key] = value;
    }
    return SettingsSchema.parse(merged);
  }

  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.parse({ ...this.get(), ...patch });
    const upsert = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const key of Object.keys(patch) as (keyof Settings)[]) upsert.run(key, JSON.stringify(next[key]));
    })();
    return next;
  }

  workspaceId(): string {
    return (this.db.prepare('SELECT id FROM workspace LIMIT 1').get() as { id: string }).id;
  }
}
