// One render thread of RenderPool: parses the templates once, then renders the chunks it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { Row } from '../../shared/config/source';
import type { ExplicitHashKey, PartitionKey, Payload } from '../../shared/config/sync';
import { withColumns } from '../sources/sparse-rows';
import { KafkaMessageRenderer } from './kafka-message';
import { PayloadRenderer, RenderError } from './payload-renderer';
import type { PoolKafka, PoolResult } from './render-pool';
import { packAnswer, unpackItems, type PackedItems } from './render-wire';

const { payload, partitionKey, explicitHashKey, run, kafka, columns, numberColumns } = workerData as {
  payload: Payload;
  partitionKey: PartitionKey;
  explicitHashKey?: ExplicitHashKey;
  run: { id: number; sync: string; startedAt: string };
  kafka?: PoolKafka;
  columns?: readonly string[];
  numberColumns?: readonly string[];
};
const renderer = new PayloadRenderer(payload, partitionKey, explicitHashKey, numberColumns);
const message = kafka ? new KafkaMessageRenderer(kafka.message, kafka.defaultTopic) : undefined;
// Test hook: the thread exits silently (no error, no answer) on receiving chunk N+1, as a crashed thread would.
const exitAfter = process.env.SLUICE_TEST_RENDER_THREAD_EXIT_AFTER;
let chunks = 0;

parentPort!.on('message', ({ id, ...packed }: { id: number } & PackedItems) => {
  if (exitAfter !== undefined && chunks++ >= Number(exitAfter)) process.exit(0);
  const results = unpackItems(packed).map((item): PoolResult => {
    try {
      const ctx = {
        key: item.key,
        event: item.event,
        row: withColumns(JSON.parse(item.row) as Row, columns),
        previous: item.previous === null ? null : withColumns(JSON.parse(item.previous) as Row, columns),
        run,
      };
      if (message) {
        // As the runner renders a Kafka record inline: properties, then the value (none for a tombstone).
        const props = message.render(ctx);
        const data = item.event === 'removed' && message.tombstones ? null : renderer.renderBytes(ctx);
        return { ok: true, data, partitionKey: '', kafka: props };
      }
      const r = renderer.render(ctx);
      return { ok: true, data: r.data, partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey };
    } catch (err) {
      if (err instanceof RenderError) return { ok: false, error: err.message };
      return { ok: false, error: `Unexpected error: ${(err as Error).message}` };
    }
  });
  const answer = packAnswer(results);
  parentPort!.postMessage({ id, ...answer }, [answer.blob]);
});
