// One render thread of RenderPool: parses the templates once, then renders the chunks it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { ExplicitHashKey, PartitionKey, Payload } from '../../shared/config/sync';
import { PayloadRenderer, RenderError, type RenderContext } from './payload-renderer';
import type { PoolResult } from './render-pool';

const { payload, partitionKey, explicitHashKey } = workerData as { payload: Payload; partitionKey: PartitionKey; explicitHashKey?: ExplicitHashKey };
const renderer = new PayloadRenderer(payload, partitionKey, explicitHashKey);

parentPort!.on('message', ({ id, items }: { id: number; items: RenderContext[] }) => {
  const results = items.map((ctx): PoolResult => {
    try {
      const r = renderer.render(ctx);
      return { ok: true, data: r.data.toString('utf8'), partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey };
    } catch (err) {
      if (err instanceof RenderError) return { ok: false, error: err.message };
      return { ok: false, error: `Unexpected error: ${(err as Error).message}` };
    }
  });
  parentPort!.postMessage({ id, results });
});
