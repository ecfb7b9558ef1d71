/** How far one arrow key moves a split divider, in px. */
export const STEP = 32;

/**
 * The width a key gives the divider's pane, or null for a key it does not take: ArrowRight moves the
 * divider right (a start pane grows, an end pane shrinks), Home and End move it to either end.
 */
export function widthForKey(key: string, pane: 'start' | 'end', current: number, min: number, max: number): number | null {
  const grow = pane === 'start' ? 1 : -1;
  if (key === 'ArrowRight') return current + grow * STEP;
  if (key === 'ArrowLeft') return current - grow * STEP;
  if (key === 'Home') return pane === 'start' ? min : max;
  if (key === 'End') return pane === 'start' ? max : min;
  return null;
}
