import { startTransition, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PayloadPreview } from '../../../shared/config/payload-preview';
import type { Column } from '../../../shared/config/source';
import type { Payload, Sync, SyncEvent } from '../../../shared/config/sync';
import { mappingToTemplate } from '../../../shared/payload/mapping-template';
import { diagnoseTemplate, explainSyntaxError, parseTemplate, type TemplateDiagnostic } from '../../../shared/payload/template-diagnostics';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSession } from '../api/context';
import { queryKeys, useDebounced, useDestinations, useDismissable, useLastAnswer } from '../api/queries';
import { formatTemplate } from '../../../shared/payload/format-template';
import { setCompletionColumns } from '../editor/completion-columns';
import { TemplateEditor, type TemplateEditorHandle } from '../editor/lazy';
import { ErrorBanner } from '../components/ErrorBanner';
import { SplitDivider } from '../components/SplitDivider';
import type { PreviewItem } from '../../../shared/config/payload-preview';
import { clearDraft, differsFromSaved, draftOf, readDraft, writeDraft, type PayloadDraft } from './payload/drafts';
import { MessageProperties, messagePropsReady, type MessageProps } from './payload/MessageProperties';
import { RoutingPreview } from './payload/RoutingPreview';
import { SendTestRecord } from './payload/SendTestRecord';
import { TemplateTests } from './payload/TemplateTests';
import { useOutputDiagnostics } from './payload/useOutputDiagnostics';
import './payload/payload-editor.css';
import { fmt } from '../../../shared/format/format';

type Mode = Payload['mode'];
type RowsPick = { mode: 'first'; count: number } | { mode: 'key'; key: string } | { mode: 'random'; count: number };

const propsOf = (sync: Sync): MessageProps => ({
  partitionKey: sync.partitionKey,
  explicitHashKey: sync.explicitHashKey,
  kafka: sync.kafka,
  firehose: sync.firehose,
});

/** JSON with object keys sorted and undefined left out: two equal values give the same text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** The payload editor: a Liquid template in Monaco, one JSON column, or a field mapper, with a live preview on real rows. */
export function PayloadEditor({ sync, onSaved }: { sync: Sync; onSaved: (sync: Sync) => void }) {
  // Each sync gets its own editor (text, undo history, draft).
  return <SyncPayloadEditor key={sync.name} sync={sync} onSaved={onSaved} />;
}

