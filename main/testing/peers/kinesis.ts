import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { awsClientConfig } from '../../aws/client-config';
import { packageRoot } from '../../paths';
import { ManagedProcess } from './managed-process';
import { freePorts } from './ports';

/** Credentials the local emulators accept (they check none). */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const LOCAL_REGION = 'us-east-1';

export interface KinesisPeer {
  kind: 'kinesis-local' | 'kinesalite';
  endpoint: string;
  region: string;
  client(): KinesisClient;
  stop(): Promise<void>;
}

function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient(awsClientConfig({ region: LOCAL_REGION, endpoint, credentials: LOCAL_AWS_CREDENTIALS }));
}

async function answersListStreams(endpoint: string): Promise<boolean> {
  const client = kinesisClient(endpoint);
  try {
    await client.send(new ListStreamsCommand({}));
    return true;
  } finally {
    client.destroy();
  }
}

/**
 * kinesis-local (kinesis-mock, the engine LocalStack uses): on-demand streams, consumers,
 * AT_TIMESTAMP. For functional tests; it slows down sharply as a stream fills.
 */
export async function startKinesisLocal(): Promise<KinesisPeer> {
  const [plain, tls] = (await freePorts(2)) as [number, number];
  const pkg = path.dirname(require.resolve('kinesis-local/package.json', { paths: [packageRoot()] }));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kinesis-local-'));
  const proc = ManagedProcess.start('kinesis-local', process.execPath, [path.join(pkg, 'main.js')], {
    cwd: pkg,
    logFile: path.join(logDir, 'kinesis-local.log'),
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(plain),
      KINESIS_MOCK_TLS_PORT: String(tls),
      KINESIS_MOCK_CERT_PATH: path.join(pkg, 'server.json'),
      CREATE_STREAM_DURATION: '0ms',
      DELETE_STREAM_DURATION: '0ms',
      REGISTER_STREAM_CONSUMER_DURATION: '0ms',
      DEREGISTER_STREAM_CONSUMER_DURATION: '0ms',
      UPDATE_SHARD_COUNT_DURATION: '0ms',
      SHOULD_PERSIST_DATA: 'false',
      LOG_LEVEL: 'WARN',
      AWS_REGION: LOCAL_REGION,
    },
  });
  const endpoint = `http://127.0.0.1:${plain}`;
  try {
    await proc.waitUntil(() => answersListStreams(endpoint), 60_000, 'answer ListStreams');
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    kind: 'kinesis-local',
    endpoint,
    region: LOCAL_REGION,
    client: () => kinesisClient(endpoint),
    stop: async () => {
      await proc.stop();
      fs.rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** kinesalite: in-memory and fast at volume; for volume tests and benchmarks. */
export async function startKinesalite(): Promise<KinesisPeer> {
  const [port] = (await freePorts(1)) as [number];
  const cli = require.resolve('kinesalite/cli.js', { paths: [packageRoot()] });
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-kinesalite-'));
  const proc = ManagedProcess.start(
    'kinesalite',
    process.execPath,
    [cli, '--port', String(port), '--createStreamMs', '0', '--deleteStreamMs', '0', '--updateStreamMs', '0', '--shardLimit', '100'],
    { logFile: path.join(logDir, 'kinesalite.log') },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await proc.waitUntil(() => answersListStreams(endpoint), 30_000, 'answer ListStreams');
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    kind: 'kinesalite',
    endpoint,
    region: LOCAL_REGION,
    client: () => kinesisClient(endpoint),
    stop: async () => {
      await proc.stop();
      fs.rmSync(logDir, { recursive: true, force: true });
    },
  };
}
