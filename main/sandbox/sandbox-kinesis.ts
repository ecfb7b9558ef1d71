import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { awsClientConfig } from '../aws/client-config';

// kinesalite ships no types; this is the part of its API Sluice uses.
type KinesaliteFactory = (options: { createStreamMs: number; deleteStreamMs: number; updateStreamMs: number; shardLimit: number }) => Server;

export const SANDBOX_CREDENTIALS = { accessKeyId: 'SLUICESANDBOX', secretAccessKey: 'sluice-sandbox-has-no-secret' };
export const SANDBOX_REGION = 'us-east-1';

/**
 * The built-in sandbox: a real Kinesis implementation (kinesalite, in memory) that Sluice starts on
 * 127.0.0.1 the first time a sandbox destination is used, so a new user can run a real sync and read
 * the records back without a cloud account. It lives as long as Sluice runs.
 */
export class SandboxKinesis {
  private server: Server | undefined;
  private starting: Promise<string> | undefined;

  endpoint(): Promise<string> {
    this.starting ??= new Promise<string>((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const kinesalite = require('kinesalite') as KinesaliteFactory;
      const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 64 });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      });
    });
    return this.starting;
  }

  /** The endpoint, with the stream created if it does not exist yet. */
  async ensureStream(stream: string, shards: number): Promise<string> {
    const endpoint = await this.endpoint();
    const client = new KinesisClient(awsClientConfig({ region: SANDBOX_REGION, endpoint, credentials: SANDBOX_CREDENTIALS }));
    try {
      try {
        await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      } catch (err) {
        if ((err as Error).name !== 'ResourceNotFoundException') throw err;
        await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
        await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
      }
    } finally {
      client.destroy();
    }
    return endpoint;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
