import { useState } from 'react';
import { fmt } from '../../../shared/format/format';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function Value({ value }: { value: Json }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>;
  return null;
}

function Node({ name, value, depth }: { name: string | null; value: Json; depth: number }) {
  const composite = value !== null && typeof value === 'object';
  const [open, setOpen] = useState(depth < 3);
  const label = name === null ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  if (!composite) {
    return (
      <div className="json-line">
        {label}
        <Value value={value} />
      </div>
    );
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const [openMark, closeMark] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="json-node">
      <button type="button" className="json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'}
      </button>
      {label}
      {openMark}
      {!open && (
        <span className="muted">
          {' '}
          {fmt.count(entries.length, Array.isArray(value) ? 'item' : 'key')} {closeMark}
        </span>
      )}
      {open && (
        <>
          <div className="json-children">
            {entries.map(([k, v]) => (
              <Node key={k} name={Array.isArray(value) ? null : k} value={v} depth={depth + 1} />
            ))}
          </div>
          <div className="json-line">{closeMark}</div>
        </>
      )}
    </div>
  );
}

/** A collapsible JSON tree with syntax colour (strings, numbers, booleans, null, keys). */
export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <div className="json-view mono" data-testid={testId}>
      <Node name={null} value={(value ?? null) as Json} depth={0} />
    </div>
  );
}
