import { describe, expect, it } from 'vitest';
import { stallWords } from './answer-watch';

describe('why a destination that settles nothing stopped a run', () => {
  it('says a destination whose requests timed out did not answer, one that refused could not be reached, and one that answered errors settled nothing', () => {
    // kafkajs' answer to a request a hung broker held, and the AWS SDK's to a silent endpoint: the broker accepted the connection.
    expect(stallWords({ code: 'KafkaJSRequestTimeoutError', message: 'Request Produce(key: 0, version: 7) timed out', unreachable: true })).toBe(
      'did not answer',
    );
    expect(stallWords({ code: 'TimeoutError', message: 'Connection timed out after 60000 ms', unreachable: true })).toBe('did not answer');
    expect(stallWords({ code: 'KafkaJSConnectionError', message: 'connect ECONNREFUSED 127.0.0.1:9092', unreachable: true })).toBe('could not be reached');
    expect(stallWords({ code: 'TimeoutError', message: 'socket hang up', unreachable: true })).toBe('could not be reached');
    expect(stallWords({ code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard', unreachable: false })).toBe('settled no record');
  });
});
