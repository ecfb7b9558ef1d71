import { useEffect, useRef, useState } from 'react';
import { askFirst, holdLeaving } from './leave-guard';

export interface LeaveGuardOptions {
  /** The draft is kept across a close (the payload editor's, in the browser's storage): closing asks nothing. */
  keptOnClose?: boolean;
  /**
   * Whether the draft has changes at this very moment, for a draft whose `dirty` comes a render late (the
   * payload editor renders typing at a lower priority): a move right after a keystroke asks too.
   */
  changedNow?: () => boolean;
}

/**
 * Asks before a draft with changes (`dirty`) is left, in the app: by its own Cancel (`leave`), or by any
 * move of the address, which is held back (`leave-guard.ts`) until the user answers (`asking`): Keep editing
 * (`keep`) stays, Discard (`discard`) runs `onDiscard` (what the draft's Cancel undoes, such as secrets it put
 * in the keychain) and goes where they were going (another draft with changes asks next). Nothing is asked
 * without changes, or once they are saved (the draft is gone then). Closing or reloading the tab or window
 * asks too: the browser's own question in the browser host; in Electron, which asks nothing for
 * `beforeunload`, the main process's (`main/electron/unload-question.ts`), unless the draft is kept across a
 * close (`keptOnClose`). A move the draft makes itself (its own Rename) asks the other drafts only
 * (`askOthers`). `AskToLeave` shows the in-app question.
 */
export function useLeaveGuard(dirty: boolean, onDiscard?: () => void | Promise<void>, { keptOnClose = false, changedNow }: LeaveGuardOptions = {}) {
  const [leaving, setLeaving] = useState<{ go: () => void } | null>(null);
  const dirtyRef = useRef(dirty);
  const changedRef = useRef(changedNow);
  const discarding = useRef(onDiscard);
  const release = useRef<(() => void) | null>(null);
  // This draft's question, the same function while it is shown (`askOthers` leaves it out).
  const [ask] = useState(() => (go: () => void) => setLeaving({ go }));
  useEffect(() => {
    dirtyRef.current = dirty;
    changedRef.current = changedNow;
    discarding.current = onDiscard;
  });
  const changed = () => dirtyRef.current || (changedRef.current?.() ?? false);

  const watching = changedNow !== undefined;
  useEffect(() => {
    if (!dirty && !watching) return;
    const stop = holdLeaving(ask, () => dirtyRef.current || (changedRef.current?.() ?? false));
    release.current = stop;
    return stop;
  }, [dirty, watching, ask]);

  useEffect(() => {
    if (!dirty || keptOnClose) return;
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty, keptOnClose]);

  return {
    asking: leaving !== null,
    /** Goes at once without changes; else asks first. */
    leave: (go: () => void) => (changed() ? setLeaving({ go }) : go()),
    /** A move this draft makes itself (its own Rename): asked of the other drafts with changes only. */
    askOthers: (go: () => void) => askFirst(go, ask),
    keep: () => setLeaving(null),
    discard: () => {
      release.current?.();
      setLeaving(null);
      void discarding.current?.();
      leaving?.go();
    },
  };
}

export type LeaveGuard = ReturnType<typeof useLeaveGuard>;
