import { Drop, Liquid } from 'liquidjs';
import { LIQUID_OPTIONS } from '../../shared/payload/liquid-options';
import { registerExactMathFilters } from './exact-math-filters';

// liquidjs' json filter wrote its `nil`, `empty` and `blank` as the objects they are, `{}`: so
// `{{ row.v | default: nil | json }}` sent {} for a missing value, and `{{ row.a | push: nil | json }}`
// sent [1,{}]. JSON.stringify asks a value for its toJSON: on those three literals' classes (which
// liquidjs does not export: found from the values it gives them) it is null and "", their valueOf.
// Other drops (forloop, tablerowloop) are written as before.
const literals = new Liquid();
for (const literal of ['nil', 'empty', 'blank']) {
  const drop: unknown = literals.evalValueSync(literal, {});
  if (!(drop instanceof Drop)) continue;
  const plain = drop.valueOf();
  Object.defineProperty(Object.getPrototypeOf(drop), 'toJSON', { value: () => plain, configurable: true, writable: true });
}

/**
 * The Liquid engine a sync renders with (payloads, Kafka message properties, Firehose routes), in a
 * run, on its render threads, in the payload preview and in a test record: its math filters are exact
 * for integers past ±2^53 (`registerExactMathFilters`).
 */
export function liquidEngine(): Liquid {
  const liquid = new Liquid({ ...LIQUID_OPTIONS, templates: {} });
  registerExactMathFilters(liquid);
  return liquid;
}
