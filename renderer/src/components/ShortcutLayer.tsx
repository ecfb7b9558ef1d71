import { useEffect, useRef, useState } from 'react';
import { Palette } from './Palette';
import { isTyping, modKey, SHORTCUTS, triggerShortcut } from './shortcuts';
import { useRestoreFocus } from './use-restore-focus';
import './shortcuts.css';

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
