import { z } from 'zod';
import { NameSchema, SecretRefSchema } from './names';

/** Where rows come from. Files are read where they are; nothing is copied. */
export const SourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), name: NameSchema, path: z.string().min(1, 'The SQLite file path is required') }).strict(),
  z
    .object({
      kind: z.literal('csv'),
      name: NameSchema,
      path: z.string().min(1, 'The CSV file path is required'),
      delimiter: z
        .string()
        .length(1, 'A delimiter is one character, like ";" or a tab (in YAML, "\\t")')
        .refine((d) => !['"', '\n', '\r'].includes(d), 'A delimiter cannot be a double quote or a line break: those quote fields and end rows')
        .default(','),
    })
    .strict(),
  z.object({ kind: z.literal('ndjson'), name: NameSchema, path: z.string().min(1, 'The NDJSON file path is required') }).strict(),
  z
    .object({
      kind: z.literal('duckdb'),
      name: NameSchema,
      /** A DuckDB database file, opened read-only; absent: DuckDB in memory (models read Parquet/CSV/JSON files by path). */
      database: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('postgres'),
      name: NameSchema,
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(5432),
      database: z.string().min(1),
      user: z.string().min(1),
      password: SecretRefSchema.optional(),
      ssl: z.boolean().default(false),
    })
    .strict(),
]);
export type Source = z.infer<typeof SourceSchema>;
export type SourceKind = Source['kind'];

/** Sources whose models are SQL queries (the others are read as whole files). */
export const isSqlSource = (kind: SourceKind): boolean => kind === 'sqlite' || kind === 'postgres' || kind === 'duckdb';

/** What a model's row numbers count: a file's lines (CSV, whose header is line 1, and NDJSON), or a query's rows. */
export type RowUnit = 'row' | 'line';
export const rowUnitOf = (kind: SourceKind): RowUnit => (isSqlSource(kind) ? 'row' : 'line');
/** "Row 12" or "Line 12": where a row is, in its model's words. */
export const rowPlace = (unit: RowUnit, n: number): string => `${unit === 'line' ? 'Line' : 'Row'} ${n}`;

const SQL_LABELS: Partial<Record<SourceKind, string>> = { sqlite: 'SQLite', postgres: 'PostgreSQL', duckdb: 'DuckDB' };
/** "SQLite", "PostgreSQL", "DuckDB": a SQL source's name in a sentence. */
export const sqlSourceLabel = (kind: SourceKind): string => SQL_LABELS[kind] ?? kind;

/** A model: a query (SQL sources) or the whole file, plus the columns that identify a row. */
export const ModelSchema = z
  .object({
    name: NameSchema,
    source: NameSchema,
    /** SQL for sqlite, postgres and duckdb sources (for duckdb also a bare file path); absent for a whole CSV/NDJSON file. */
    query: z.string().optional(),
    primaryKey: z.array(z.string().min(1)).min(1, 'A model needs at least one primary-key column'),
    /**
     * Where a sync of this model finds what changed. `local` (the default): every row is read into
     * Sluice and compared with the snapshot in the workspace. `in-database` (PostgreSQL models only):
     * the snapshot (key + fingerprint) lives in the source, in the schema `sluice_state`, and the
     * diff runs there; only added, changed and removed rows leave the database.
     */
    diff: z.enum(['local', 'in-database']).optional(),
  })
  .strict();
export type Model = z.infer<typeof ModelSchema>;

export const ColumnSchema = z.object({ name: z.string(), type: z.string() });
export type Column = z.infer<typeof ColumnSchema>;

/** A row as Sluice carries it: JSON-safe values (integers past 2^53 become strings). */
export type RowValue = string | number | boolean | null | RowValue[] | { [key: string]: RowValue };
export type Row = Record<string, RowValue>;
export const RowSchema = z.record(z.string(), z.json());

export const ModelPreviewSchema = z.object({
  columns: z.array(ColumnSchema),
  rows: z.array(RowSchema),
  /** True when the model has more rows than shown. */
  truncated: z.boolean(),
});
export type ModelPreview = z.infer<typeof ModelPreviewSchema>;
