/**
 * The payload a new sync starts with: one JSON field per model column (named as the column, flat),
 * and the event, so the sync can run at once and the analyst edits from there.
 */
export function defaultTemplate(columns: readonly string[]): string {
  const lines = columns.map((c) => `  ${JSON.stringify(c)}: {{ row[${JSON.stringify(c)}] | json }}`);
  if (!columns.includes('event')) lines.push('  "event": {{ event | json }}');
  return `{\n${lines.join(',\n')}\n}`;
}

/** When the model's columns cannot be read (its source is unreachable): the whole row, its key and the event. */
export const WHOLE_ROW_TEMPLATE = '{\n  "key": {{ key | json }},\n  "event": {{ event | json }},\n  "row": {{ row | json }}\n}';
