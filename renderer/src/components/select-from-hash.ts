import { useEffect, useRef, useState } from 'react';
import { onHashChange } from './leave-guard';

/** The address that opens `section` with the item `name` selected (the palette's jumps). */
export function selectHash(section: string, name: string): string {
  return `#/${section}?select=${encodeURIComponent(name)}`;
}

/**
 * While the address is `section`'s, calls `onSelect` with the name in its `?select=` (on mount and on
 * every change), then takes it out of the address, so the same jump can be made again later.
 */
export function useSelectFromHash(section: string, onSelect: (name: string) => void): void {
  const latest = useRef(onSelect);
  useEffect(() => {
    latest.current = onSelect;
  });
  useEffect(() => {
    const take = () => {
      const [path, query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
      const match = /(?:^|&)select=([^&]*)/.exec(query);
      if (path !== section || !match) return;
      window.history.replaceState(window.history.state, '', window.location.hash.replace(/\?.*$/, ''));
      latest.current(decodeURIComponent(match[1]!));
    };
    take();
    return onHashChange(take);
  }, [section]);
}

/**
 * For a page that lists its items in a table: the row the palette jumped to (marked, scrolled to once
 * `shown` is true). Rows carry `data-row-name`.
 */
export function useJumpedRow(section: string, shown: boolean, onJump?: () => void): string | null {
  const [name, setName] = useState<string | null>(null);
  useSelectFromHash(section, (n) => {
    setName(n);
    onJump?.();
  });
  useEffect(() => {
    if (name && shown) document.querySelector(`[data-row-name="${CSS.escape(name)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [name, shown]);
  return name;
}
