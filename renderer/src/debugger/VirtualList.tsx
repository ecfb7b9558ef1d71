import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualListHandle {
  scrollToEnd(): void;
}

interface Props {
  count: number;
  rowHeight: number;
  /** Rows rendered above and below the visible ones. */
  overscan?: number;
  renderRow(index: number): ReactNode;
  /** Told which rows are visible (first and last index), e.g. to load their data. */
  onRange?(first: number, last: number): void;
  /** Keep the last row in view as rows are added. */
  follow?: boolean;
  /** The user scrolled up, away from the last row (a following list stops following). */
  onScrollAway?(): void;
  testId?: string;
}

/**
 * A windowed list with fixed row height: only the rows in view (plus a few) are in the DOM, so it
 * stays smooth with 100,000 rows. The spacer gives the scrollbar the full height.
 */
export function VirtualList({ count, rowHeight, overscan = 8, renderRow, onRange, follow = false, onScrollAway, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const frame = useRef<number | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight || 400));
    observer.observe(el);
    setHeight(el.clientHeight || 400);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (follow && el && el.scrollTop + el.clientHeight < el.scrollHeight - 2 * rowHeight) onScrollAway?.();
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      if (ref.current) setScrollTop(ref.current.scrollTop);
    });
  }, [follow, rowHeight, onScrollAway]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  useLayoutEffect(() => {
    const el = ref.current;
    if (follow && el && count > 0) {
      el.scrollTop = count * rowHeight;
      setScrollTop(el.scrollTop);
    }
  }, [follow, count, rowHeight]);

  const firstVisible = Math.floor(scrollTop / rowHeight);
  const lastVisible = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(count - 1, lastVisible + overscan);

  useEffect(() => {
    if (count > 0) onRange?.(first, last);
  }, [first, last, count, onRange]);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    rows.push(
      <div key={i} className="vlist-row" role="listitem" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(i)}
      </div>,
    );
  }
  return (
    <div ref={ref} className="vlist" onScroll={onScroll} data-testid={testId} data-count={count} role="list">
      <div className="vlist-spacer" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
