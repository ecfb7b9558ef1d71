// npm run services: start every test peer for manual use, print endpoints and credentials, and stop
// them all on Ctrl+C. The same modules the tests use (main/testing/peers).
import { startKafka } from '../main/testing/peers/kafka';
import { LOCAL_AWS_CREDENTIALS, startKinesalite, startKinesisLocal } from '../main/testing/peers/kinesis';
import { startMoto } from '../main/testing/peers/moto';

async function main(): Promise<void> {
  console.log('Starting Apache Kafka, kinesis-local, kinesalite and moto…');
  const [kafka, kinesisLocal, kinesalite, moto] = await Promise.all([startKafka(), startKinesisLocal(), startKinesalite(), startMoto()]);
  const lines = [
    '',
    `Apache Kafka ${kafka.version} (KRaft, single node; topics are not created automatically)`,
    `  PLAINTEXT        ${kafka.listeners.plaintext}`,
    `  SASL_PLAINTEXT   ${kafka.listeners.saslPlaintext}   PLAIN ${kafka.users.plain.username}/${kafka.users.plain.password}`,
    `                   SCRAM-SHA-256 ${kafka.users.scram256.username}/${kafka.users.scram256.password}`,
    `                   SCRAM-SHA-512 ${kafka.users.scram512.username}/${kafka.users.scram512.password}`,
    `  SSL              ${kafka.listeners.ssl}`,
    `  SASL_SSL         ${kafka.listeners.saslSsl}   (same users)`,
    `  SSL + client cert ${kafka.listeners.mtls}`,
    `  CA certificate   ${kafka.pki.caFile}`,
    `  client cert/key  ${kafka.pki.dir}/client.pem, ${kafka.pki.dir}/client.key`,
    `  log              ${kafka.logFile}`,
    '',
    `Kinesis (kinesis-local)  ${kinesisLocal.endpoint}`,
    `Kinesis (kinesalite)     ${kinesalite.endpoint}`,
    `moto (STS, Firehose, S3) ${moto.endpoint}`,
    `AWS region ${moto.region}; any access key works, e.g. ${LOCAL_AWS_CREDENTIALS.accessKeyId} / ${LOCAL_AWS_CREDENTIALS.secretAccessKey}`,
    '',
    'Press Ctrl+C to stop them all.',
  ];
  console.log(lines.join('\n'));
  const stop = async () => {
    await Promise.allSettled([kafka.stop(), kinesisLocal.stop(), kinesalite.stop(), moto.stop()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
