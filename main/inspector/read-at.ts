import type { InspectedRecord } from '../../shared/config/inspector';

/** One record read back at its place in a stream or topic (each kind's read-at: main/destinations/kinds/), compared with what was sent. */
export type ReadAt<K extends 'kinesis' | 'kafka'> = { kind: K; read: Extract<InspectedRecord, { kind: K }> | null; match: boolean; detail: string };

const retriable = (err: unknown): boolean => {
  const e = err as { retriable?: boolean; $retryable?: unknown } | undefined;
  return e?.retriable === true || e?.$retryable !== undefined;
};

/**
 * `read`, tried again while it fails with a refusal that kafkajs or the SDK calls retriable (a group
 * coordinator still loading: a broker just started, or under load, answers so for a few seconds), up to
 * 4 tries 0.5 s, 1 s and 1.5 s apart; other failures are thrown at once. `signal` stops waiting (the
 * read ends by its own bounds) and throws its reason.
 */
export async function retryingRetriable<T>(read: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (signal?.aborted) throw abortReason(signal);
      return await untilAborted(read(), signal);
    } catch (err) {
      const e = err as Error;
      // (A refusal Sluice has put in words keeps the client's error as its cause.)
      if (attempt < 4 && !signal?.aborted && [e, e.cause].some(retriable)) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        continue;
      }
      throw err;
    }
  }
}

/** Reads the record back (`retryingRetriable`); a failure is answered in its words. `signal`: a test record given up. */
export async function readBackOf<T>(read: () => Promise<T>, signal?: AbortSignal): Promise<T | { failed: string }> {
  try {
    return await retryingRetriable(read, signal);
  } catch (err) {
    return { failed: (err as Error).message };
  }
}

export const notRead = (failed: string) => ({ match: null, detail: `Sent, but it could not be read back: ${failed}`, read: null });

/** `answer`, unless `signal` aborts first: then an error with the signal's reason ("the test record was cancelled"). */
function untilAborted<T>(answer: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return answer;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const abortReason = (signal: AbortSignal): Error => new Error(signal.reason instanceof Error ? signal.reason.message : 'it was given up');