function SyncPayloadEditor({ sync, onSaved }: { sync: Sync; onSaved: (sync: Sync) => void }) {
  const { api } = useSession();
  /** The payload and message properties as saved: what "unsaved" compares with and Revert goes back to. */
  const [saved, setSaved] = useState<Sync>(sync);
  const [restored] = useState(() => {
    const draft = readDraft(sync);
    return draft && differsFromSaved(draft, sync.payload) ? draft : null;
  });
  const initial = restored ?? draftOf(sync.payload);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [template, setTemplate] = useState(initial.template);
  const [column, setColumn] = useState(initial.column);
  const [fields, setFields] = useState(initial.fields);
  /** Bumped when the template changes from outside the editor (Revert, Discard, the mapper). */
  const [revision, setRevision] = useState(0);
  const [draftNotice, setDraftNotice] = useState(restored !== null);
  const [columns, setColumns] = useState<Column[]>([]);
  const [rows, setRows] = useState<RowsPick>({ mode: 'first', count: 3 });
  const [event, setEvent] = useState<SyncEvent>('added');
  const [error, setError] = useState<unknown>(null);
  const [justSaved, setJustSaved] = useState(false);
  /** Save was asked for while previewed rows do not render: confirm (for this payload and these rows only). */
  const [confirmFor, setConfirm] = useState<{ key: string; failing: PreviewItem[]; total: number } | null>(null);
  const [props, setProps] = useState<MessageProps>(() => propsOf(sync));
  const destination = useDestinations().data?.find((d) => d.name === sync.destination);
  const [testsVersion, setTestsVersion] = useState(0);
  const editor = useRef<TemplateEditorHandle | null>(null);
  const [formatNote, setFormatNote] = useState<string | null>(null);
  /** Bumped by Ctrl/Cmd+Enter or the preview's Run button: the same rows (or a new random sample) again. */
  const [previewRun, setPreviewRun] = useState(0);
  // The editor | preview split: the editor's share of the width, remembered in this browser.
  const splitBox = useRef<HTMLDivElement | null>(null);
  const [share, setShare] = useState(savedShare);
  /** The width last set by the divider (px), for its aria-valuenow. */
  const [editorPx, setEditorPx] = useState<number | null>(null);
  const resizeEditor = (px: number) => {
    const room = Math.max(1, (splitBox.current?.getBoundingClientRect().width ?? 0) - SPLIT_GUTTER);
    // Each side keeps its least width; where there is no room for both, they stay half and half.
    const lo = Math.min(EDITOR_MIN, room / 2);
    const hi = Math.max(room - PREVIEW_MIN, room / 2);
    const next = Math.min(hi, Math.max(lo, px)) / room;
    setShare(next);
    setEditorPx(px);
    window.localStorage.setItem(SPLIT_KEY, next.toFixed(4));
  };
  const measureEditor = () => splitBox.current?.querySelector('[data-testid="editor-pane"]')?.getBoundingClientRect().width ?? EDITOR_MIN;
  const propsReady = messagePropsReady(props);

  const draft: PayloadDraft = useMemo(() => ({ mode, template, column, fields }), [mode, template, column, fields]);
  const payloadDirty = differsFromSaved(draft, saved.payload);
  const dirty = payloadDirty || stableJson(props) !== stableJson(propsOf(saved));

  const apply = useCallback((next: PayloadDraft, nextProps: MessageProps) => {
    setMode(next.mode);
    setTemplate(next.template);
    setColumn(next.column);
    setFields(next.fields);
    setProps(nextProps);
    setRevision((r) => r + 1);
  }, []);

  // Typing renders the rest of the editor (preview, tests, draft) at a lower priority than the keys.
  const onTemplateChange = useCallback((text: string) => startTransition(() => setTemplate(text)), []);

  const revert = () => {
    apply(draftOf(saved.payload), propsOf(saved));
    clearDraft(sync.name);
    setDraftNotice(false);
    setConfirm(null);
  };

  // The sync changed from outside (saved elsewhere, config applied): a new baseline; the text follows
  // it unless there are unsaved edits, which are kept.
  const latest = useRef({ saved, dirty });
  useEffect(() => {
    latest.current = { saved, dirty };
  });
  useEffect(() => {
    const before = latest.current;
    if (stableJson([before.saved.payload, propsOf(before.saved)]) === stableJson([sync.payload, propsOf(sync)])) return;
    setSaved(sync);
    if (!before.dirty) apply(draftOf(sync.payload), propsOf(sync));
  }, [sync, apply]);

  // Unsaved edits are kept in this browser until saved or discarded.
  useEffect(() => {
    if (payloadDirty) writeDraft(sync.name, draft);
    else clearDraft(sync.name);
  }, [sync.name, draft, payloadDirty]);

  const saveCase = async (item: PreviewItem) => {
    if (item.data === null) return;
    try {
      await api.saveTemplateTest({ sync: sync.name, key: item.key, event: item.event, expected: item.data });
      setTestsVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    api.previewModel({ model: sync.model, limit: 1 }).then((p) => {
      setColumns(p.columns);
      setCompletionColumns(p.columns);
    }, setError);
  }, [api, sync.model]);

  const payload: Payload | null =
    mode === 'template'
      ? { mode, template }
      : mode === 'json-column'
        ? column
          ? { mode, column }
          : null
        : fields.every((f) => f.column && f.key)
          ? { mode, fields }
          : null;

  // Live preview, asked once the payload has rested 200 ms; the answer shown is always the latest question's.
  const previewKey = JSON.stringify([payload, propsReady ? props : null, rows, event, previewRun]);
  const requestPreview = useCallback(
    (p: Payload, m: MessageProps = props, r: RowsPick = rows, e: SyncEvent = event) =>
      api.previewPayload({
        model: sync.model,
        destination: sync.destination,
        sync: sync.name,
        payload: p,
        partitionKey: m.partitionKey,
        explicitHashKey: m.explicitHashKey,
        kafka: m.kafka,
        rows: r,
        event: e,
      }),
    [api, sync.model, sync.destination, sync.name, props, rows, event],
  );
  const asked = useDebounced(previewKey, 200);
  const askedReady = useMemo(() => {
    const [p, m] = JSON.parse(asked) as unknown[];
    return p !== null && m !== null;
  }, [asked]);
  const livePreview = useQuery({
    queryKey: queryKeys.payloadPreview(sync, asked),
    queryFn: () => {
      const [p, m, r, e] = JSON.parse(asked) as [Payload, MessageProps, RowsPick, SyncEvent];
      return requestPreview(p, m, r, e);
    },
    enabled: askedReady,
    placeholderData: keepPreviousData,
  });
  // The last answer stays on screen while the next is asked and when it fails; `answered` says whose it is.
  const shown = useLastAnswer(livePreview.data);
  const answered = livePreview.data !== undefined && !livePreview.isPlaceholderData ? asked : null;
  // How many answers have been shown (a run of the preview shows as one more): the pane's data-previews.
  const [count, setCount] = useState({ at: 0, previews: 0 });
  if (answered !== null && livePreview.dataUpdatedAt !== count.at) setCount({ at: livePreview.dataUpdatedAt, previews: count.previews + 1 });
  const previews = count.previews;
  const preview = useMemo(() => (shown ? { key: answered, value: shown } : null), [shown, answered]);
  const fresh = preview?.key === previewKey ? preview.value : null;
  const [previewError, dismissPreviewError] = useDismissable(livePreview.error);
  const confirm = confirmFor?.key === previewKey ? confirmFor : null;

  // What is wrong with the template: its syntax and unknown variables at once, as you type; output
  // that is not JSON once the preview has rendered the rows.
  const columnNames = useMemo(() => columns.map((c) => c.name), [columns]);
  // Checked a moment behind the typing when keys come fast: the editor never waits for the check.
  const checked = useDeferredValue(template);
  const local = useMemo(() => (mode === 'template' ? diagnoseTemplate(checked, columnNames) : { syntax: null, warnings: [] }), [mode, checked, columnNames]);
  const engineSyntax = fresh?.problems.find((p) => p.where === 'payload template');
  const syntax =
    local.syntax ?? (engineSyntax && mode === 'template' ? explainSyntaxError(template, engineSyntax.message, engineSyntax.line, engineSyntax.column) : null);
  const outputErrors = useOutputDiagnostics(api, mode === 'template' && !syntax ? template : null, fresh, { model: sync.model, sync: sync.name, rows, event });
  const diagnostics = useMemo<TemplateDiagnostic[]>(
    () => (mode !== 'template' ? [] : syntax ? [syntax] : [...outputErrors, ...local.warnings]),
    [mode, syntax, outputErrors, local.warnings],
  );
  const otherProblems = (preview?.value.problems ?? []).filter((p) => p.where !== 'payload template');
  const blocked = !payload || !propsReady || syntax !== null || (preview?.value.problems.length ?? 0) > 0;

  const save = async (anyway: boolean) => {
    if (!payload || blocked || (payload.mode === 'template' && !parseTemplate(payload.template).ok)) return;
    setJustSaved(false);
    try {
      // Save what the preview says about this very payload: a stale or pending preview is asked again.
      const check = fresh ?? (await requestPreview(payload));
      if (check.problems.length > 0) return;
      const failing = check.items.filter((i) => i.error !== null);
      if (failing.length > 0 && !anyway) {
        setConfirm({ key: previewKey, failing, total: check.items.length });
        return;
      }
      const result = await api.saveSync({ ...sync, payload, ...props });
      setSaved(result);
      onSaved(result);
      clearDraft(sync.name);
      setDraftNotice(false);
      setConfirm(null);
      setJustSaved(true);
    } catch (err) {
      setError(err);
    }
  };

  const format = () => {
    const result = formatTemplate(template);
    if (!result.ok) setFormatNote(result.reason);
    else if (result.text === template) setFormatNote('Already formatted.');
    else {
      // Through the editor: one edit Undo takes back, and the change comes up as typing does.
      editor.current?.replaceText(result.text);
      setFormatNote(null);
    }
    editor.current?.focus();
  };

  const blockedWhy = syntax
    ? 'Fix the template first'
    : !payload || !propsReady
      ? 'Complete the payload first'
      : otherProblems.length
        ? 'Fix the template problems first'
        : undefined;

  return (
    <div className="payload-editor">
      <div className="row spread">
        <div className="segmented" role="tablist" aria-label="Payload mode">
          {(
            [
              ['template', 'Liquid template'],
              ['json-column', 'One JSON column'],
              ['mapping', 'Field mapper'],
            ] as const
          ).map(([m, label]) => (
            <button key={m} type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'active' : 'ghost'} onClick={() => setMode(m)}>
              {label}
            </button>
          ))}
        </div>
        <div className="row">
          {dirty && (
            <span className="badge badge-partial" data-testid="unsaved-mark" title="The editor differs from the saved payload">
              Unsaved
            </span>
          )}
          {!dirty && justSaved && (
            <span className="muted" role="status">
              Saved
            </span>
          )}
          {dirty && (
            <button type="button" className="ghost" onClick={revert}>
              Revert to saved
            </button>
          )}
          <button type="button" data-shortcut="save" disabled={blocked} title={blockedWhy ?? 'Save the payload (Ctrl/⌘+S)'} onClick={() => void save(false)}>
            Save payload
          </button>
        </div>
      </div>
      {draftNotice && dirty && (
        <div className="banner banner-warn draft-notice" data-testid="draft-notice">
          <span>This is an unsaved draft kept in this browser, not the saved payload.</span>
          <div className="row">
            <button type="button" className="ghost" onClick={revert}>
              Discard draft
            </button>
            <button type="button" className="ghost" onClick={() => setDraftNotice(false)}>
              Keep editing it
            </button>
          </div>
        </div>
      )}
      {confirm && (
        <div className="banner banner-warn save-confirm" role="alertdialog" aria-label="Save with rows that do not render">
          <span>
            <strong>
              {fmt.number(confirm.failing.length)} of {fmt.count(confirm.total, 'previewed row')} {fmt.noun(confirm.failing.length, ['does', 'do'])} not render
            </strong>{' '}
            — key {confirm.failing[0]!.key}: {confirm.failing[0]!.error}. A run would reject these rows and keep them pending.
          </span>
          <div className="row">
            <button type="button" onClick={() => void save(true)}>
              Save anyway
            </button>
            <button type="button" className="ghost" onClick={() => setConfirm(null)}>
              Keep editing
            </button>
          </div>
        </div>
      )}
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {previewError !== null && <ErrorBanner error={previewError} onDismiss={dismissPreviewError} />}
      <div
        className="editor-split payload-split"
        ref={splitBox}
        style={
          share === null
            ? undefined
            : { gridTemplateColumns: `minmax(min(${EDITOR_MIN}px, 45%), ${share}fr) 12px minmax(min(${PREVIEW_MIN}px, 45%), ${1 - share}fr)` }
        }
      >
        <div className="editor-pane" data-testid="editor-pane">
          <div hidden={mode !== 'template'}>
            <div className="editor-toolbar">
              <p className="muted small">
                Liquid in JSON. Text values need quotes — or the <code>json</code> filter, which adds them and escapes: <code>{'{{ row.name | json }}'}</code>
              </p>
              <button
                type="button"
                className="ghost small-button"
                disabled={syntax !== null}
                title={syntax ? 'Fix the template first' : 'Lay out the JSON one member per line (what is sent stays the same)'}
                onClick={format}
              >
                Format
              </button>
            </div>
            {formatNote && (
              <p className="muted small" role="status" data-testid="format-note">
                {formatNote}
              </p>
            )}
            <div className="monaco" data-testid="template-editor">
              <TemplateEditor
                value={template}
                revision={revision}
                onChange={onTemplateChange}
                diagnostics={diagnostics}
                height={360}
                ariaLabel="Payload template"
                handle={editor}
              />
            </div>
            {diagnostics.map((d, i) => (
              <div
                key={`${d.line}:${d.column}:${i}`}
                className={`banner ${d.severity === 'error' ? 'banner-error' : 'banner-warn'} diagnostic`}
                role={d.severity === 'error' ? 'alert' : 'note'}
                data-testid={d.severity === 'error' ? 'template-problem' : 'template-warning'}
              >
                <span>
                  <button type="button" className="link" onClick={() => editor.current?.reveal(d)}>
                    Line {d.line}, column {d.column}
                  </button>
                  : {d.message}
                </span>
              </div>
            ))}
          </div>
          {otherProblems.map((p, i) => (
            <div key={i} className="banner banner-error" role="alert" data-testid="template-problem">
              {`The ${p.where}: `}
              {p.line !== null ? `Line ${p.line}, column ${p.column}: ` : ''}
              {p.message}
            </div>
          ))}
          {mode === 'json-column' && (
            <label className="field">
              <span>Column that holds the JSON</span>
              <select aria-label="JSON column" value={column} onChange={(e) => setColumn(e.target.value)}>
                <option value="">Choose a column…</option>
                {columns.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name} ({c.type})
                  </option>
                ))}
              </select>
            </label>
          )}
          {mode === 'mapping' && (
            <div className="mapper">
              {fields.map((f, i) => (
                <div className="row" key={i}>
                  <select
                    aria-label={`Column ${i + 1}`}
                    value={f.column}
                    onChange={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, column: e.target.value, key: x.key || e.target.value } : x)))}
                  >
                    <option value="">Column…</option>
                    {columns.map((c) => (
                      <option key={c.name} value={c.name}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                  <span>→</span>
                  <input
                    aria-label={`Key ${i + 1}`}
                    placeholder="key, or a.b.c to nest"
                    value={f.key}
                    onChange={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
                  />
                  <button type="button" className="ghost" aria-label={`Remove field ${i + 1}`} onClick={() => setFields(fields.filter((_, j) => j !== i))}>
                    ×
                  </button>
                </div>
              ))}
              <div className="row">
                <button type="button" className="ghost" onClick={() => setFields([...fields, { column: '', key: '' }])}>
                  Add field
                </button>
                <button
                  type="button"
                  className="ghost"
                  disabled={!payload}
                  onClick={() => {
                    setTemplate(mappingToTemplate(fields));
                    setRevision((r) => r + 1);
                    setMode('template');
                  }}
                >
                  Turn into a Liquid template
                </button>
              </div>
            </div>
          )}
        </div>
        <SplitDivider
          container={splitBox}
          pane="start"
          width={editorPx}
          measure={measureEditor}
          onWidth={resizeEditor}
          min={EDITOR_MIN}
          otherMin={PREVIEW_MIN}
          label="Resize the editor and the preview"
          testId="payload-split"
        />
        <PreviewPane
          previews={previews}
          onRun={() => setPreviewRun((n) => n + 1)}
          preview={preview?.value ?? null}
          rows={rows}
          setRows={setRows}
          event={event}
          setEvent={setEvent}
          onSaveCase={(item) => void saveCase(item)}
          actions={
            payload && propsReady && !blocked
              ? (item) => <SendTestRecord sync={sync.name} destination={sync.destination} payload={payload} props={props} item={item} />
              : undefined
          }
        />
      </div>
      <div className="editor-split">
        <div>
          <MessageProperties destination={destination} columns={columns} value={props} onChange={setProps} />
          <TemplateTests sync={sync.name} payload={payload} version={testsVersion} />
        </div>
        {destination && <RoutingPreview sync={sync.name} props={props} ready={propsReady} rows={rows} />}
      </div>
    </div>
  );
}

