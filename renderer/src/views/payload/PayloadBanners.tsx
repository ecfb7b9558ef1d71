import type { PreviewItem } from '../../../../shared/config/payload-preview';
import type { Payload, Sync } from '../../../../shared/config/sync';
import { fmt } from '../../../../shared/format/format';
import { StartsOver, startsOverBecause } from '../syncs/StartsOver';
import type { PendingStartOver } from './use-payload-save';

const MODES = [
  ['template', 'Liquid template'],
  ['json-column', 'One JSON column'],
  ['mapping', 'Field mapper'],
] as const;

/** The payload's mode tabs, and on the right what is unsaved, Revert and Save. */
export function PayloadToolbar({
  mode,
  onMode,
  dirty,
  justSaved,
  onRevert,
  blocked,
  blockedWhy,
  onSave,
}: {
  mode: Payload['mode'];
  onMode(mode: Payload['mode']): void;
  dirty: boolean;
  /** What the last save did, until the next edit: null before one. */
  justSaved: { startedOver: boolean } | null;
  onRevert(): void;
  blocked: boolean;
  blockedWhy: string | undefined;
  onSave(): void;
}) {
  return (
    <div className="row spread">
      <div className="segmented" role="tablist" aria-label="Payload mode">
        {MODES.map(([m, label]) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'active' : 'ghost'} onClick={() => onMode(m)}>
            {label}
          </button>
        ))}
      </div>
      <div className="row save-bar" data-testid="payload-save-bar">
        {dirty && (
          <span className="badge badge-partial" data-testid="unsaved-mark" title="The editor differs from the saved payload">
            Unsaved
          </span>
        )}
        {!dirty && justSaved && (
          <span className="muted" role="status">
            {justSaved.startedOver ? 'Saved: the sync starts over, its next run is a first run' : 'Saved'}
          </span>
        )}
        {dirty && (
          <button type="button" className="ghost" onClick={onRevert}>
            Revert to saved
          </button>
        )}
        {blocked && blockedWhy && (
          <span className="muted small" id="save-blocked-why" data-testid="save-blocked-why">
            {blockedWhy}
          </span>
        )}
        <button
          type="button"
          data-shortcut="save"
          disabled={blocked}
          title={blockedWhy ?? 'Save the payload (Ctrl/⌘+S)'}
          aria-describedby={blocked && blockedWhy ? 'save-blocked-why' : undefined}
          onClick={onSave}
        >
          Save payload
        </button>
      </div>
    </div>
  );
}

export function DraftNotice({ onDiscard, onKeep }: { onDiscard(): void; onKeep(): void }) {
  return (
    <div className="banner banner-warn draft-notice" data-testid="draft-notice">
      <span>This is an unsaved draft kept in this browser, not the saved payload.</span>
      <div className="row">
        <button type="button" className="ghost" onClick={onDiscard}>
          Discard draft
        </button>
        <button type="button" className="ghost" onClick={onKeep}>
          Keep editing it
        </button>
      </div>
    </div>
  );
}

/** Save was asked for while previewed rows do not render: save anyway, or keep editing. */
export function SaveConfirm({ failing, total, onSave, onKeep }: { failing: PreviewItem[]; total: number; onSave(): void; onKeep(): void }) {
  return (
    <div className="banner banner-warn save-confirm" role="alertdialog" aria-label="Save with rows that do not render">
      <span>
        <strong>
          {fmt.number(failing.length)} of {fmt.count(total, 'previewed row')} {fmt.noun(failing.length, ['does', 'do'])} not render
        </strong>{' '}
        — key {failing[0]!.key}: {failing[0]!.error}. A run would reject these rows and keep them pending.
      </span>
      <div className="row">
        <button type="button" onClick={onSave}>
          Save anyway
        </button>
        <button type="button" className="ghost" onClick={onKeep}>
          Keep editing
        </button>
      </div>
    </div>
  );
}

/**
 * Save was asked for and would start the sync over (its records sent elsewhere: another topic, a topic per
 * event, other routes): save and start over, or keep editing. While it runs, it cannot (the save is refused).
 */
export function StartOverConfirm({
  preview,
  initialSync,
  elsewhere,
  onSave,
  onKeep,
}: {
  preview: PendingStartOver['preview'];
  initialSync: Sync['initialSync'];
  /** How the destination's kind says its records go elsewhere ("With another topic"). */
  elsewhere: string | undefined;
  onSave(): void;
  onKeep(): void;
}) {
  return (
    <StartsOver snapshotRows={preview.snapshotRows} initialSync={initialSync} because={startsOverBecause(preview.startsOver, elsewhere)}>
      {preview.running && <p className="hint">The sync is running: wait for the run to end before changing where its records go, then save again.</p>}
      <div className="row">
        <button type="button" onClick={onSave} disabled={preview.running}>
          Save and start over
        </button>
        <button type="button" className="ghost" onClick={onKeep}>
          Keep editing
        </button>
      </div>
    </StartsOver>
  );
}
