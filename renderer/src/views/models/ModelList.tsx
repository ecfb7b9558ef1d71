import type { ReactNode } from 'react';
import type { Model } from '../../../../shared/config/source';
import { EmptyState } from '../../components/EmptyState';

/** The models down the side, with the add button. */
export function ModelList({
  models,
  selected,
  addButton,
  onOpen,
}: {
  models: readonly Model[];
  selected: string | null;
  addButton: ReactNode;
  onOpen: (name: string) => void;
}) {
  return (
    <aside className="list" aria-label="Models">
      <div className="row spread page-head">
        <h1>Models</h1>
        {addButton}
      </div>
      {models.map((m) => (
        <button key={m.name} type="button" className={`list-item ${m.name === selected ? 'active' : ''}`} onClick={() => onOpen(m.name)}>
          <strong>{m.name}</strong>
          <span className="muted">
            {m.source} · key {m.primaryKey.join(', ')}
          </span>
        </button>
      ))}
    </aside>
  );
}

/** No source yet: a model needs one first. */
export function NoSourceYet() {
  return (
    <EmptyState title="Start with a source">
      <p>A model is a SQL query, or a whole CSV or NDJSON file, whose rows have a primary key. It reads a source: add one first.</p>
      <button type="button" onClick={() => (window.location.hash = '/sources?new')}>
        Add a source
      </button>
    </EmptyState>
  );
}

/** Sources but no model yet. */
export function NoModelYet({ addButton }: { addButton: ReactNode }) {
  return (
    <EmptyState title="Next: add a model">
      <p>A model is a SQL query over a database source, or a whole CSV or NDJSON file, whose rows have a primary key.</p>
      <p>You will see its first rows, pick the key, and Sluice checks every row before it is saved.</p>
      {addButton}
    </EmptyState>
  );
}
