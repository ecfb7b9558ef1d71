import { describe, expect, it } from 'vitest';
import { batchFailure, batchResults } from '../aws/recording-middleware';

// A 200 from PutRecords / PutRecordBatch with refused records is recorded as an error: `partial`
// when some records went, `error` when none did, with the count and the reasons.

describe('batch answers with refused records', () => {
  it('PutRecords with FailedRecordCount > 0: partial, with the count and the most common reason first', () => {
    const output = {
      FailedRecordCount: 3,
      Records: [
        { ShardId: 'shardId-0', SequenceNumber: '1' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-0' },
        { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-0' },
      ],
    };
    const batch = batchResults(output)!;
    expect(batch.failed).toBe(3);
    expect(batchFailure(batch.failed, 4, batch.errors)).toEqual({
      status: 'partial',
      errorCode: 'PartialFailure',
      errorMessage: '3 of 4 records failed (ProvisionedThroughputExceededException ×2: Rate exceeded for shard shardId-0; InternalFailure ×1)',
    });
  });

  it('PutRecordBatch with every record refused (FailedPutCount = records): error', () => {
    const output = {
      FailedPutCount: 2,
      RequestResponses: [
        { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
        { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
      ],
    };
    const batch = batchResults(output)!;
    expect(batchFailure(batch.failed, 2, batch.errors)).toEqual({
      status: 'error',
      errorCode: 'PartialFailure',
      errorMessage: '2 of 2 records failed (ServiceUnavailableException ×2: Slow down.)',
    });
  });

  it('trusts the service’s own count when it is higher than the records with an error code', () => {
    const batch = batchResults({ FailedPutCount: 1, RequestResponses: [{ RecordId: 'a' }, { RecordId: 'b' }] })!;
    expect(batch.failed).toBe(1);
    expect(batchFailure(batch.failed, 2, batch.errors)).toMatchObject({ status: 'partial', errorMessage: '1 of 2 records failed' });
  });

  it('a batch without failures has nothing to report', () => {
    expect(batchResults({ FailedRecordCount: 0, Records: [{ ShardId: 's', SequenceNumber: '1' }] })!.failed).toBe(0);
  });
});
