import { useCallback, useState } from 'react';

/**
 * The state around a user's action that calls the engine: `busy` holds the running action's label
 * (null when idle), `error` what the last action threw (cleared when the next one starts).
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (label: string, work: () => Promise<void>) => {
    setBusy(label);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, setBusy, error, setError, run };
}
