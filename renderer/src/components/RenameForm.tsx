import { useState } from 'react';

/** An inline rename: the new name, Rename and Cancel. `onTyping`: the name was edited (a refusal shown for the name typed before is stale). */
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
  return (
    <form
      className="card row"
      aria-label={`Rename ${name}`}
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
      <button type="submit" disabled={busy || !to.trim() || to.trim() === name}>
        {busy ? 'Renaming…' : 'Rename'}
      </button>
      <button type="button" className="ghost" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
