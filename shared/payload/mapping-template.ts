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

function render(children: Map<string, Node>, indent: string): string {
  const inner = indent + '  ';
  const lines = [...children].map(([key, node]) => {
    const value = node.kind === 'value' ? `{{ row[${JSON.stringify(node.column)}] | json }}` : render(node.children, inner);
    return `${inner}${JSON.stringify(key)}: ${value}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export function mappingToTemplate(fields: readonly MappedField[]): string {
  const root = new Map<string, Node>();
  for (const f of fields) insert(root, f.key.split('.'), f.column);
  return render(root, '');
}
