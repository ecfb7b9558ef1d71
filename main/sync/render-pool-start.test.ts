import type { Worker as RealWorker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { RenderPool } from './render-pool';

// A thread that cannot be started (out of memory, thread limit) must not leave the threads already
// started running: they would keep the process (the CLI) alive. The failure is injected: the second
// `new Worker` throws.

const started = vi.hoisted(() => ({ workers: [] as RealWorker[], n: 0 }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class SecondFails extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      if (++started.n === 2) throw new Error('Cannot start another thread');
      super(...args);
      started.workers.push(this);
    }
  }
  return { ...real, Worker: SecondFails, default: { ...real, Worker: SecondFails } };
});

describe('starting the render pool', () => {
  it('a thread that fails to start: the error is thrown and the threads already started are stopped', async () => {
    expect(
      () =>
        new RenderPool(
          { mode: 'template', template: '{"id": {{ row.id }}}' },
          { kind: 'primary-key' },
          undefined,
          { id: 1, sync: 's', startedAt: '2026-01-01T00:00:00Z' },
          3,
        ),
    ).toThrow('Cannot start another thread');
    expect(started.workers).toHaveLength(1);
    await vi.waitFor(() => expect(started.workers[0]!.threadId).toBe(-1), { timeout: 5000 });
  });
});
