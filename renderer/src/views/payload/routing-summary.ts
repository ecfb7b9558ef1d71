import { fmt } from '../../../../shared/format/format';
import type { RoutingPreview } from '../../../../shared/routing/routing-preview';

/**
 * The routing preview's one line: the sample, how the destination was read (when it was: a Kafka topic
 * no row reached is not listed), and what would not be placed; parts that are empty are left out.
 */
export function routingSummary(preview: Pick<RoutingPreview, 'sample' | 'topology'>): string {
  const { sample } = preview;
  return [
    `${fmt.number(sample.rows)} of ${fmt.count(sample.modelRows, 'row')} sampled`,
    ...preview.topology.map((t) => `${t.id}: ${t.detail}`),
    sample.errors > 0 &&
      `${fmt.count(sample.errors, ['row', 'rows'])} would be rejected (a template error, no route, or a topic or partition the destination lacks)`,
    sample.skipped > 0 && `${fmt.count(sample.skipped, ['row matches', 'rows match'])} no route and would be skipped`,
    sample.roundRobin > 0 && `${fmt.count(sample.roundRobin, 'keyless record')} spread round-robin`,
  ]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' · ');
}
