import type { RefObject } from 'react';
import type { PayloadPreview } from '../../../../shared/config/payload-preview';
import type { Column } from '../../../../shared/config/source';
import type { MappedField } from '../../../../shared/payload/mapping-template';
import type { TemplateDiagnostic } from '../../../../shared/payload/template-diagnostics';
import { ColumnSelect } from '../../components/ColumnSelect';
import { TemplateEditor, type TemplateEditorHandle } from '../../editor/lazy';

/** The Liquid template: Format, Monaco, and each problem with a link to its place. */
export function TemplatePane({
  hidden,
  syntax,
  onFormat,
  formatNote,
  template,
  revision,
  onTemplateChange,
  diagnostics,
  editor,
}: {
  hidden: boolean;
  syntax: TemplateDiagnostic | null;
  onFormat(): void;
  formatNote: string | null;
  template: string;
  revision: number;
  onTemplateChange(text: string): void;
  diagnostics: TemplateDiagnostic[];
  editor: RefObject<TemplateEditorHandle | null>;
}) {
  return (
    <div hidden={hidden}>
      <div className="editor-toolbar">
        <p className="muted small">
          Liquid in JSON. Text values need quotes — or the <code>json</code> filter, which adds them and escapes: <code>{'{{ row.name | json }}'}</code>
        </p>
        <button
          type="button"
          className="ghost small-button"
          disabled={syntax !== null}
          title={syntax ? 'Fix the template first' : 'Lay out the JSON one member per line (what is sent stays the same)'}
          onClick={onFormat}
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
  );
}

/** The preview's problems outside the payload template (a key or topic template, …); one whose message names its setting has no place before it. */
export function OtherProblems({ problems }: { problems: PayloadPreview['problems'] }) {
  return (
    <>
      {problems.map((p, i) => (
        <div key={i} className="banner banner-error" role="alert" data-testid="template-problem">
          {p.where && `The ${p.where}: `}
          {p.line !== null ? `Line ${p.line}, column ${p.column}: ` : ''}
          {p.message}
        </div>
      ))}
    </>
  );
}

export function JsonColumnPicker({ column, columns, onColumn }: { column: string; columns: Column[]; onColumn(column: string): void }) {
  return (
    <label className="field">
      <span>Column that holds the JSON</span>
      <ColumnSelect label="JSON column" value={column} columns={columns} onChange={onColumn} />
    </label>
  );
}

/** The field mapper: column → key (a.b.c nests), and turning it into a Liquid template. */
export function FieldMapper({
  fields,
  columns,
  onFields,
  canConvert,
  onConvert,
}: {
  fields: MappedField[];
  columns: Column[];
  onFields(fields: MappedField[]): void;
  canConvert: boolean;
  onConvert(): void;
}) {
  return (
    <div className="mapper">
      {fields.map((f, i) => (
        <div className="row mapper-field" key={i}>
          <select
            aria-label={`Column ${i + 1}`}
            value={f.column}
            onChange={(e) => onFields(fields.map((x, j) => (j === i ? { ...x, column: e.target.value, key: x.key || e.target.value } : x)))}
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
            onChange={(e) => onFields(fields.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
          />
          <button type="button" className="ghost" aria-label={`Remove field ${i + 1}`} onClick={() => onFields(fields.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <div className="row">
        <button type="button" className="ghost" onClick={() => onFields([...fields, { column: '', key: '' }])}>
          Add field
        </button>
        <button type="button" className="ghost" disabled={!canConvert} onClick={onConvert}>
          Turn into a Liquid template
        </button>
      </div>
    </div>
  );
}
