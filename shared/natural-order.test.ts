import { describe, expect, it } from 'vitest';
import { naturalCompare, topicOrder } from './natural-order';

describe('natural order', () => {
  it('orders numbers in names by value and letters without regard to case, the same way every time', () => {
    const names = ['topic-10', 'Topic-2', 'orders.v1', 'Orders.v2', 'topic-1', 'orders.v10', 'a', 'B', 'b', 'A'];
    expect([...names].sort(naturalCompare)).toEqual(['A', 'a', 'B', 'b', 'orders.v1', 'Orders.v2', 'orders.v10', 'topic-1', 'Topic-2', 'topic-10']);
  });

  it('puts internal Kafka topics last', () => {
    expect(['__consumer_offsets', 'zeta', '__transaction_state', 'Alpha', 'beta-10', 'beta-9'].sort(topicOrder)).toEqual([
      'Alpha',
      'beta-9',
      'beta-10',
      'zeta',
      '__consumer_offsets',
      '__transaction_state',
    ]);
  });
});
