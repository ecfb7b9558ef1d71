import { describe, expect, it } from 'vitest';
import { numberColumns } from './number-columns';

const cols = (...types: string[]) => types.map((type, i) => ({ name: `c${i}`, type }));
const holding = (kind: Parameters<typeof numberColumns>[0], ...types: string[]) =>
  numberColumns(kind, cols(...types)).map((name) => types[Number(name.slice(1))]);

describe('numberColumns', () => {
  it('SQLite: INTEGER and NUMERIC affinity, from the declared type; an expression (no declared type) cannot tell', () => {
    expect(holding('sqlite', 'integer', 'bigint', 'unsigned big int', 'int8', 'numeric', 'decimal(10,2)', 'boolean', 'datetime', 'number')).toEqual([
      'integer',
      'bigint',
      'unsigned big int',
      'int8',
      'numeric',
      'decimal(10,2)',
      'boolean',
      'datetime',
      'number',
    ]);
    expect(holding('sqlite', 'text', 'varchar(20)', 'clob', 'blob', 'real', 'double', 'float', 'any', '')).toEqual([]);
  });

  it('PostgreSQL and DuckDB: their integer types (numeric and DECIMAL are always their exact text)', () => {
    expect(holding('postgres', 'bigint', 'integer', 'smallint', 'numeric', 'text', 'double precision', 'oid 1016')).toEqual(['bigint', 'integer', 'smallint']);
    expect(holding('duckdb', 'bigint', 'hugeint', 'ubigint', 'uhugeint', 'bignum', 'integer', 'decimal(38,0)', 'varchar', 'bigint[]', 'interval')).toEqual([
      'bigint',
      'hugeint',
      'ubigint',
      'uhugeint',
      'bignum',
      'integer',
    ]);
  });

  it('NDJSON: columns whose first lines hold numbers; CSV: none (every value is text)', () => {
    expect(holding('ndjson', 'integer', 'number', 'text', 'json', 'null', 'boolean')).toEqual(['integer', 'number']);
    expect(holding('csv', 'integer', 'text')).toEqual([]);
  });
});
