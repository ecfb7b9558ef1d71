// The model columns a sync's settings name outright (not through a template), which every row must have.
import type { Sync } from '../../../shared/config/sync';

/** A column a sync's settings name, and where (in the user's words). */
export interface NamedColumn {
  column: string;
  where: string;
}

/** The columns the payload (one JSON column, the field mapper), the partition key and the explicit hash key name. */
export function namedColumns(sync: Sync): NamedColumn[] {
  const named: NamedColumn[] = [];
  const { payload, partitionKey, explicitHashKey } = sync;
  if (payload.mode === 'json-column') named.push({ column: payload.column, where: 'its payload (one JSON column)' });
  if (payload.mode === 'mapping') payload.fields.forEach((f, i) => named.push({ column: f.column, where: `its payload's field ${i + 1} (${f.key})` }));
  if (partitionKey?.kind === 'column') named.push({ column: partitionKey.column, where: 'its partition key' });
  if (explicitHashKey?.kind === 'column') named.push({ column: explicitHashKey.column, where: 'its explicit hash key' });
  return named;
}

/**
 * The sentence a run fails with when its settings name columns the model does not have (`columns`):
 * every row would be refused for it, so the run stops before the diff, nothing sent and the snapshot
 * as it was. Null when every named column is there.
 */
export function missingColumnsProblem(sync: Sync, model: string, columns: readonly string[]): string | null {
  const have = new Set(columns);
  const missing = namedColumns(sync).filter((n) => !have.has(n.column));
  if (missing.length === 0) return null;
  const list = missing.map((m) => `"${m.column}" (${m.where})`).join(', ');
  return `The sync "${sync.name}" uses the column${missing.length > 1 ? 's' : ''} ${list}, which the model "${model}" does not have (its columns: ${columns.join(', ')}): choose ${missing.length > 1 ? 'others' : 'another'} in the sync's payload or settings, or add ${missing.length > 1 ? 'them' : 'it'} back to the model. Nothing was sent.`;
}
