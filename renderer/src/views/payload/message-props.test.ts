import { describe, expect, it } from 'vitest';
import { duplicateHeader, messagePropsMissing, messagePropsReady, type MessageProps } from './message-props';

const base: MessageProps = { partitionKey: { kind: 'primary-key' } };

describe('message properties ready to preview and save', () => {
  it('needs every column and template filled in', () => {
    expect(messagePropsReady(base)).toBe(true);
    expect(messagePropsReady({ partitionKey: { kind: 'column', column: '' } })).toBe(false);
    expect(messagePropsReady({ partitionKey: { kind: 'template', template: '  ' } })).toBe(false);
    expect(messagePropsReady({ ...base, explicitHashKey: { kind: 'column', column: 'h' } })).toBe(true);
    expect(messagePropsReady({ ...base, explicitHashKey: { kind: 'template', template: '' } })).toBe(false);
  });

  it('needs distinct, chosen columns for the first present partition key', () => {
    expect(messagePropsReady({ partitionKey: { kind: 'first-present', columns: ['a', 'b'] } })).toBe(true);
    expect(messagePropsReady({ partitionKey: { kind: 'first-present', columns: [] } })).toBe(false);
    expect(messagePropsReady({ partitionKey: { kind: 'first-present', columns: ['a', ''] } })).toBe(false);
    expect(messagePropsReady({ partitionKey: { kind: 'first-present', columns: ['a', 'a'] } })).toBe(false);
  });

  it("needs a Kafka message's fixed topic, sources and header names", () => {
    const kafka = { key: { kind: 'primary-key' as const }, headers: [], tombstones: false };
    expect(messagePropsReady({ ...base, kafka })).toBe(true);
    expect(messagePropsReady({ ...base, kafka: { ...kafka, topic: { kind: 'fixed', value: '' } } })).toBe(false);
    expect(messagePropsReady({ ...base, kafka: { ...kafka, key: { kind: 'column', column: '' } } })).toBe(false);
    expect(messagePropsReady({ ...base, kafka: { ...kafka, partition: { kind: 'template', template: '{{ row.p }}' } } })).toBe(true);
    expect(messagePropsReady({ ...base, kafka: { ...kafka, headers: [{ name: '', value: 'v' }] } })).toBe(false);
  });

  it('needs each Firehose route to match something and go somewhere', () => {
    const firehose = { routes: [{ match: '*', stream: 'd' }], unmatched: 'skip' as const };
    expect(messagePropsReady({ ...base, firehose })).toBe(true);
    expect(messagePropsReady({ ...base, firehose: { ...firehose, routes: [{ match: ' ', stream: 'd' }] } })).toBe(false);
    expect(messagePropsReady({ ...base, firehose: { ...firehose, routes: [{ match: 'a', stream: '' }] } })).toBe(false);
    expect(messagePropsReady({ ...base, firehose: { ...firehose, eventName: { kind: 'column', column: '' } } })).toBe(false);
  });

  it('says what is missing, naming the field', () => {
    const kafka = { key: { kind: 'primary-key' as const }, headers: [], tombstones: false };
    expect(messagePropsMissing(base)).toBeNull();
    expect(messagePropsMissing({ partitionKey: { kind: 'column', column: '' } })).toBe('Choose the column of the partition key');
    expect(messagePropsMissing({ partitionKey: { kind: 'first-present', columns: ['a', ''] } })).toBe('Partition key column 2 is not chosen');
    expect(messagePropsMissing({ ...base, kafka: { ...kafka, topic: { kind: 'fixed', value: '' } } })).toBe('Name the Kafka topic');
    expect(
      messagePropsMissing({
        ...base,
        kafka: {
          ...kafka,
          headers: [
            { name: 'a', value: '1' },
            { name: '', value: '2' },
          ],
        },
      }),
    ).toBe('Header 2 has no name');
    const firehose = { routes: [{ match: '*', stream: '' }], unmatched: 'skip' as const };
    expect(messagePropsMissing({ ...base, firehose })).toBe('Route 1 has no delivery stream');
  });

  it('refuses two headers of one name, as the engine does, naming both', () => {
    const kafka = { key: { kind: 'primary-key' as const }, tombstones: false };
    const headers = [
      { name: 'source', value: 'a' },
      { name: 'trace', value: 'b' },
      { name: 'source', value: 'c' },
    ];
    expect(duplicateHeader(headers)).toEqual({
      index: 2,
      first: 0,
      message: 'Two headers are named "source" (headers 1 and 3): Sluice sends one value per header name; rename one',
    });
    expect(messagePropsReady({ ...base, kafka: { ...kafka, headers } })).toBe(false);
    expect(duplicateHeader(headers.slice(0, 2))).toBeNull();
    // Unnamed headers are not duplicates of each other (each one's missing name is said first).
    expect(duplicateHeader([{ name: '' }, { name: '' }])).toBeNull();
  });
});