const EDITOR_MIN = 320;
const PREVIEW_MIN = 300;
const SPLIT_KEY = 'sluice.payloadEditor.split';
/** The divider's column and the gaps beside it. */
const SPLIT_GUTTER = 20;

function savedShare(): number | null {
  const saved = Number(window.localStorage.getItem(SPLIT_KEY));
  return saved > 0 && saved < 1 ? saved : null;
}

function PreviewPane({
  previews,
  onRun,
  preview,
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
  rows: RowsPick;
  setRows: (r: RowsPick) => void;
  event: SyncEvent;
  setEvent: (e: SyncEvent) => void;
  onSaveCase: (item: PreviewItem) => void;
  /** More buttons under a previewed row that renders (e.g. send it as a test record). */
  actions?: (item: PreviewItem) => ReactNode;
}) {
  const [key, setKey] = useState('');
  return (
    <section className="preview-pane" aria-label="Preview" data-previews={previews}>
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
        {preview && <span className="muted small">{fmt.duration(preview.renderMs)}</span>}
        <button type="button" className="ghost small-button" data-shortcut="run" title="Run the preview again (Ctrl/⌘+Enter)" onClick={onRun}>
          Run preview
        </button>
      </div>
      {preview?.items.length === 0 && preview.problems.length === 0 && <p className="muted">No row matches.</p>}
      {preview?.items.map((item) => (
        <article key={item.key} className="preview-item" data-testid="preview-item">
          <header className="row spread">
            <strong>
              key {item.key}
              {item.rowNumber !== null && <span className="muted"> · row {item.rowNumber}</span>}
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
              {item.pretty !== null ? <pre className="code">{item.pretty}</pre> : <p className="muted">Tombstone (null value)</p>}
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
              {item.data !== null && (
                <button type="button" className="ghost small" onClick={() => onSaveCase(item)}>
                  Save as test case
                </button>
              )}
              {actions?.(item)}
            </>
          )}
        </article>
      ))}
    </section>
  );
}
