// A mapping payload (mode: mapping): each field's column under its dotted key.
import type { RowValue } from '../../shared/config/source';
import { SluiceError } from '../../shared/ipc/errors';

/** Puts `value` at the dotted path in `target`, making the objects on the way. */
export function setPath(target: Record<string, RowValue>, dotted: string, value: RowValue): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, RowValue>;
  }
  node[parts[parts.length - 1]!] = value;
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

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
    // Such a part names an object's own machinery, not a field: its value was lost (or leaked into every object).
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
