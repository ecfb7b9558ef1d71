import { describe, expect, it } from 'vitest';
import { describeError, readableIssues, SluiceError } from '../../../shared/ipc/errors';
import { fieldLabel } from './field-labels';

describe("the app's words for a field a check names by its path", () => {
  it('labels fields as the forms do, a list item by its place from 1, and any other path in words', () => {
    expect(fieldLabel('from.offset')).toBe('Start offset');
    expect(fieldLabel('from.sequenceNumber')).toBe('Start sequence number');
    expect(fieldLabel('brokers.0')).toBe('Broker 1');
    expect(fieldLabel('brokers.11')).toBe('Broker 12');
    expect(fieldLabel('tls.caPem')).toBe('CA certificate');
    expect(fieldLabel('partitions.2')).toBe('Partition 3');
    expect(fieldLabel('settings.maxRemovalPercent')).toBe('Mass-removal limit');
    expect(fieldLabel('firehose.routes.1.deliveryStream')).toBe('Delivery stream (route 2)');
    expect(fieldLabel('create.replicationFactor')).toBe('Replication factor');
    expect(fieldLabel('name')).toBe('Name');
    expect(fieldLabel('debuggerRetentionDays')).toBe('Debugger retention');
  });

  it("lists the banner's issues and its one-line text with those words, never a path", () => {
    const refused = new SluiceError('invalid-input', 'Could not read records from the topic: the input is not valid', [
      { path: 'from.offset', message: 'An offset is a whole number, 0 or more, of at most 19 digits' },
      { path: 'brokers.0', message: 'A broker is host:port' },
      { path: 'brokers.0', message: 'A second problem of the same broker' },
      { path: '', message: 'Something about the whole' },
      { path: 'brokers.1', message: 'Broker 2 (kafka:99999): the port must be a number from 1 to 65535' },
    ]);
    expect(readableIssues(refused.issues, fieldLabel)).toEqual([
      { field: 'Start offset', path: false, message: 'An offset is a whole number, 0 or more, of at most 19 digits' },
      { field: 'Broker 1', path: false, message: 'A broker is host:port' },
      { field: '', path: false, message: 'Something about the whole' },
      { field: '', path: false, message: 'Broker 2 (kafka:99999): the port must be a number from 1 to 65535' },
    ]);
    expect(describeError(refused.toWire(), fieldLabel)).toBe(
      'Could not read records from the topic: the input is not valid — Start offset: An offset is a whole number, 0 or more, of at most 19 digits; Broker 1: A broker is host:port; Something about the whole; Broker 2 (kafka:99999): the port must be a number from 1 to 65535',
    );
  });
});
