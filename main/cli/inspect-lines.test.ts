// `sluice inspect`'s lines: a record whose text holds control characters (a newline, a tab, a terminal
// escape sequence) stays one line of tab-separated fields, its control characters written as JSON writes them.
import { describe, expect, it } from 'vitest';
import type { KafkaRecord, KinesisRecord } from '../../shared/config/inspector';
import { recordLine } from './inspect-command';

const data = (text: string, prettyJson: string | null = null) => ({ bytes: Buffer.byteLength(text), truncated: false, text, prettyJson, base64: null });

describe('sluice inspect, one record a line', () => {
  it('writes the newlines, tabs and escape sequences of text that is no JSON as \\n, \\t and \\u001b', () => {
    const record: KafkaRecord = {
      kind: 'kafka',
      topic: 'raw',
      partition: 0,
      offset: '7',
      key: 'k\t2',
      headers: [{ name: 'h\n', value: 'v\u009b' }],
      timestamp: '2026-01-01T00:00:00.000Z',
      value: data('line1\nline2\r\n\tTAB\u001b[2J\u007f'),
    };
    const line = recordLine(record);
    expect(line.split('\n')).toHaveLength(1);
    expect(line.split('\t')).toHaveLength(5);
    expect(line).toBe('raw-0@7\t2026-01-01T00:00:00.000Z\tkey k\\t2\th\\n=v\\u009b\tline1\\nline2\\r\\n\\tTAB\\u001b[2J\\u007f');
  });

  it('leaves JSON as sent, minified, and text without control characters as it is', () => {
    const record: KinesisRecord = {
      kind: 'kinesis',
      shardId: 'shardId-000000000000',
      sequenceNumber: '1',
      partitionKey: 'é 1',
      arrivalTimestamp: null,
      data: data('{ "a": "x\\ny", "n": 9007199254740993 }', '{}'),
    };
    expect(recordLine(record)).toBe('shardId-000000000000\t1\t\tpartition key é 1\t{"a":"x\\ny","n":9007199254740993}');
  });
});
