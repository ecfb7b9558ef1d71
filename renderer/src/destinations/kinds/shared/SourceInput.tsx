import type { Column } from '../../../../../shared/config/source';

export type ValueSource = { kind: 'column'; column: string } | { kind: 'template'; template: string };

/** A message property taken from a column (a picker of the model's columns) or a template (a text field). */
export function SourceInput({
  label,
  value,
  columns,
  onChange,
  placeholder,
}: {
  label: string;
  value: ValueSource;
  columns: Column[];
  onChange: (s: ValueSource) => void;
  placeholder?: string;
}) {
  return value.kind === 'column' ? (
    <select aria-label={`${label} column`} value={value.column} onChange={(e) => onChange({ kind: 'column', column: e.target.value })}>
      <option value="">Column…</option>
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.type})
        </option>
      ))}
    </select>
  ) : (
    <input
      aria-label={`${label} template`}
      className="mono"
      placeholder={placeholder}
      value={value.template}
      onChange={(e) => onChange({ kind: 'template', template: e.target.value })}
    />
  );
}
