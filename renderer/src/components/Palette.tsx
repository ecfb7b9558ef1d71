import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useDestinations, useModels, useSources, useSyncs } from '../api/queries';
import { catalogJumps, matchingJumps, movedTo, pageJumps, type Jump } from './palette-jumps';
import { goTo } from './leave-guard';
import { useRestoreFocus } from './use-restore-focus';

/** Where the palette can go: the catalog and the pages (the pages alone when the catalog cannot be read); null while it loads. */
function useJumps(): Jump[] | null {
  const [syncs, models, destinations, sources] = [useSyncs(), useModels(), useDestinations(), useSources()];
  const failed = [syncs, models, destinations, sources].some((q) => q.isError);
  return useMemo((): Jump[] | null => {
    if (failed) return pageJumps();
    if (!syncs.data || !models.data || !destinations.data || !sources.data) return null;
    return catalogJumps({ syncs: syncs.data, models: models.data, destinations: destinations.data, sources: sources.data });
  }, [failed, syncs.data, models.data, destinations.data, sources.data]);
}

/** Ctrl/Cmd+K: type part of a name, choose with the arrows, Enter goes there. */
export function Palette({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const list = useRef<HTMLUListElement | null>(null);
  useRestoreFocus();

  const jumps = useJumps();
  const shown = useMemo(() => matchingJumps(jumps ?? [], query), [jumps, query]);
  const index = Math.min(active, Math.max(0, shown.length - 1));

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [index, shown]);

  const go = (jump: Jump | undefined) => {
    if (!jump) return;
    onClose();
    goTo(jump.href.slice(1));
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    const moved = movedTo(e.key, e.ctrlKey, index, shown.length);
    if (moved !== null) setActive(moved);
    else if (e.key === 'Enter') go(shown[index]);
    else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Go to">
        <input
          autoFocus
          role="combobox"
          aria-label="Go to a sync, model, destination or source"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={shown[index] ? `${listId}-${index}` : undefined}
          aria-autocomplete="list"
          placeholder="Go to a sync, model, destination or source…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label="Matches" ref={list}>
          {shown.map((j, i) => (
            <li
              key={`${j.kind}:${j.name}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === index}
              className={i === index ? 'active' : undefined}
              onMouseMove={() => i !== index && setActive(i)}
              onClick={() => go(j)}
            >
              <span className="palette-kind">{j.kind}</span>
              <strong>{j.name}</strong>
              <span className="muted small">{j.detail}</span>
            </li>
          ))}
        </ul>
        {jumps !== null && shown.length === 0 && <p className="muted small palette-empty">Nothing is called “{query}”.</p>}
        <p className="muted small palette-foot">↑ ↓ to choose · Enter to go · Esc to close</p>
      </div>
    </div>
  );
}
