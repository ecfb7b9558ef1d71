import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { widthForKey } from './split-divider-keys';
import './split-divider.css';

export interface SplitDividerProps {
  /** The box the two panes and the divider share. */
  container: RefObject<HTMLElement | null>;
  /** Which pane's width the divider sets: the one before it (`start`) or after it (`end`). */
  pane: 'start' | 'end';
  /** That pane's width in px as last set, or null while it has its default width. */
  width: number | null;
  /** The pane's width as shown now (for the keys, before a width was set). */
  measure(): number;
  onWidth(width: number): void;
  /** The narrowest that pane gets, and the room always left to the other one. */
  min: number;
  otherMin: number;
  label: string;
  testId?: string;
}

/**
 * The handle between two panes side by side: drag it, or use the arrow keys on it (Home and End for
 * the widest and narrowest), to give one pane more or less of the width.
 */
export function SplitDivider({ container, pane, width, measure, onWidth, min, otherMin, label, testId }: SplitDividerProps) {
  const dragging = useRef(false);
  // The pane's width as shown (CSS decides it until the divider is moved): a separator that takes focus has a value.
  const [shown, setShown] = useState<number | null>(null);
  const measureRef = useRef(measure);
  useLayoutEffect(() => {
    measureRef.current = measure;
  });
  useLayoutEffect(() => {
    const box = container.current;
    if (!box) return;
    const update = () => setShown(Math.round(measureRef.current()));
    const observer = new ResizeObserver(update);
    observer.observe(box);
    update();
    return () => observer.disconnect();
  }, [container]);

  const bounds = () => {
    const box = container.current?.getBoundingClientRect();
    const total = box?.width ?? window.innerWidth;
    return { left: box?.left ?? 0, right: box?.right ?? window.innerWidth, max: Math.max(min, total - otherMin) };
  };
  const clamp = (w: number) => Math.round(Math.min(bounds().max, Math.max(min, w)));
  const current = () => width ?? measure();

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    // The divider's middle follows the pointer.
    const half = e.currentTarget.offsetWidth / 2;
    const b = bounds();
    onWidth(clamp(pane === 'start' ? e.clientX - b.left - half : b.right - e.clientX - half));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = widthForKey(e.key, pane, current(), min, bounds().max);
    if (next === null) return;
    e.preventDefault();
    onWidth(clamp(next));
  };

  return (
    <div
      className="split-divider"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={min}
      aria-valuenow={Math.round(width ?? shown ?? min)}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
