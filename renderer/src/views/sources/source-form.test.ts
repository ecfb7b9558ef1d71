import { describe, expect, it } from 'vitest';
import { SourceSchema, type Source } from '../../../../shared/config/source';
import { emptySourceForm, fromSource, passwordStep, pathLabel, pathPlaceholder, portProblem, toSource, whereOf, type SourceForm } from './source-form';

const sources: Source[] = [
  SourceSchema.parse({ kind: 'sqlite', name: 's', path: '/data/app.db' }),
  SourceSchema.parse({ kind: 'csv', name: 'c', path: '/data/people.csv', delimiter: ';' }),
  SourceSchema.parse({ kind: 'ndjson', name: 'n', path: '/data/events.ndjson' }),
  SourceSchema.parse({ kind: 'postgres', name: 'p', host: 'db', port: 5433, database: 'shop', user: 'analyst', ssl: true, password: { keychain: 'pg' } }),
  SourceSchema.parse({ kind: 'postgres', name: 'p2', host: 'db', port: 5432, database: 'shop', user: 'analyst', ssl: false }),
  SourceSchema.parse({ kind: 'duckdb', name: 'd', database: '/data/lake.duckdb' }),
  SourceSchema.parse({ kind: 'duckdb', name: 'd2' }),
];

describe('the source form', () => {
  it.each(sources.map((s) => [s.kind, s] as const))('gives back the %s source it was opened with', (_, source) => {
    expect(SourceSchema.parse(toSource(fromSource(source)))).toEqual(source);
  });

  it('turns a typed \\t into a tab delimiter and a typed port into a number', () => {
    expect(toSource({ ...emptySourceForm('csv'), name: ' c ', path: ' /x.tsv ', delimiter: '\\t' })).toEqual({
      kind: 'csv',
      name: 'c',
      path: '/x.tsv',
      delimiter: '\t',
    });
    expect(
      toSource({ ...emptySourceForm('postgres'), name: 'p', database: 'd', user: 'u', port: '6543', password: { mode: 'env', name: ' PGPASS ', value: '' } }),
    ).toMatchObject({ port: 6543, password: { env: 'PGPASS' } });
  });

  it('refuses a port typed with separators or decimals in words, and never reads it as another port', () => {
    const pg = { ...emptySourceForm('postgres'), name: 'p', database: 'd', user: 'u' };
    const hint = 'Port: a whole number from 1 to 65535, without separators';
    for (const port of ['33,747', '5432.5', '0', '65536', '', 'abc']) expect(portProblem({ ...pg, port })).toBe(hint);
    expect(SourceSchema.safeParse(toSource({ ...pg, port: '33,747' })).success).toBe(false);
    expect(portProblem({ ...pg, port: ' 33747 ' })).toBeNull();
    expect(toSource({ ...pg, port: ' 33747 ' })).toMatchObject({ port: 33747 });
    // Only a PostgreSQL source has a port.
    expect(portProblem({ ...emptySourceForm('csv'), port: '33,747' })).toBeNull();
  });

  it('says where a source is, without its password', () => {
    expect(sources.map(whereOf)).toEqual([
      '/data/app.db',
      '/data/people.csv',
      '/data/events.ndjson',
      'analyst@db:5433/shop · TLS',
      'analyst@db:5432/shop',
      '/data/lake.duckdb',
      'DuckDB in memory',
    ]);
  });
});

describe('the password before a test or save', () => {
  const pg = (password: SourceForm['password']) => ({ ...emptySourceForm('postgres'), password });
  const typed = (name: string, value: string) => ({ mode: 'new' as const, name, value });

  it('leaves anything but a typed PostgreSQL password alone', () => {
    expect(passwordStep(emptySourceForm('csv'), typed('x', 'y'), [], [])).toEqual({ step: 'keep' });
    const env = { mode: 'env' as const, name: 'PGPASS', value: '' };
    expect(passwordStep(pg(env), env, [], [])).toEqual({ step: 'keep' });
  });

  it('uses a saved secret of the name when none is typed, or goes without one', () => {
    expect(passwordStep(pg(typed('', '')), typed(' pg/password ', ''), ['pg/password'], [])).toEqual({ step: 'use-saved', name: 'pg/password' });
    expect(passwordStep(pg(typed('', '')), typed('pg/password', ''), [], [])).toEqual({ step: 'none' });
  });

  it('refuses a name another secret has, unless this form saved it', () => {
    const field = typed('pg/password', 's3cret');
    expect(passwordStep(pg(field), field, ['pg/password'], [])).toEqual({ step: 'taken', name: 'pg/password' });
    expect(passwordStep(pg(field), field, ['pg/password'], ['pg/password'])).toEqual({ step: 'save', name: 'pg/password', value: 's3cret' });
  });

  it('names the example path by type', () => {
    expect(pathPlaceholder('sqlite')).toBe('/home/you/data/shop.sqlite');
    expect(pathPlaceholder('csv')).toBe('/home/you/data/export.csv');
    expect(pathLabel('duckdb')).toMatch(/\.duckdb database/);
    expect(pathLabel('ndjson')).toBe('Full path of the file');
  });
});
