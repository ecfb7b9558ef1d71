import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { test, skipWithoutApp } from './fixtures';
import { FaultProxy } from '../main/testing/peers/fault-proxy';
import { startKinesalite, startKinesisLocal, type KinesisPeer } from '../main/testing/peers/kinesis';
import { startKafka, type KafkaPeer } from '../main/testing/peers/kafka';
import { createPeopleDb } from '../main/testing/model-db';
import { tempWorkspace } from '../main/testing/temp';

// What the specs that sync real rows share: a people model file and the peers it goes to, started once
// for the describe block (or file) that calls `usePeoplePeers`, stopped after it. The local Kinesis
// takes any secret; destinations read this one through their { env } reference.
process.env.SLUICE_E2E_SECRET = 'any-secret-works-locally';

export interface PeoplePeersOptions {
  /** The temp folder's name prefix. */
  prefix: string;
  /** Rows of people(id, name, score, tags). */
  rows: number;
  /** A local Kinesis (kinesis-local or kinesalite) with these streams, behind the fault proxy. */
  kinesis?: { server: 'kinesis-local' | 'kinesalite'; streams: { name: string; shards: number }[] };
  /** A Kafka broker with these topics. */
  kafka?: { topics: { name: string; partitions: number }[] };
}

/** Filled in by beforeAll: read its fields inside tests and `test.use` fixtures, not at the describe level. */
export interface PeoplePeers {
  modelFile: string;
  kinesis: KinesisPeer;
  proxy: FaultProxy;
  kafka: KafkaPeer;
}

export function usePeoplePeers(options: PeoplePeersOptions): PeoplePeers {
  const peers = {} as PeoplePeers;
  let modelDir: { dir: string; cleanup(): void } | undefined;
  test.beforeAll(async ({}, testInfo) => {
    skipWithoutApp(testInfo);
    test.setTimeout(300_000);
    modelDir = tempWorkspace(`sluice-e2e-${options.prefix}-`);
    const { file, db } = createPeopleDb(modelDir.dir, options.rows);
    db.close();
    peers.modelFile = file;
    await Promise.all([
      options.kinesis &&
        (async () => {
          const { server, streams } = options.kinesis!;
          peers.kinesis = await (server === 'kinesis-local' ? startKinesisLocal() : startKinesalite());
          peers.proxy = await FaultProxy.start(peers.kinesis.endpoint);
          const client = peers.kinesis.client();
          for (const s of streams) {
            await client.send(new CreateStreamCommand({ StreamName: s.name, ShardCount: s.shards }));
            await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: s.name });
          }
          client.destroy();
        })(),
      options.kafka &&
        (async () => {
          peers.kafka = await startKafka();
          for (const t of options.kafka!.topics) await peers.kafka.createTopic(t.name, t.partitions);
        })(),
    ]);
  });
  test.afterAll(async () => {
    await peers.proxy?.close();
    await Promise.all([peers.kinesis?.stop(), peers.kafka?.stop()]);
    modelDir?.cleanup();
  });
  return peers;
}

/** The YAML of the people source and its model. */
export function peopleModelYaml(modelFile: string, query = 'SELECT id, name FROM people'): string {
  return `sources:
  - { kind: sqlite, name: people-db, path: ${JSON.stringify(modelFile)} }
models:
  - { name: People, source: people-db, query: ${JSON.stringify(query)}, primaryKey: [id] }`;
}

/** A Kinesis destination (list item, YAML) on a local endpoint, with the e2e secret. */
export function localKinesisYaml(name: string, stream: string, endpoint: string): string {
  return `  - kind: kinesis
    name: ${name}
    stream: ${stream}
    region: us-east-1
    endpoint: ${endpoint}
    auth: { kind: access-key, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: { env: SLUICE_E2E_SECRET } }`;
}
