import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it, vi } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { closeAfterEach } from '../testing/lifecycle';
import { tempWorkspace } from '../testing/temp';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from './sandbox-kinesis';
import { stopServing } from './stop-serving';

const closers = closeAfterEach();

type KinesaliteFactory = (options: { createStreamMs: number; path: string }) => Server;

async function onDiskKinesalite(): Promise<{ server: Server; client: KinesisClient }> {
  const ws = tempWorkspace();
  closers.push(ws.cleanup);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = (require('kinesalite') as KinesaliteFactory)({ createStreamMs: 0, path: path.join(ws.dir, 'kinesis') });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint, credentials: SANDBOX_CREDENTIALS, maxAttempts: 1 }));
  closers.push(() => client.destroy());
  return { server, client };
}

describe('stopping a sandbox server', () => {
  // kinesalite's own close() closes its LevelDB store before the HTTP server: requests arriving meanwhile met
  // a closed store, which threw out of the handler or crashed this process (SIGSEGV), and were never answered.
  it('answers or refuses every request arriving as it stops, and closes its store only after the last answer', async () => {
    const { server, client } = await onDiskKinesalite();
    await client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 1 }));
    for (let i = 0; i < 20; i++) await client.send(new PutRecordCommand({ StreamName: 's', PartitionKey: `k${i}`, Data: new Uint8Array(512) }));
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );

    let received = 0;
    server.on('request', () => received++);
    const requests = Array.from({ length: 30 }, (_, i) =>
      i % 2
        ? client.send(new ListStreamsCommand({}), { abortSignal: AbortSignal.timeout(20_000) })
        : client.send(new GetRecordsCommand({ ShardIterator }), { abortSignal: AbortSignal.timeout(20_000) }),
    );
    // Stopped with requests under way and more arriving.
    await vi.waitFor(() => expect(received).toBeGreaterThanOrEqual(5), { timeout: 20_000, interval: 1 });
    const stopped = stopServing(server);
    const outcomes = await Promise.allSettled(requests);
    await stopped;

    expect(server.listening).toBe(false);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      // Not answered: only because the connection was refused or closed before the request was read, never a store error or a timeout.
      expect((outcome.reason as { code?: string }).code, String(outcome.reason)).toMatch(/^(ECONNREFUSED|ECONNRESET|EPIPE)$/);
    }
  }, 60_000);
});
