import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import type { PayloadPreview } from '../../../shared/config/payload-preview';
import type { Column } from '../../../shared/config/source';
import type { Payload, Sync, SyncEvent } from '../../../shared/config/sync';
import { mappingToTemplate } from '../../../shared/payload/mapping-template';
import { useSession } from '../api/context';
import { LIQUID_JSON, registerLiquidJson, setCompletionColumns } from '../editor/monaco-setup';
import { ErrorBanner } from '../components/ErrorBanner';
import type { Destination } from '../../../shared/config/destination';
import type { PreviewItem } from '../../../shared/config/payload-preview';
import { MessageProperties, messagePropsReady, type MessageProps } from './payload/MessageProperties';
import { RoutingPreview } from './payload/RoutingPreview';
import { TemplateTests } from './payload/TemplateTests';

type Mode = Payload['mode'];
type RowsPick = { mode: 'first'; count: number } | { mode: 'key'; key: string } | { mode: 'random'; count: number };

const monaco = registerLiquidJson();
const DRAFT_KEY = (sync: string) => `sluice.draft.${sync}`;

/** The payload editor: a Liquid template in Monaco, one JSON column, or a field mapper, with a live preview on real rows. */
export function PayloadEditor({ sync, onSaved }: { sync: Sync; onSaved: (sync: Sync) => void }) {
  const { api } = useSession();
  const draft = readDraft(sync);
  const [mode, setMode] = useState<Mode>(draft?.mode ?? sync.payload.mode);
  const [template, setTemplate] = useState(draft?.template ?? (sync.payload.mode === 'template' ? sync.payload.template : '{\n  "id": {{ row.id | json }}\n}'));
  const [column, setColumn] = useState(sync.payload.mode === 'json-column' ? sync.payload.column : '');
  const [fields, setFields] = useState(sync.payload.mode === 'mapping' ? sync.payload.fields : [{ column: '', key: '' }]);
  const [columns, setColumns] = useState<Column[]>([]);
  const [rows, setRows] = useState<RowsPick>({ mode: 'first', count: 3 });
  const [event, setEvent] = useState<SyncEvent>('added');
  const [preview, setPreview] = useState<PayloadPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);
  const [props, setProps] = useState<MessageProps>({ partitionKey: sync.partitionKey, explicitHashKey: sync.explicitHashKey, kafka: sync.kafka, firehose: sync.firehose });
  const [destination, setDestination] = useState<Destination | undefined>(undefined);
  const [testsVersion, setTestsVersion] = useState(0);
  const propsReady = messagePropsReady(props);

  useEffect(() => {
    api.listDestinations({}).then((all) => setDestination(all.find((d) => d.name === sync.destination)), setError);
  }, [api, sync.destination]);

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
    mode === 'template' ? { mode, template } : mode === 'json-column' ? (column ? { mode, column } : null) : fields.every((f) => f.column && f.key) ? { mode, fields } : null;

  // Live preview, debounced as you type.
  const payloadKey = JSON.stringify([payload, propsReady ? props : null]);
  useEffect(() => {
    if (!payload || !propsReady) return;
    if (mode === 'template') localStorage.setItem(DRAFT_KEY(sync.name), JSON.stringify({ mode, template }));
    const timer = setTimeout(() => {
      api
        .previewPayload({ model: sync.model, destination: sync.destination, sync: sync.name, payload, partitionKey: props.partitionKey, explicitHashKey: props.explicitHashKey, kafka: props.kafka, rows, event })
        .then((p) => {
          setPreview(p);
          setError(null);
        }, setError);
    }, 200);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, payloadKey, rows, event, sync.name]);

  // Template problems as markers at their line and column.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const markers = (preview?.problems ?? []).filter((p) => p.where === 'payload template').map((p) => ({
      severity: monaco.MarkerSeverity.Error,
      message: p.message,
      startLineNumber: p.line ?? 1,
      startColumn: p.column ?? 1,
      endLineNumber: p.line ?? 1,
      endColumn: (p.column ?? 1) + 2,
    }));
    monaco.editor.setModelMarkers(model, 'sluice', markers);
  }, [preview]);

  const save = async () => {
    if (!payload) return;
    setSaved(false);
    try {
      onSaved(await api.saveSync({ ...sync, payload, ...props }));
      localStorage.removeItem(DRAFT_KEY(sync.name));
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };

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
          {saved && <span className="muted" role="status">Saved</span>}
          <button type="button" disabled={!payload || !propsReady || (preview?.problems.length ?? 0) > 0} onClick={() => void save()}>
            Save payload
          </button>
        </div>
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <div className="editor-split">
        <div className="editor-pane">
          {mode === 'template' && (
            <>
              <p className="muted small">
                Liquid in JSON. Text values need quotes — or the <code>json</code> filter, which adds them and escapes: <code>{'{{ row.name | json }}'}</code>
              </p>
              <div className="monaco" data-testid="template-editor">
                <Editor
                  height="320px"
                  language={LIQUID_JSON}
                  value={template}
                  onChange={(v) => setTemplate(v ?? '')}
                  onMount={(editor) => (editorRef.current = editor)}
                  options={{ minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, automaticLayout: true, tabSize: 2 }}
                />
              </div>
              {(preview?.problems ?? []).map((p, i) => (
                <div key={i} className="banner banner-error" role="alert" data-testid="template-problem">
                  {p.where !== 'payload template' ? `The ${p.where}: ` : ''}
                  {p.line !== null ? `Line ${p.line}, column ${p.column}: ` : ''}
                  {p.message}
                </div>
              ))}
            </>
          )}
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
                  <select aria-label={`Column ${i + 1}`} value={f.column} onChange={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, column: e.target.value, key: x.key || e.target.value } : x)))}>
                    <option value="">Column…</option>
                    {columns.map((c) => (
                      <option key={c.name} value={c.name}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                  <span>→</span>
                  <input aria-label={`Key ${i + 1}`} placeholder="key, or a.b.c to nest" value={f.key} onChange={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
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
                    setMode('template');
                  }}
                >
                  Turn into a Liquid template
                </button>
              </div>
            </div>
          )}
        </div>
        <PreviewPane preview={preview} rows={rows} setRows={setRows} event={event} setEvent={setEvent} onSaveCase={(item) => void saveCase(item)} />
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

