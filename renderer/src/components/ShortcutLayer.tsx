import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useDestinations, useModels, useSources, useSyncs } from '../api/queries';
import { selectHash } from './select-from-hash';
import { isTyping, modKey, SHORTCUTS, triggerShortcut } from './shortcuts';
import './shortcuts.css';

type Jump = { kind: 'Sync' | 'Model' | 'Destination' | 'Source' | 'Page'; name: string; detail: string; href: string };

const PAGES: readonly [string, string][] = [
  ['sources', 'Sources'],
  ['models', 'Models'],
  ['destinations', 'Destinations'],
  ['syncs', 'Syncs'],
  ['debugger', 'Debugger'],
  ['inspector', 'Inspector'],
  ['settings', 'Settings'],
];

/**
 * The app's keyboard: Ctrl/Cmd+S and Ctrl/Cmd+Enter press the screen's Save and Run buttons
 * (`shortcuts.ts`), Ctrl/Cmd+K opens the palette, ? lists the shortcuts. Listened for before anything
 * else on the page (Monaco takes Ctrl+K and Ctrl+Enter for itself otherwise).
 */
export function ShortcutLayer() {
  const [open, setOpen] = useState<'palette' | 'help' | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey) return;
      const key = e.key.toLowerCase();
      if (modKey(e) && !e.shiftKey && key === 'k') {
        e.preventDefault();
        e.stopPropagation();
        setOpen((o) => (o === 'palette' ? null : 'palette'));
        return;
      }
      if (modKey(e) && !e.shiftKey && (key === 's' || key === 'enter')) {
        const handled = triggerShortcut(key === 's' ? 'save' : 'run', document.activeElement);
        // The browser's own "save the page" is never what is meant.
        if (handled || key === 's') {
          e.preventDefault();
          e.stopPropagation();
        }
        return;
      }
      if (e.key === '?' && !modKey(e) && !isTyping(e.target)) {
        e.preventDefault();
        setOpen((o) => (o === 'help' ? null : 'help'));
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  if (open === 'palette') return <Palette onClose={() => setOpen(null)} />;
  if (open === 'help') return <ShortcutHelp onClose={() => setOpen(null)} />;
  return null;
}

/** Puts the focus back where it was when a dialog closes. */
function useRestoreFocus() {
  useEffect(() => {
    const before = document.activeElement;
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
}

function matches(jump: Jump, words: string[]): boolean {
  const text = `${jump.name} ${jump.kind} ${jump.detail}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function Palette({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const list = useRef<HTMLUListElement | null>(null);
  useRestoreFocus();

  const [syncs, models, destinations, sources] = [useSyncs(), useModels(), useDestinations(), useSources()];
  const failed = [syncs, models, destinations, sources].some((q) => q.isError);
  const jumps = useMemo((): Jump[] | null => {
    const pages = PAGES.map(([id, label]): Jump => ({ kind: 'Page', name: label, detail: 'page', href: `#/${id}` }));
    // Without the catalog the pages are still there to jump to.
    if (failed) return pages;
    if (!syncs.data || !models.data || !destinations.data || !sources.data) return null;
    return [
      ...syncs.data.map(({ sync }): Jump => ({
        kind: 'Sync',
        name: sync.name,
        detail: `${sync.model} → ${sync.destination}`,
        href: selectHash('syncs', sync.name),
      })),
      ...models.data.map((m): Jump => ({ kind: 'Model', name: m.name, detail: `from ${m.source}`, href: selectHash('models', m.name) })),
      ...destinations.data.map((d): Jump => ({ kind: 'Destination', name: d.name, detail: d.kind, href: selectHash('destinations', d.name) })),
      ...sources.data.map((s): Jump => ({ kind: 'Source', name: s.name, detail: s.kind, href: selectHash('sources', s.name) })),
      ...pages,
    ];
  }, [failed, syncs.data, models.data, destinations.data, sources.data]);

  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return (jumps ?? []).filter((j) => matches(j, words));
  }, [jumps, query]);
  const index = Math.min(active, Math.max(0, shown.length - 1));

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [index, shown]);

  const go = (jump: Jump | undefined) => {
    if (!jump) return;
    onClose();
    window.location.hash = jump.href.slice(1);
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') setActive(Math.min(shown.length - 1, index + 1));
    else if (e.key === 'ArrowUp') setActive(Math.max(0, index - 1));
    else if (e.key === 'Home' && e.ctrlKey) setActive(0);
    else if (e.key === 'End' && e.ctrlKey) setActive(shown.length - 1);
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

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement | null>(null);
  useRestoreFocus();
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="shortcut-help"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), onClose())}
      >
        <div className="row spread">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="ghost" ref={close} onClick={onClose}>
            Close
          </button>
        </div>
        <table className="table" aria-label="Shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
