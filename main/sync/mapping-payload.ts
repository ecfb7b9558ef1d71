// A mapping payload (mode: mapping): each field's column under its dotted key.
import type { Row, RowValue } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';
import { isNumberText } from '../../shared/json/number-text';

/** A value's JSON text, in the tree of objects the dotted keys make. */
class Leaf {
  constructor(readonly json: string) {}
}
type Node = { [key: string]: Node | Leaf };
/** An object without a prototype: a key such as "toString" finds nothing it did not set. */
const emptyNode = (): Node => Object.create(null) as Node;

/** Puts `leaf` at the dotted path in `target`, making the objects on the way (keys that overlap are refused first: `mappingProblem`). */
function setPath(target: Node, dotted: string, leaf: Leaf): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = next === undefined || next instanceof Leaf ? (node[part] = emptyNode()) : next;
  }
  node[parts[parts.length - 1]!] = leaf;
}

/** As JSON.stringify writes an object: its keys in the object's own order. */
function nodeJson(node: Node): string {
  return `{${Object.keys(node)
    .map((key) => {
      const v = node[key]!;
      return `${JSON.stringify(key)}:${v instanceof Leaf ? v.json : nodeJson(v)}`;
    })
    .join(',')}}`;
}

/**
 * The mapping's JSON for a row: each field's value under its key. A value of a column that holds numbers
 * (`numberColumns`) carried as text because a JavaScript number cannot hold it (12345678901234567890,
 * 1e400) is written as the number, every digit as the model has it; any other value as JSON.stringify
 * writes it (a TEXT column's digits stay a string). Every field's column is in the row.
 */
export function mappingJson(fields: readonly { column: string; key: string }[], row: Row, numbers: ReadonlySet<string>): string {
  const out = emptyNode();
  for (const { column, key } of fields) {
    const value: RowValue = row[column] ?? null;
    setPath(out, key, new Leaf(typeof value === 'string' && numbers.has(column) && isNumberText(value) ? value : JSON.stringify(value)));
  }
  return nodeJson(out);
}

/**
 * A key part JavaScript reads as an object's prototype (JSON.parse keeps it as a field, but an object built by
 * assignment in a consumer's code does not). "constructor" and "prototype" are fields like any other: the
 * mapping's objects have no prototype, so their values are kept.
 */
const RESERVED = new Set(['__proto__']);

/**
 * Refuses mapping keys that would lose a value: one used twice, one inside another's value (x and x.y:
 * the later one replaced the earlier), or with an empty part (a..b, .a, a.).
 */
export function mappingProblem(fields: readonly { column: string; key: string }[]): void {
  fields.forEach(({ key }, i) => {
    const refuse = (why: string) => {
      throw new SluiceError('invalid-input', `The mapping's key "${key}" (field ${i + 1}) ${why}`, [
        { path: `payload.fields.${i}.key`, message: `"${key}" ${why}` },
      ]);
    };
    if (key.split('.').some((part) => part === '')) refuse('has an empty part: write names between the dots');
    // Such a part is the prototype to JavaScript, not a field: its value was lost (or leaked into every object).
    const reserved = key.split('.').find((part) => RESERVED.has(part));
    if (reserved) refuse(`has the part "${reserved}", which cannot be a field's name here: rename it`);
    const j = fields.findIndex((f, k) => k > i && (f.key === key || f.key.startsWith(`${key}.`) || key.startsWith(`${f.key}.`)));
    if (j !== -1)
      refuse(
        fields[j]!.key === key
          ? `is the key of field ${j + 1} too: one value would be lost`
          : `and "${fields[j]!.key}" (field ${j + 1}) overlap: one value would replace the other`,
      );
  });
}
