import type { Column } from '../../../shared/config/source';

/** A model column to choose, each shown with its type; "" is none chosen yet. */
export function ColumnSelect({
  label,
  value,
  columns,
  onChange,
}: {
  label: string;
  value: string;
  columns: readonly Column[];
  onChange(column: string): void;
}) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Choose a column…</option>
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.type})
        </option>
      ))}
    </select>
  );
}