function readDraft(sync: Sync): { mode: Mode; template: string } | null {
  try {
    const raw = localStorage.getItem(DRAFT_KEY(sync.name));
    return raw ? (JSON.parse(raw) as { mode: Mode; template: string }) : null;
  } catch {
    return null;
  }
}

function PreviewPane({ preview, rows, setRows, event, setEvent, onSaveCase }: { preview: PayloadPreview | null; rows: RowsPick; setRows: (r: RowsPick) => void; event: SyncEvent; setEvent: (e: SyncEvent) => void; onSaveCase: (item: PreviewItem) => void }) {
  const [key, setKey] = useState('');
  return (
    <section className="preview-pane" aria-label="Preview">
      <div className="row">
        <select aria-label="Preview rows" value={rows.mode} onChange={(e) => setRows(e.target.value === 'key' ? { mode: 'key', key: key || '1' } : { mode: e.target.value as 'first' | 'random', count: 3 })}>
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
        {preview && <span className="muted small">{preview.renderMs} ms</span>}
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
              {item.bytes.toLocaleString()} / {item.limit.toLocaleString()} bytes
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
                    topic {item.kafka.topic} · key {item.kafka.key ?? 'null'} · partition {item.kafka.partition ?? 'by key'} · headers {JSON.stringify(item.kafka.headers)}
                  </div>
                )}
              </details>
              {item.previousFrom === 'current-row' && <div className="muted small">No delivered version of this row yet: previous shows the current row.</div>}
              {item.data !== null && (
                <button type="button" className="ghost small" onClick={() => onSaveCase(item)}>
                  Save as test case
                </button>
              )}
            </>
          )}
        </article>
      ))}
    </section>
  );
}
