// What the SQL editor's completion knows of the sources' tables, kept apart from Monaco so the views
// can set it up without loading the editor (Monaco is a lazily loaded chunk: editor/lazy.tsx).
import type { SourceTable } from '../../../shared/config/source-admin';

/** Which source each editor's model reads, and how to ask the engine for its tables. */
export const sourceOf = new Map<string, string>();
let fetchTables: ((source: string) => Promise<SourceTable[]>) | null = null;
const cache = new Map<string, Promise<SourceTable[]>>();

export function setSchemaFetcher(fetcher: (source: string) => Promise<SourceTable[]>): void {
  fetchTables = fetcher;
}
/** Tables change when a source does: forget what was read (on `catalogChanged`). */
export function forgetSchemas(): void {
  cache.clear();
}
export function setEditorSource(uri: string, source: string | null): void {
  if (source) sourceOf.set(uri, source);
  else sourceOf.delete(uri);
}

export function tablesFor(source: string): Promise<SourceTable[]> {
  let tables = cache.get(source);
  if (!tables && fetchTables) {
    tables = fetchTables(source).catch(() => {
      cache.delete(source);
      return [];
    });
    cache.set(source, tables);
  }
  return tables ?? Promise.resolve([]);
}
