import { Drop, Liquid } from 'liquidjs';
import { LIQUID_OPTIONS } from '../../shared/payload/liquid-options';

/** The Liquid engine a sync renders with (payloads, Kafka message properties, Firehose routes). */
export function liquidEngine(): Liquid {
  const liquid = new Liquid({ ...LIQUID_OPTIONS, templates: {} });
  const builtin = liquid.filters['json']!;
  const json = typeof builtin === 'function' ? builtin : builtin.handler;
  // liquidjs' json wrote its `nil`, `empty` and `blank` as the objects they are: `{}`, so
  // `{{ row.v | default: nil | json }}` sent {} for a missing value. They are null and "" here.
  liquid.registerFilter('json', function (this: ThisParameterType<typeof json>, value: unknown, ...args: unknown[]): unknown {
    return json.call(this, literalDrop(value), ...args);
  });
  return liquid;
}

/** Liquid's `nil` as null, and `empty` and `blank` as ""; anything else as it is. */
function literalDrop(value: unknown): unknown {
  if (!(value instanceof Drop)) return value;
  const plain: unknown = value.valueOf();
  return plain === null || plain === '' ? plain : value;
}
