/** Exponential backoff with equal jitter: half fixed, half random, capped. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /**
   * While the destination cannot be reached at all (connection refused or dropped, broker gone), a
   * record keeps being retried until its first attempt is this old, whatever its attempt count: a
   * broker restart or a network blip takes longer than six quick attempts.
   */
  unreachableMs?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, maxMs: 5000, maxAttempts: 6, unreachableMs: 60_000 };

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return exp / 2 + random() * (exp / 2);
}

/** Resolves after `ms`, or at once when `signal` aborts; its abort listener never outlives it. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
