// SQL in Monaco: Monaco's own SQL grammar for highlighting, and completions of the model's source's
// tables and columns, asked of the engine (`sourceSchema`) once per source and kept for the session.
import type { SourceTable } from '../../../shared/config/source-admin';
import { fmt } from '../../../shared/format/format';
import * as monaco from './monaco-core';
import './monaco-setup';
import { sourceOf, tablesFor } from './sql-schema';
import { conf, language } from 'monaco-editor/esm/vs/languages/definitions/sql/sql.js';

export const SQL = 'sql';

const KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'JOIN',
  'LEFT JOIN',
  'INNER JOIN',
  'ON',
  'AND',
  'OR',
  'NOT',
  'GROUP BY',
  'ORDER BY',
  'HAVING',
  'LIMIT',
  'AS',
  'DISTINCT',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'IS NULL',
  'IS NOT NULL',
  'IN',
  'LIKE',
  'UNION ALL',
  'WITH',
  'COALESCE',
  'CAST',
  'COUNT',
];

/** The tables the query names (FROM / JOIN), by name and by alias. */
function tablesInQuery(text: string, tables: SourceTable[]): Map<string, SourceTable> {
  const named = new Map<string, SourceTable>();
  const pattern = /\b(?:from|join)\s+("?[\w.]+"?)(?:\s+(?:as\s+)?(?!where|join|on|left|right|inner|outer|group|order|limit|cross|natural|full)(\w+))?/gi;
  for (const m of text.matchAll(pattern)) {
    const name = m[1]!.replace(/"/g, '');
    const table = tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!table) continue;
    named.set(name.toLowerCase(), table);
    named.set(name.split('.').pop()!.toLowerCase(), table);
    if (m[2]) named.set(m[2].toLowerCase(), table);
  }
  return named;
}

let registered = false;
export function registerSql(): typeof monaco {
  if (registered) return monaco;
  registered = true;
  if (!monaco.languages.getLanguages().some((l) => l.id === SQL)) monaco.languages.register({ id: SQL });
  monaco.languages.setMonarchTokensProvider(SQL, language);
  monaco.languages.setLanguageConfiguration(SQL, conf);
  monaco.languages.registerCompletionItemProvider(SQL, {
    triggerCharacters: ['.'],
    async provideCompletionItems(model, position) {
      const source = sourceOf.get(model.uri.toString());
      const tables = source ? await tablesFor(source) : [];
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const K = monaco.languages.CompletionItemKind;
      const line = model.getValueInRange({
        startLineNumber: position.lineNumber,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const inQuery = tablesInQuery(model.getValue(), tables);
      const qualifier = /("?[\w]+"?)\.\w*$/.exec(line)?.[1]?.replace(/"/g, '').toLowerCase();
      if (qualifier) {
        const table = inQuery.get(qualifier) ?? tables.find((t) => t.name.toLowerCase() === qualifier);
        return {
          suggestions: (table?.columns ?? []).map((c) => ({ label: c.name, kind: K.Field, detail: `${table!.name} · ${c.type}`, insertText: c.name, range })),
        };
      }
      const columnTables = inQuery.size > 0 ? [...new Set(inQuery.values())] : tables;
      const columns = new Map<string, { table: string; type: string }>();
      for (const t of columnTables) for (const c of t.columns) if (!columns.has(c.name)) columns.set(c.name, { table: t.name, type: c.type });
      return {
        suggestions: [
          ...tables.map((t) => ({
            label: t.name,
            kind: K.Struct,
            detail: `table · ${fmt.count(t.columns.length, 'column')}`,
            insertText: t.name,
            range,
            sortText: `1${t.name}`,
          })),
          ...[...columns].map(([name, c]) => ({ label: name, kind: K.Field, detail: `${c.table} · ${c.type}`, insertText: name, range, sortText: `0${name}` })),
          ...KEYWORDS.map((k) => ({ label: k, kind: K.Keyword, insertText: k, range, sortText: `2${k}` })),
        ],
      };
    },
  });
  return monaco;
}
