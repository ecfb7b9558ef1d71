import { describe, expect, it } from 'vitest';
import { describeError, readableIssues, SluiceError } from './errors';

describe('describeError', () => {
  it("names fields as people read them, each field's first problem once", () => {
    const empty = new SluiceError('invalid-input', 'Could not rename the sync: the input is not valid', [
      { path: 'newName', message: 'The new name is required' },
      { path: 'newName', message: 'The new name starts with a letter or digit' },
    ]);
    expect(describeError(empty.toWire())).toBe('Could not rename the sync: the input is not valid — The new name is required');
    const broker = new SluiceError('invalid-input', 'The destination is not valid', [
      { path: 'brokers.0', message: 'A broker is host:port' },
      { path: 'brokers.1', message: 'A broker is host:port' },
      { path: 'tls.caPem', message: 'Not a PEM certificate' },
      { path: '', message: 'Something about the whole' },
    ]);
    expect(describeError(broker.toWire())).toBe(
      'The destination is not valid — brokers[0]: A broker is host:port; brokers[1]: A broker is host:port; tls.caPem: Not a PEM certificate; Something about the whole',
    );
  });

  it("lists issues for the app's banner the same way: paths as code, words as words", () => {
    expect(
      readableIssues([
        { path: 'to', message: 'The new name is required' },
        { path: 'to', message: 'The new name starts with a letter or digit' },
        { path: 'brokers.0', message: 'A broker is host:port' },
        { path: 'toString', message: 'x' },
      ]),
    ).toEqual([
      { field: '', path: false, message: 'The new name is required' },
      { field: 'brokers[0]', path: true, message: 'A broker is host:port' },
      { field: 'toString', path: true, message: 'x' },
    ]);
  });
});
