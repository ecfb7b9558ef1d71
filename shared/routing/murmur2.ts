/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), the hash of the Java client's and
 * kafkajs' default partitioner: partition = toPositive(murmur2(keyBytes)) % numPartitions.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const encoder = new TextEncoder();

/** ASCII keys (the usual case) are hashed from here, without a new array per key. */
let ascii = new Uint8Array(256);

/** Copies an ASCII string's bytes into `ascii`; false (and nothing useful copied) when it is not ASCII. */
function copyAscii(text: string): boolean {
  if (text.length > ascii.length) ascii = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return false;
    ascii[i] = c;
  }
  return true;
}

/** The signed 32-bit murmur2 hash of the key's bytes (a string is taken as UTF-8). */
export function murmur2(input: string | Uint8Array): number {
  let data: Uint8Array;
  let length: number;
  if (typeof input !== 'string') {
    data = input;
    length = input.length;
  } else if (copyAscii(input)) {
    data = ascii; // read after copyAscii, which may have replaced it with a larger one
    length = input.length;
  } else {
    data = encoder.encode(input);
    length = data.length;
  }
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest >= 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a keyed record without an explicit partition. */
export function kafkaPartitionFor(key: string | Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) throw new RangeError(`A topic has at least one partition (got ${numPartitions})`);
  return toPositive(murmur2(key)) % numPartitions;
}
