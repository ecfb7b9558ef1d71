import { useEffect, useState } from 'react';
import { AskToLeave } from './DiscardDialog';
import { useLeaveGuard } from './use-leave-guard';

/**
 * An inline rename: the new name, Rename and Cancel. `onTyping`: the name was edited (a refusal shown for the
 * name typed before is stale). A name typed that Rename would take holds in-app moves (another item, a section):
 * they ask Keep editing / Discard changes first (`use-leave-guard.ts`); Cancel (or Escape) drops it at once.
 * Once it closes, the keyboard focus goes back to what opened it (the item's Rename button), where it is still there.
 */
export function RenameForm({
  what,
  name,
  busy,
  onRename,
  onCancel,
  onTyping,
}: {
  what: string;
  name: string;
  busy: boolean;
  onRename(to: string): void;
  onCancel(): void;
  onTyping?(): void;
}) {
  const [to, setTo] = useState(name);
  const guard = useLeaveGuard(renameTyped(to, name));
  useFocusBackOnClose();
  return (
    <>
      <form
        className="card row"
        aria-label={`Rename ${name}`}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          onCancel();
        }}
        onSubmit={(e) => {
          e.preventDefault();
          onRename(to.trim());
        }}
      >
        <label className="field grow">
          <span>
            New name of the {what} “{name}”
          </span>
          <input aria-label="New name" value={to} autoFocus onChange={(e) => (setTo(e.target.value), onTyping?.())} />
        </label>
        <button type="submit" disabled={busy || !renameTyped(to, name)}>
          {busy ? 'Renaming…' : 'Rename'}
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </form>
      <AskToLeave guard={guard} title={`Discard the new name of the ${what} “${name}”?`} />
    </>
  );
}

/** When the form goes, focus what had it before the form opened (focus left on the page, not elsewhere). */
function useFocusBackOnClose(): void {
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(
    () => () => {
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost && opener?.isConnected) opener.focus();
    },
    [opener],
  );
}

/** A new name typed (`to`) that a rename of `name` would take: not blank, not the name it has. */
export function renameTyped(to: string, name: string): boolean {
  return to.trim() !== '' && to.trim() !== name;
}
