import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { awsClientConfig } from '../aws/client-config';
import { classifyAwsError } from './kinesis-publisher';
import type { OutRecord, Publisher, RecordResult } from './publisher';

/** Kinesis Data Firehose PutRecordBatch limits. */
export const FIREHOSE_LIMITS = { maxBatchRecords: 500, maxBatchBytes: 4 * 1024 * 1024, maxRecordBytes: 1000 * 1024 };

const RETRYABLE = new Set(['ServiceUnavailableException', 'ServiceUnavailable', 'InternalFailure', 'ThrottlingException', 'KMSThrottlingException']);

export interface FirehoseTarget {
  deliveryStream: string;
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  appendNewline: boolean;
}

/** PutRecordBatch to one delivery stream; a newline ends every record unless switched off. */
export class FirehosePublisher implements Publisher {
  readonly limits = FIREHOSE_LIMITS;
  private readonly client: FirehoseClient;

  constructor(readonly target: FirehoseTarget) {
    this.client = new FirehoseClient(awsClientConfig({ region: target.region, endpoint: target.endpoint, credentials: target.credentials, maxAttempts: 1 }));
  }

  /** The bytes that will be delivered: the data plus its newline. */
  payload(record: OutRecord): Buffer {
    const data = record.data ?? Buffer.alloc(0);
    return this.target.appendNewline ? Buffer.concat([data, Buffer.from('\n')]) : data;
  }

  recordBytes(record: OutRecord): number {
    return (record.data?.length ?? 0) + (this.target.appendNewline ? 1 : 0);
  }

  async send(batch: OutRecord[]): Promise<RecordResult[]> {
    let response;
    try {
      response = await this.client.send(new PutRecordBatchCommand({ DeliveryStreamName: this.target.deliveryStream, Records: batch.map((r) => ({ Data: this.payload(r) })) }));
    } catch (err) {
      throw classifyAwsError(err);
    }
    const results = response.RequestResponses ?? [];
    return batch.map((r, i): RecordResult => {
      const result = results[i];
      if (result?.RecordId) return { seq: r.seq, ok: true, location: { recordId: result.RecordId } };
      const code = result?.ErrorCode ?? 'MissingResult';
      return { seq: r.seq, ok: false, code, message: result?.ErrorMessage ?? 'Firehose returned no result for this record', retryable: RETRYABLE.has(code) || code === 'MissingResult' };
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
