import { expect, it } from 'vitest';
import { DirectRecorder } from './pg-direct-record';
import { snapshotWrites } from './pg-snapshot-writes';

// No second connection (here nothing listens on the port; in life a role's CONNECTION LIMIT or a full
// server): rows go to the fallback, the workspace's outbox. A fallback that throws (the workspace locked
// past its busy timeout, a full disk) is the recorder's error, thrown by close, never a rejection nobody
// handles (which took the process down).
it('a fallback that throws is the error close throws, not an unhandled rejection', async () => {
  const escaped: unknown[] = [];
  const onEscaped = (err: unknown) => escaped.push(err);
  process.on('unhandledRejection', onEscaped);
  try {
    const recorder = new DirectRecorder(
      { host: '127.0.0.1', port: 1, user: 'x', database: 'x', connectionTimeoutMillis: 2000 },
      snapshotWrites('sluice_state.t', true),
      () => {
        throw new Error('database is locked');
      },
    );
    recorder.add([{ key: '1', event: 'changed', row: '{}', pg: { key: '1', fp: '1' } }]);
    await expect(recorder.paced().then(() => recorder.close())).rejects.toThrow('database is locked');
    expect(recorder.fallbackFailed).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(escaped).toEqual([]);
  } finally {
    process.off('unhandledRejection', onEscaped);
  }
});
