import type { InspectedRecord } from '../../shared/config/inspector';

/** One record read back at its place in a stream or topic (each kind's read-at: main/destinations/kinds/), compared with what was sent. */
export type ReadAt<K extends 'kinesis' | 'kafka'> = { kind: K; read: Extract<InspectedRecord, { kind: K }> | null; match: boolean; detail: string };

const retriable = (err: unknown): boolean => {
  const e = err as { retriable?: boolean; $retryable?: unknown } | undefined;
  return e?.retriable === true || e?.$retryable !== undefined;
};

/** Reads the record back; a refusal that kafkajs or the SDK calls retriable (a coordinator still loading) is tried again. */
export async function readBackOf<T>(read: () => Promise<T>): Promise<T | { failed: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const e = err as Error;
      // (A refusal Sluice has put in words keeps the client's error as its cause.)
      if (attempt < 4 && [e, e.cause].some(retriable)) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        continue;
      }
      return { failed: e.message };
    }
  }
}

export const notRead = (failed: string) => ({ match: null, detail: `Sent, but it could not be read back: ${failed}`, read: null });
