import { afterAll, afterEach, beforeAll } from 'vitest';
import { startKafka, type KafkaPeer } from './peers/kafka';

type Closer = () => unknown;

/** Clean-ups a test registers as it goes, run after each test in reverse order. */
export function closeAfterEach(): Closer[] {
  const closers: Closer[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  return closers;
}

/** One real Kafka broker for the test file, started before its tests and stopped after them. */
export function kafkaForFile(): { readonly peer: KafkaPeer } {
  const holder: { peer?: KafkaPeer } = {};
  beforeAll(async () => {
    holder.peer = await startKafka();
  }, 300_000);
  afterAll(async () => {
    await holder.peer?.stop();
  });
  return {
    get peer(): KafkaPeer {
      if (!holder.peer) throw new Error('The Kafka test broker is not started yet (use it inside a test or hook)');
      return holder.peer;
    },
  };
}
