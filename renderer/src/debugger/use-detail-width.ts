import { useCallback, useState } from 'react';
import { parseWidth } from './debugger-state';

const DETAIL_WIDTH_KEY = 'sluice.debugger.detailWidth';

function savedDetailWidth(): number | null {
  try {
    return parseWidth(localStorage.getItem(DETAIL_WIDTH_KEY));
  } catch {
    return null;
  }
}

/** The call detail's width as the user last set it (remembered in this browser), or null for the default. */
export function useDetailWidth(): [number | null, (width: number) => void] {
  const [detailWidth, setDetailWidth] = useState<number | null>(savedDetailWidth);
  const resizeDetail = useCallback((width: number) => {
    setDetailWidth(width);
    try {
      localStorage.setItem(DETAIL_WIDTH_KEY, String(width));
    } catch {
      // Not remembered: the width still applies now.
    }
  }, []);
  return [detailWidth, resizeDetail];
}
