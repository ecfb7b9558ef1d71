import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { awsClientConfig } from '../aws/client-config';
import { recordAwsClient } from '../aws/recording-middleware';
import type { CallSink } from '../recorder/types';
import { abortWords, givenUpError } from './given-up';
import { classifyAwsError } from './kinesis-publisher';
import type { FirehoseOutRecord, Publisher, RecordResult } from './publisher';

/** Kinesis Data Firehose PutRecordBatch limits. */
export const FIREHOSE_LIMITS = { maxBatchRecords: 500, maxBatchBytes: 4 * 1024 * 1024, maxRecordBytes: 1000 * 1024 };

const RETRYABLE = new Set(['ServiceUnavailableException', 'ServiceUnavailable', 'InternalFailure', 'ThrottlingException', 'KMSThrottlingException']);

export interface FirehoseTarget {
  deliveryStream: string;
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  appendNewline: boolean;
  /** Where the client's API calls are recorded (the Debugger). */
  recorder?: CallSink;
}

/** PutRecordBatch to one delivery stream; a newline ends every record unless switched off. */
export class FirehosePublisher implements Publisher<FirehoseOutRecord> {
  readonly limits = FIREHOSE_LIMITS;
  private readonly client: FirehoseClient;

  constructor(readonly target: FirehoseTarget) {
    this.client = recordAwsClient(
      new FirehoseClient(awsClientConfig({ region: target.region, endpoint: target.endpoint, credentials: target.credentials, maxAttempts: 1 })),
      target.recorder,
      target.region,
    );
  }

  /** The bytes that will be delivered: the data plus its newline. */
  payload(record: FirehoseOutRecord): Buffer {
    return this.target.appendNewline ? Buffer.concat([record.data, Buffer.from('\n')]) : record.data;
  }

  recordBytes(record: FirehoseOutRecord): number {
    return record.data.length + (this.target.appendNewline ? 1 : 0);
  }

  /**
   * One PutRecordBatch per delivery stream in the batch (records routed by event go to several
   * streams of the destination's account), sent together; results come back in the batch's order.
   * With several streams, they succeed or fail on their own: a whole-request failure of one stream (missing stream,
   * AccessDenied, throttling) becomes per-record failures for that stream's records only, retryable
   * or not per its error, and the other streams' acknowledged records stay acknowledged. Every
   * request has settled when this returns, so nothing of the batch is still on the wire.
   */
  async send(batch: FirehoseOutRecord[], signal?: AbortSignal): Promise<RecordResult[]> {
    const byStream = new Map<string, FirehoseOutRecord[]>();
    for (const r of batch) {
      const stream = r.deliveryStream ?? this.target.deliveryStream;
      const list = byStream.get(stream);
      if (list) list.push(r);
      else byStream.set(stream, [r]);
    }
    const groups = [...byStream];
    const settled = await Promise.allSettled(groups.map(([stream, records]) => this.sendTo(stream, records, signal)));
    // One stream whose request failed: nothing of the batch was written, so it is a whole-request
    // failure, as for Kinesis (a non-retryable one, such as a missing permission, stops the run and says why).
    const only = settled.length === 1 ? settled[0]! : undefined;
    const failure = (reason: unknown) => (signal?.aborted ? givenUpError('Firehose', abortWords(signal)) : classifyAwsError(reason, 'firehose:PutRecordBatch'));
    if (only?.status === 'rejected') throw failure(only.reason);
    const results = new Map<number, RecordResult>();
    settled.forEach((outcome, i) => {
      const [stream, records] = groups[i]!;
      if (outcome.status === 'fulfilled') {
        for (const result of outcome.value) results.set(result.seq, result);
        return;
      }
      const err = failure(outcome.reason);
      for (const r of records)
        results.set(r.seq, { seq: r.seq, ok: false, code: err.code, message: `delivery stream ${stream}: ${err.message}`, retryable: err.retryable });
    });
    return batch.map((r) => results.get(r.seq)!);
  }

  private async sendTo(stream: string, batch: FirehoseOutRecord[], signal: AbortSignal | undefined): Promise<RecordResult[]> {
    const response = await this.client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: batch.map((r) => ({ Data: this.payload(r) })) }), {
      abortSignal: signal,
    });
    const results = response.RequestResponses ?? [];
    return batch.map((r, i): RecordResult => {
      const result = results[i];
      if (result?.RecordId) return { seq: r.seq, ok: true, location: { recordId: result.RecordId, deliveryStream: stream } };
      const code = result?.ErrorCode ?? 'MissingResult';
      return {
        seq: r.seq,
        ok: false,
        code,
        message: result?.ErrorMessage ?? 'Firehose returned no result for this record',
        retryable: RETRYABLE.has(code) || code === 'MissingResult',
      };
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
