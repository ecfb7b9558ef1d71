import type { Placer } from '../../../sync/run/placer';

/** Firehose: records per delivery stream (the route's, else the destination's). */
export function firehosePlacer(defaultStream: string): Placer {
  const counts = new Map<string, number>();
  return {
    per: 'delivery-stream',
    roundRobin: 0,
    note: null,
    failure: null,
    place(record) {
      if (record.kind !== 'firehose') return;
      const stream = record.deliveryStream ?? defaultStream; // as FirehosePublisher sends it
      counts.set(stream, (counts.get(stream) ?? 0) + 1);
    },
    targets: () => [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([id, records]) => ({ id, records })),
  };
}
