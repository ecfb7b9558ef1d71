import { describe, expect, it } from 'vitest';
import { packAnswer, packItems, unpackAnswer, unpackItems, type PoolItem, type PoolResult } from './render-wire';

// Work items and rendered records cross to and from render threads packed; what arrives must be
// exactly what left, whatever the text holds.

describe('render wire', () => {
  it('unpacks work items exactly as they were packed: any characters, empty strings, nulls, every event', () => {
    const items: PoolItem[] = [
      { key: '1', event: 'added', row: '{"id":1,"name":"Zoë 🚀"}', previous: null },
      { key: '["a\\n",2]', event: 'changed', row: '{"t":"line\\nbreak"}', previous: '{"t":"old"}' },
      { key: '', event: 'removed', row: '{}', previous: '{}' },
      { key: '𝄞\u0000\n', event: 'added', row: '{"x":"\u2028"}', previous: null },
    ];
    // Through a real clone, as postMessage sends it.
    expect(unpackItems(structuredClone(packItems(items)))).toEqual(items);
    expect(unpackItems(packItems([]))).toEqual([]);
  });

  it('answers payload bytes, tombstones, empty payloads and errors in their places', () => {
    const results: PoolResult[] = [
      { ok: true, data: Buffer.from('{"a":"é"}'), partitionKey: 'k1' },
      { ok: true, data: null, partitionKey: '', kafka: { topic: 't', key: 'k', partition: null, headers: {} } },
      { ok: false, error: 'Line 1: oops' },
      { ok: true, data: Buffer.from('x'), partitionKey: '', kafka: { topic: 't', key: null, partition: 0, headers: { event: 'added', 'trace-id': '' } } },
      { ok: true, data: Buffer.from('y'), partitionKey: '', kafka: { topic: 'u', key: 'k', partition: 7, headers: { event: 'added', 'trace-id': 'é\n' } } },
      { ok: true, data: Buffer.alloc(0), partitionKey: 'k3', explicitHashKey: '7' },
      { ok: true, data: Buffer.from([0, 255, 1]), partitionKey: 'k4' },
    ];
    const packed = packAnswer(results.map((r) => ({ ...r })));
    const back = unpackAnswer(structuredClone(packed, { transfer: [packed.blob] }));
    expect(back.map((r) => (r.ok ? { ...r, data: r.data && Buffer.from(r.data) } : r))).toEqual(results);
    expect(unpackAnswer(structuredClone(packAnswer([])))).toEqual([]);
  });

  it('keeps text that repeats the one before it, and nulls between repeats', () => {
    const items: PoolItem[] = ['a', 'a', '', '', 'a'].map((key, i) => ({
      key,
      event: 'added',
      row: i === 3 ? '{}' : '{"same":1}',
      previous: i % 2 ? null : '{}',
    }));
    expect(unpackItems(structuredClone(packItems(items)))).toEqual(items);
  });
});
