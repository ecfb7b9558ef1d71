import type { ReactNode } from 'react';
import type { Sync } from '../../../../shared/config/sync';
import type { SyncSavePreview } from '../../../../shared/ipc/channels/sync-admin';
import { fmt } from '../../../../shared/format/format';

/**
 * How a save that starts the sync over begins the note: the engine says whether it does and why
 * (`SyncSavePreview.startsOver`), the destination's kind how its own settings send records elsewhere.
 */
export function startsOverBecause(why: NonNullable<SyncSavePreview['startsOver']>, elsewhere: string | undefined): string {
  return why === 'moved' ? 'With another model or destination' : (elsewhere ?? 'With its records sent elsewhere');
}

/**
 * Saving starts the sync over (another model or destination, or its own settings sending its records
 * elsewhere: a Kafka topic, Firehose routes): said before it is saved, in the sync settings form and in the
 * payload editor (which asks first: its buttons are `children`).
 */
export function StartsOver({
  snapshotRows,
  initialSync,
  because,
  kindChanges = false,
  models = null,
  children,
}: {
  snapshotRows: number;
  /** The first-run setting it is saved with: what its next run sends. */
  initialSync: Sync['initialSync'];
  /** What starts it over, as the sentence begins: "With another topic". */
  because: string;
  kindChanges?: boolean;
  /** The model it had and the one chosen, when another is chosen (its payload was written for the first's columns). */
  models?: { from: string; to: string } | null;
  children?: ReactNode;
}) {
  return (
    <div className="banner banner-warn" role="note" aria-label="Starts over">
      <strong>Saving starts this sync over.</strong>
      <div>
        {because}, its snapshot{snapshotRows > 0 ? ` of ${fmt.count(snapshotRows, 'row')}` : ''} is dropped and the next run is a first run again (
        {initialSync === 'backfill' ? 'every row is sent' : 'nothing is sent, later changes are'}). Its runs and ledger stay.
        {kindChanges && ' Settings of the old destination kind (Kafka message properties, Firehose routes, explicit hash key) are dropped.'}
      </div>
      {models !== null && (
        <div>
          Its payload and keys were written for the columns of “{models.from}”: check them in the <strong>Payload</strong> tab after saving (a column “
          {models.to}” lacks renders as nothing, and its rows are rejected).
        </div>
      )}
      {children}
    </div>
  );
}
