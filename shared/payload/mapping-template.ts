/**
 * Turns a field mapping (columns → keys, dot paths for nesting) into the Liquid template that renders
 * exactly the same JSON, so an analyst can start with the mapper and continue in the editor.
 */
export interface MappedField {
  column: string;
  key: string;
}

type Node = { kind: 'value'; column: string } | { kind: 'object'; children: Map<string, Node> };

function insert(root: Map<string, Node>, path: string[], column: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    root.set(head, { kind: 'value', column });
    return;
  }
  let child = root.get(head);
  if (!child || child.kind !== 'object') {
    child = { kind: 'object', children: new Map() };
    root.set(head, child);
  }
  insert(child.children, rest, column);
}

/**
 * A column's value as the mapping writes it: as JSON; a column that holds numbers as it is (a number past
 * 2^53 is carried as its digits, which `json` would quote), nil as null.
 */
function valueOf(column: string, numbers: ReadonlySet<string>): string {
  const ref = `row[${JSON.stringify(column)}]`;
  return numbers.has(column) ? `{{ ${ref} | default: "null" }}` : `{{ ${ref} | json }}`;
}

function render(children: Map<string, Node>, indent: string, numbers: ReadonlySet<string>): string {
  const inner = indent + '  ';
  const lines = [...children].map(([key, node]) => {
    const value = node.kind === 'value' ? valueOf(node.column, numbers) : render(node.children, inner, numbers);
    return `${inner}${JSON.stringify(key)}: ${value}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** `numberColumns`: the model's columns that hold numbers (`numberColumns` in shared/config/number-columns.ts), whose values the mapping sends as numbers. */
export function mappingToTemplate(fields: readonly MappedField[], numberColumns: readonly string[] = []): string {
  const root = new Map<string, Node>();
  for (const f of fields) insert(root, f.key.split('.'), f.column);
  return render(root, '', new Set(numberColumns));
}
