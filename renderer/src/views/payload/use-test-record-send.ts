import { useCallback, useEffect, useRef, useState } from 'react';
import type { TestRecord, TestRecordRequest } from '../../../../shared/ipc/channels/streams';
import { SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';

/** Where one test record is: not sent yet, waiting for the destination (since `startedAt`), or ended. */
export type TestRecordSend =
  | { step: 'idle' }
  | { step: 'sending'; attempt: string; startedAt: number; cancelling: boolean }
  | { step: 'landed'; result: TestRecord }
  | { step: 'failed'; error: unknown }
  | { step: 'cancelled'; message: string };

/**
 * Sends a test record and lets the user give it up while it waits: each send carries an attempt id of
 * its own, which `cancel` hands to `cancelTestRecord`; the engine then answers the send as `cancelled`
 * (or, when it had already ended, with what it ended with). A send still waiting when the view goes is
 * given up too.
 */
export function useTestRecordSend(): {
  state: TestRecordSend;
  send(request: Omit<TestRecordRequest, 'attempt'>): Promise<void>;
  cancel(): void;
  dismiss(): void;
} {
  const { api } = useSession();
  const [state, setState] = useState<TestRecordSend>({ step: 'idle' });
  const waiting = useRef<string | null>(null);

  const send = useCallback(
    async (request: Omit<TestRecordRequest, 'attempt'>) => {
      const attempt = crypto.randomUUID();
      waiting.current = attempt;
      setState({ step: 'sending', attempt, startedAt: Date.now(), cancelling: false });
      try {
        const result = await api.sendTestRecord({ ...request, attempt });
        setState({ step: 'landed', result });
      } catch (error) {
        setState(error instanceof SluiceError && error.code === 'cancelled' ? { step: 'cancelled', message: error.message } : { step: 'failed', error });
      } finally {
        if (waiting.current === attempt) waiting.current = null;
      }
    },
    [api],
  );

  const cancel = useCallback(() => {
    const attempt = waiting.current;
    if (!attempt) return;
    setState((s) => (s.step === 'sending' && s.attempt === attempt ? { ...s, cancelling: true } : s));
    // (The send answers for itself: `cancelled`, or what it had already ended with.)
    api.cancelTestRecord({ attempt }).catch(() => undefined);
  }, [api]);

  useEffect(
    () => () => {
      if (waiting.current) api.cancelTestRecord({ attempt: waiting.current }).catch(() => undefined);
    },
    [api],
  );

  return { state, send, cancel, dismiss: useCallback(() => setState({ step: 'idle' }), []) };
}

/** Whole seconds since `since` (a time in ms), counted on while it is set. */
export function useSecondsSince(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}
