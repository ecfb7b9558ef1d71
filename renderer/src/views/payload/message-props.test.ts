import { describe, expect, it } from 'vitest';
import { messagePropsReady, type MessageProps } from './message-props';

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
});
