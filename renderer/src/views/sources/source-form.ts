import type { Source, SourceKind } from '../../../../shared/config/source';
import { wholeNumber, wholeNumberProblem } from '../../components/whole-number';
import type { SecretField } from '../destinations/wizard-form';

/** The Sources form as typed: every field a string or a flag, turned into a Source by `toSource`. */
export interface SourceForm {
  kind: SourceKind;
  name: string;
  path: string;
  delimiter: string;
  host: string;
  port: string;
  database: string;
  user: string;
  password: SecretField;
  ssl: boolean;
}

export const SOURCE_KINDS: { kind: SourceKind; label: string; about: string }[] = [
  { kind: 'sqlite', label: 'SQLite file', about: 'A .sqlite or .db file; models are SQL queries' },
  { kind: 'csv', label: 'CSV file', about: 'The whole file is the model; the header names the columns' },
  { kind: 'ndjson', label: 'NDJSON file', about: 'One JSON object per line; the whole file is the model' },
  { kind: 'postgres', label: 'PostgreSQL', about: 'A database server; models are SQL queries' },
  { kind: 'duckdb', label: 'DuckDB', about: 'Parquet, CSV and JSON files (or a .duckdb file); models are DuckDB SQL' },
];

export const kindLabel = (kind: SourceKind) => SOURCE_KINDS.find((k) => k.kind === kind)!.label;

export function emptySourceForm(kind: SourceKind = 'csv'): SourceForm {
  return {
    kind,
    name: '',
    path: '',
    delimiter: ',',
    host: 'localhost',
    port: '5432',
    database: '',
    user: '',
    password: { mode: 'new', name: '', value: '' },
    ssl: false,
  };
}

export function fromSource(s: Source): SourceForm {
  const form = { ...emptySourceForm(s.kind), name: s.name };
  switch (s.kind) {
    case 'postgres':
      return {
        ...form,
        host: s.host,
        port: String(s.port),
        database: s.database,
        user: s.user,
        ssl: s.ssl,
        password: s.password
          ? 'keychain' in s.password
            ? { mode: 'existing', name: s.password.keychain, value: '' }
            : { mode: 'env', name: s.password.env, value: '' }
          : { mode: 'new', name: '', value: '' },
      };
    case 'csv':
      return { ...form, path: s.path, delimiter: s.delimiter };
    case 'duckdb':
      return { ...form, path: s.database ?? '' };
    default:
      return { ...form, path: s.path };
  }
}

/** The source the form describes (validated by the caller against SourceSchema). */
export function toSource(f: SourceForm): unknown {
  const name = f.name.trim();
  switch (f.kind) {
    case 'postgres': {
      const password = f.password.name.trim()
        ? f.password.mode === 'env'
          ? { env: f.password.name.trim() }
          : { keychain: f.password.name.trim() }
        : undefined;
      return {
        kind: 'postgres',
        name,
        host: f.host.trim(),
        port: wholeNumber(f.port),
        database: f.database.trim(),
        user: f.user.trim(),
        ssl: f.ssl,
        ...(password ? { password } : {}),
      };
    }
    case 'csv':
      return { kind: 'csv', name, path: f.path.trim(), delimiter: f.delimiter === '\\t' ? '\t' : f.delimiter };
    case 'duckdb':
      return { kind: 'duckdb', name, ...(f.path.trim() ? { database: f.path.trim() } : {}) };
    default:
      return { kind: f.kind, name, path: f.path.trim() };
  }
}

/** Why the Port as typed is refused (`33,747`, `5432.0`, `0`), or null: only a PostgreSQL source has one. */
export function portProblem(f: SourceForm): string | null {
  return f.kind === 'postgres' ? wholeNumberProblem('Port', f.port, 1, 65535) : null;
}

export function whereOf(s: Source): string {
  if (s.kind === 'duckdb') return s.database ?? 'DuckDB in memory';
  return s.kind === 'postgres' ? `${s.user}@${s.host}:${s.port}/${s.database}${s.ssl ? ' · TLS' : ''}` : s.path;
}

/** What the Path field asks for, by source type. */
export function pathLabel(kind: SourceKind): string {
  return kind === 'duckdb' ? 'Full path of a .duckdb database (optional: leave empty to read Parquet, CSV or JSON files by path)' : 'Full path of the file';
}

/** An example path, by source type. */
export function pathPlaceholder(kind: SourceKind): string {
  if (kind === 'sqlite') return '/home/you/data/shop.sqlite';
  if (kind === 'duckdb') return '/home/you/data/warehouse.duckdb';
  return `/home/you/data/export.${kind}`;
}

/**
 * What happens to the password before a test or save: nothing (not a typed PostgreSQL password), use the
 * keychain secret of that name (none typed), no password at all, refuse (the name is another secret's),
 * or save the typed value to the keychain (then refer to it by name).
 */
export type PasswordStep =
  { step: 'keep' } | { step: 'use-saved'; name: string } | { step: 'none' } | { step: 'taken'; name: string } | { step: 'save'; name: string; value: string };

export function passwordStep(form: SourceForm, field: SecretField, saved: readonly string[], createdHere: readonly string[]): PasswordStep {
  if (form.kind !== 'postgres' || form.password.mode !== 'new') return { step: 'keep' };
  const name = field.name.trim();
  if (!field.value) return saved.includes(name) ? { step: 'use-saved', name } : { step: 'none' };
  if (saved.includes(name) && !createdHere.includes(name)) return { step: 'taken', name };
  return { step: 'save', name, value: field.value };
}
