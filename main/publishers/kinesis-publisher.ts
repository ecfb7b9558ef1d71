import { KinesisClient, PutRecordsCommand, type Shard } from '@aws-sdk/client-kinesis';
import { kinesisStream } from '../aws/stream-param';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { awsClientConfig } from '../aws/client-config';
import { ACCESS_DENIED_CODES, describeAccessDenied, normalizeAwsError, UNREADABLE_ANSWER } from '../aws/access-denied';
import { listShards } from '../aws/list-shards';
import { recordAwsClient } from '../aws/recording-middleware';
import type { CallSink } from '../recorder/types';
import { abortWords, givenUpError } from './given-up';
import { PublishError, type KinesisOutRecord, type Publisher, type RecordResult } from './publisher';

/** Kinesis Data Streams limits (PutRecords). */
export const KINESIS_LIMITS = { maxBatchRecords: 500, maxBatchBytes: 5 * 1024 * 1024, maxRecordBytes: 1024 * 1024 };

const RETRYABLE_RECORD_ERRORS = new Set(['ProvisionedThroughputExceededException', 'InternalFailure', 'ServiceUnavailable', 'KMSThrottlingException']);
const RETRYABLE_REQUEST_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalFailureException',
  'LimitExceededException',
  'ThrottlingException',
  'KMSThrottlingException',
  'RequestTimeout',
  'TimeoutError',
]);

export interface KinesisTarget {
  stream: string;
  region: string;
  /** A function: asked again for every request (the sandbox, whose server may move to another process). */
  endpoint?: string | (() => Promise<string>);
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Where the client's API calls are recorded (the Debugger). */
  recorder?: CallSink;
  /** How long a PutRecords may take (default: awsClientConfig's). */
  requestTimeoutMs?: number;
}

export function classifyAwsError(raw: unknown, action?: string): PublishError {
  const err = normalizeAwsError(raw);
  const e = err as Error & { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const code = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
  const status = e.$metadata?.httpStatusCode;
  const network =
    ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'].includes(e.code ?? '') || /socket hang up|ECONNRESET|ECONNREFUSED/.test(e.message);
  // A missing IAM permission is named (which action, on what), never retried.
  if (ACCESS_DENIED_CODES.has(code)) return new PublishError(code, describeAccessDenied(e.message, action), false);
  // An answer that could not be read may have acknowledged the records (a 2xx cut short): sent again, as a dropped answer's are.
  const unreadableOk = code === UNREADABLE_ANSWER && status !== undefined && status >= 200 && status < 300;
  const retryable = RETRYABLE_REQUEST_ERRORS.has(code) || network || unreadableOk || (status !== undefined && status >= 500) || e.$retryable !== undefined;
  return new PublishError(network && code === 'Error' ? 'NetworkError' : code, e.message, retryable, network);
}

/** PutRecords to one stream. Per-record results keep the order of the batch. */
export class KinesisPublisher implements Publisher<KinesisOutRecord> {
  readonly limits = KINESIS_LIMITS;
  private readonly client: KinesisClient;

  constructor(readonly target: KinesisTarget) {
    // Retries are the runner's job (per record, with backoff); the SDK tries once.
    this.client = recordAwsClient(
      new KinesisClient(
        awsClientConfig({
          region: target.region,
          endpoint: target.endpoint,
          credentials: target.credentials,
          maxAttempts: 1,
          requestTimeoutMs: target.requestTimeoutMs,
        }),
      ),
      target.recorder,
      target.region,
    );
  }

  recordBytes(record: KinesisOutRecord): number {
    return record.data.length + Buffer.byteLength(record.partitionKey, 'utf8');
  }

  async send(batch: KinesisOutRecord[], signal?: AbortSignal): Promise<RecordResult[]> {
    let response;
    try {
      response = await this.client.send(
        new PutRecordsCommand({
          ...kinesisStream(this.target.stream),
          Records: batch.map((r) => ({
            Data: r.data,
            PartitionKey: r.partitionKey,
            ...(r.explicitHashKey !== undefined ? { ExplicitHashKey: r.explicitHashKey } : {}),
          })),
        }),
        { abortSignal: signal },
      );
    } catch (err) {
      if (signal?.aborted) throw givenUpError('Kinesis', abortWords(signal));
      throw classifyAwsError(err, 'kinesis:PutRecords');
    }
    const records = response.Records ?? [];
    return batch.map((r, i): RecordResult => {
      const result = records[i];
      if (result?.SequenceNumber && result.ShardId)
        return { seq: r.seq, ok: true, location: { shardId: result.ShardId, sequenceNumber: result.SequenceNumber } };
      const code = result?.ErrorCode ?? 'MissingResult';
      return {
        seq: r.seq,
        ok: false,
        code,
        message: result?.ErrorMessage ?? 'Kinesis returned no result for this record',
        retryable: RETRYABLE_RECORD_ERRORS.has(code) || code === 'MissingResult',
      };
    });
  }

  /** The stream's open shards and hash-key ranges (for dry-run routing). */
  async shards(): Promise<Shard[]> {
    return (await listShards(this.client, this.target.stream)).filter((s) => !s.SequenceNumberRange?.EndingSequenceNumber);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
