import { useCallback, useState } from 'react';

/**
 * The selected item of a list that the engine may change under it: whenever a new list arrives, a
 * selection no longer in it (renamed, deleted, or none yet) falls back to the first item. A name picked
 * before the list has it (just renamed or created) is kept until the next list says otherwise.
 */
export function useListSelection(names: readonly string[] | undefined): [string | null, (name: string | null) => void] {
  const key = names?.join('\u0000');
  const [state, setState] = useState<{ key: string | undefined; selected: string | null }>({ key: undefined, selected: null });
  const setSelected = useCallback((selected: string | null) => setState((s) => ({ ...s, selected })), []);
  if (names && key !== state.key) {
    // A new list: settle the selection now, during render (React's pattern for state derived from props).
    const selected = state.selected !== null && names.includes(state.selected) ? state.selected : (names[0] ?? null);
    setState({ key, selected });
    return [selected, setSelected];
  }
  // Cleared by the page (a deleted item) after the list came: the first item again.
  return [state.selected ?? names?.[0] ?? null, setSelected];
}
