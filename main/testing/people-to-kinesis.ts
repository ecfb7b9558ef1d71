import { CreateStreamCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { SecretReference } from '../../shared/config/names';
import type { Engine } from '../engine/engine';
import { LOCAL_AWS_CREDENTIALS } from './peers/kinesis';

/** Creates a stream on a local Kinesis and waits until it is active. */
export async function createStream(client: KinesisClient, name: string, shards = 2): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
}

/**
 * The catalog most Kinesis tests use: a SQLite people file as model `people` (id, name), destination
 * `stream` on a local Kinesis, and sync `people-sync` sending every event as `{"id", "name"}`.
 */
export function putPeopleToKinesis(
  engine: Engine,
  o: { file: string; stream: string; region: string; endpoint: string; secretAccessKey: SecretReference },
): void {
  engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: o.file });
  engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({
    kind: 'kinesis',
    name: 'stream',
    stream: o.stream,
    region: o.region,
    endpoint: o.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: o.secretAccessKey },
  });
  engine.catalog.putSync({
    name: 'people-sync',
    model: 'people',
    destination: 'stream',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' },
  });
}
