// Vitest global setup: fetch the peers' downloads (Kafka jars from Maven Central, moto from PyPI)
// once, before test files start in parallel and would each fetch them.
import { fetchKafka } from './kafka';
import { fetchMoto } from './moto';

export default async function prefetchPeers(): Promise<void> {
  const started = Date.now();
  await Promise.all([fetchKafka(), fetchMoto()]);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (Number(seconds) > 2) console.log(`[peers] fetched Apache Kafka and moto into the peers cache in ${seconds} s`);
}
