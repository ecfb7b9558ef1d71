// The order people expect of names in a list: numbers inside them by value ("topic-2" before "topic-10"),
// letters without regard to case ("Orders" beside "orders"), and the same order on every machine.

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares two names naturally and case-insensitively; names equal so are ordered by their code units, so the order is total. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Kafka topics in natural order, the internal ones (`__consumer_offsets`, named with a leading `__`) last. */
export function topicOrder(a: string, b: string): number {
  const internal = Number(a.startsWith('__')) - Number(b.startsWith('__'));
  return internal || naturalCompare(a, b);
}
