import type { Destination } from '../../../../shared/config/destination';
import type { Router, RouterDeps } from '../../../routing/router';
import { FirehoseRouter } from '../../../sync/firehose-routing';
import { PayloadRenderer } from '../../../sync/payload-renderer';

/** Firehose: the delivery stream the sync's routes choose for each event (none: the destination's). */
export function firehoseRouter(d: Extract<Destination, { kind: 'firehose' }>, { sync, numberColumns }: RouterDeps): Router {
  const renderer = new PayloadRenderer(sync.payload, { kind: 'primary-key' }, undefined, numberColumns);
  const fh = sync.firehose ? new FirehoseRouter(sync.firehose) : undefined;
  const streams = sync.firehose ? [...new Set(sync.firehose.routes.map((r) => r.stream))] : [d.deliveryStream];
  return {
    noun: 'delivery stream',
    unreachable: 'Could not route the records',
    warns: false,
    open: () => Promise.resolve(),
    route(ctx) {
      const data = renderer.renderJson(ctx);
      const stream = fh ? fh.route(ctx) : d.deliveryStream;
      return Promise.resolve({
        bucket: stream,
        shown: stream,
        roundRobin: false,
        fairShare: 1 / streams.length,
        hotKey: null,
        partitionKey: null,
        explicitHashKey: null,
        hash: null,
        bytes: Buffer.byteLength(data) + (d.appendNewline ? 1 : 0),
      });
    },
    buckets: () => streams.map((s) => ({ id: s, records: 0, bytes: 0, fairShare: 1 / streams.length })),
    finish: (tally) => [...tally.values()],
    topology: () => streams.map((s) => ({ id: s, detail: 'delivery stream' })),
    close: () => Promise.resolve(),
  };
}
