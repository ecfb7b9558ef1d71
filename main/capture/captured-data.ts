import { utf8OrNull } from '../inspector/record-data';

/** A record's bytes for the captured table: text when they are UTF-8, else base64 with the flag set. */
export function capturedData(bytes: Uint8Array | null): { data: string | null; dataIsBase64: boolean } {
  if (bytes === null) return { data: null, dataIsBase64: false };
  const text = utf8OrNull(bytes);
  return text !== null ? { data: text, dataIsBase64: false } : { data: Buffer.from(bytes).toString('base64'), dataIsBase64: true };
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
