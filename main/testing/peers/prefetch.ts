// Vitest global setup: fetch the peers' downloads (Kafka and aws-msk-iam-auth jars from Maven Central, moto from PyPI)
// once, before test files start in parallel and would each fetch them.
import { fetchKafka } from './kafka';
import { fetchMoto } from './moto';
import { fetchMskIamAuth } from './msk-iam-java';

export default async function prefetchPeers(): Promise<void> {
  const started = Date.now();
  await Promise.all([fetchKafka(), fetchMoto(), fetchMskIamAuth()]);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (Number(seconds) > 2) console.log(`[peers] fetched Apache Kafka, moto and aws-msk-iam-auth into the peers cache in ${seconds} s`);
}
