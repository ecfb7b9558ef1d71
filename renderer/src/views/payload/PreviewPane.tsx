import { useState, type ReactNode } from 'react';
import type { PayloadPreview, PreviewItem } from '../../../../shared/config/payload-preview';
import { rowPlace } from '../../../../shared/config/source';
import type { SyncEvent } from '../../../../shared/config/sync';
import { fmt } from '../../../../shared/format/format';
import type { RowsPick } from './use-payload-preview';

/** Why a row's buttons are off while the preview of the payload being edited is asked. */
export const EARLIER = 'This row is from the preview of an earlier payload: wait for the preview of the one being edited';

/** One previewed row: its bytes (or its error), what it is sent with, and its actions. */
function PreviewItemView({
  item,
  earlier,
  onSaveCase,
  actions,
}: {
  item: PreviewItem;
  /** The row is an earlier payload's: shown, but its buttons are off. */
  earlier: boolean;
  onSaveCase: (item: PreviewItem) => void;
  actions?: (item: PreviewItem, earlier: boolean) => ReactNode;
}) {
  return (
    <article className={earlier ? 'preview-item preview-earlier' : 'preview-item'} data-testid="preview-item" data-earlier={earlier || undefined}>
      <header className="row spread">
        <strong>
          key {item.key}
          {item.rowNumber !== null && <span className="muted"> · {rowPlace(item.rowUnit, item.rowNumber).toLowerCase()}</span>}
        </strong>
        <span className={item.bytes > item.limit ? 'danger' : 'muted'}>
          {fmt.number(item.bytes)} / {fmt.count(item.limit, 'byte')}
        </span>
      </header>
      {item.error ? (
        <div className="banner banner-error" role="alert">
          {item.error}
        </div>
      ) : (
        <>
          {item.pretty !== null ? (
            <pre className="code">{item.pretty}</pre>
          ) : item.data === null ? (
            <p className="muted">Tombstone (null value)</p>
          ) : (
            <pre className="code">{item.data}</pre> // nested too deep to indent: as sent
          )}
          <details>
            <summary>Exact bytes sent</summary>
            <pre className="code wire">{item.data ?? 'null'}</pre>
            {item.partitionKey !== null && <div className="muted small">partition key: {item.partitionKey}</div>}
            {item.kafka && (
              <div className="muted small">
                topic {item.kafka.topic} · key {item.kafka.key ?? 'null'} · partition {item.kafka.partition ?? 'by key'} · headers{' '}
                {JSON.stringify(item.kafka.headers)}
              </div>
            )}
          </details>
          {item.previousFrom === 'current-row' && <div className="muted small">No delivered version of this row yet: previous shows the current row.</div>}
          {/* A tombstone too: its case expects no value (null), as the run sends it. */}
          <button type="button" className="ghost small" disabled={earlier} title={earlier ? EARLIER : undefined} onClick={() => onSaveCase(item)}>
            Save as test case
          </button>
          {actions?.(item, earlier)}
        </>
      )}
    </article>
  );
}

/** The previewed rows, marked (their buttons off) while they are an earlier payload's. */
function PreviewRows({
  preview,
  earlier,
  onSaveCase,
  actions,
}: {
  preview: PayloadPreview;
  earlier: boolean;
  onSaveCase: (item: PreviewItem) => void;
  actions?: (item: PreviewItem, earlier: boolean) => ReactNode;
}) {
  return (
    <>
      {earlier && (
        <p className="muted small" role="status" data-testid="preview-earlier">
          Previewing your edit… the rows below are from before it.
        </p>
      )}
      {preview.items.length === 0 && preview.problems.length === 0 && <p className={earlier ? 'muted preview-earlier' : 'muted'}>No row matches.</p>}
      {preview.items.map((item) => (
        <PreviewItemView key={item.key} item={item} earlier={earlier} onSaveCase={onSaveCase} actions={actions} />
      ))}
    </>
  );
}

/** The preview of the payload on real rows: which rows, as which event, and each row's record. */
export function PreviewPane({
  previews,
  onRun,
  preview,
  earlier,
  missing,
  rows,
  setRows,
  event,
  setEvent,
  onSaveCase,
  actions,
}: {
  /** How many previews have come back (a run of the preview shows as one more). */
  previews: number;
  onRun: () => void;
  preview: PayloadPreview | null;
  /** `preview` is an earlier payload's (or settings'): shown marked so, its buttons off, until this one's answers. */
  earlier: boolean;
  /** What the payload or its properties lack (nothing is previewed until then), in words. */
  missing: string | null;
  rows: RowsPick;
  setRows: (r: RowsPick) => void;
  event: SyncEvent;
  setEvent: (e: SyncEvent) => void;
  onSaveCase: (item: PreviewItem) => void;
  /** More buttons under a previewed row that renders (e.g. send it as a test record). */
  actions?: (item: PreviewItem, earlier: boolean) => ReactNode;
}) {
  const [key, setKey] = useState('');
  // An answer for an earlier, complete payload is not this one's.
  const shown = missing === null ? preview : null;
  return (
    <section className="preview-pane" aria-label="Preview" data-previews={previews} aria-busy={shown !== null && earlier}>
      <div className="row">
        <select
          aria-label="Preview rows"
          value={rows.mode}
          onChange={(e) => setRows(e.target.value === 'key' ? { mode: 'key', key: key || '1' } : { mode: e.target.value as 'first' | 'random', count: 3 })}
        >
          <option value="first">First rows</option>
          <option value="random">Random sample</option>
          <option value="key">Row by key</option>
        </select>
        {rows.mode === 'key' && (
          <input
            aria-label="Preview key"
            placeholder="primary key"
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              if (e.target.value) setRows({ mode: 'key', key: e.target.value });
            }}
          />
        )}
        <select aria-label="Preview event" value={event} onChange={(e) => setEvent(e.target.value as SyncEvent)}>
          <option value="added">as added</option>
          <option value="changed">as changed</option>
          <option value="removed">as removed</option>
        </select>
        {shown && <span className="muted small">{fmt.duration(shown.renderMs)}</span>}
        <button type="button" className="ghost small-button" data-shortcut="run" title="Run the preview again (Ctrl/⌘+Enter)" onClick={onRun}>
          Run preview
        </button>
      </div>
      {missing !== null && (
        <div className="banner banner-warn" role="status" data-testid="preview-missing">
          <strong>{missing}.</strong> The preview shows once the payload and its message properties are complete.
        </div>
      )}
      {shown && <PreviewRows preview={shown} earlier={earlier} onSaveCase={onSaveCase} actions={actions} />}
    </section>
  );
}
