import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../../../shared/ipc/errors';
import { existingTarget } from './create-target-form';

describe('a "Create …" whose name is taken', () => {
  const spec = { kind: 'kafka', topic: 'orders', partitions: 3, replicationFactor: 1 } as const;
  const taken = new SluiceError('conflict', 'A topic named "orders" already exists on the cluster', [
    { path: 'create.topic', message: 'This topic already exists' },
  ]);

  it('stands for that existing topic, chosen and said to be used as it is', () => {
    expect(existingTarget(taken, spec, 'orders', 'topic')).toEqual({
      kind: 'kafka',
      name: 'orders',
      status: 'ACTIVE',
      ready: true,
      detail: 'The topic "orders" already exists — it will be used as it is (the settings chosen here are not applied)',
    });
  });

  it('stands for nothing when the create failed otherwise (the error is shown)', () => {
    expect(existingTarget(new SluiceError('invalid-input', 'Not allowed to create the topic'), spec, 'orders', 'topic')).toBeNull();
    expect(existingTarget(new Error('broker down'), spec, 'orders', 'topic')).toBeNull();
    expect(existingTarget(taken, spec, '', 'topic')).toBeNull();
  });
});
