import { describe, expect, it } from 'vitest';
import { asSubquery } from './model-query';

describe('asSubquery', () => {
  it('blanks trailing semicolons, keeping every other character where it was', () => {
    expect(asSubquery('SELECT id FROM t;')).toBe('SELECT id FROM t \n');
    expect(asSubquery('SELECT id FROM t ; ;\n\n')).toBe('SELECT id FROM t    \n\n\n');
    expect(asSubquery('SELECT id FROM t')).toBe('SELECT id FROM t\n');
  });

  it('ends with a line break, so a line comment at the end cannot swallow what follows', () => {
    expect(asSubquery('SELECT id FROM t -- all rows')).toBe('SELECT id FROM t -- all rows\n');
    expect(asSubquery('SELECT id FROM t; -- all rows;')).toBe('SELECT id FROM t  -- all rows;\n');
    expect(asSubquery('SELECT id FROM t; /* done; */')).toBe('SELECT id FROM t  /* done; */\n');
  });

  it('leaves semicolons in strings, quoted names and dollar quotes, and between statements', () => {
    expect(asSubquery("SELECT ';' AS s")).toBe("SELECT ';' AS s\n");
    expect(asSubquery("SELECT 'it''s;'")).toBe("SELECT 'it''s;'\n");
    expect(asSubquery('SELECT 1 AS ";"')).toBe('SELECT 1 AS ";"\n');
    expect(asSubquery('SELECT $x$;$x$')).toBe('SELECT $x$;$x$\n');
    expect(asSubquery('SELECT $$a;$$;')).toBe('SELECT $$a;$$ \n');
    expect(asSubquery('SELECT 1; SELECT 2;')).toBe('SELECT 1; SELECT 2 \n');
    expect(asSubquery('SELECT 1 AS [a;]')).toBe('SELECT 1 AS [a;]\n');
    // An E'' string's backslash escapes its quote; a bracket is not a quote (a list or a subscript).
    expect(asSubquery("SELECT E'O\\'Brien' AS name, ';' AS sep")).toBe("SELECT E'O\\'Brien' AS name, ';' AS sep\n");
    expect(asSubquery("SELECT e'\\\\', ';';")).toBe("SELECT e'\\\\', ';' \n");
    expect(asSubquery("SELECT [']'] AS l, ';' AS s")).toBe("SELECT [']'] AS l, ';' AS s\n");
    expect(asSubquery("SELECT 'x\\'; -- not E")).toBe("SELECT 'x\\'  -- not E\n");
  });

  it('an unterminated string or comment is left for the database to report', () => {
    expect(asSubquery("SELECT 'a;")).toBe("SELECT 'a;\n");
    expect(asSubquery('SELECT 1 /* a;')).toBe('SELECT 1 /* a;\n');
  });
});
