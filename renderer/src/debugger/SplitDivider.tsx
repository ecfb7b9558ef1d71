import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';

/** The narrowest the call detail gets, and the room always left to the list. */
export const DETAIL_MIN = 300;
/** The list's five main columns (time, operation, status, records, error) fit in this. */
export const LIST_MIN = 440;
const STEP = 32;

/**
 * The handle between the call list and the call detail: drag it (or use the arrow keys on it) to give
 * the detail more or less of the width. The list keeps its height whatever the detail's width.
 */
export function SplitDivider({ container, width, onWidth }: { container: RefObject<HTMLElement | null>; width: number | null; onWidth(width: number): void }) {
  const dragging = useRef(false);
  // The detail's width as shown (CSS decides it until the divider is moved): a separator that takes focus has a value.
  const [shown, setShown] = useState<number | null>(null);
  useLayoutEffect(() => {
    const box = container.current;
    if (!box) return;
    const measure = () => {
      const detail = box.querySelector<HTMLElement>('[data-testid="api-call-detail"]');
      if (detail) setShown(Math.round(detail.getBoundingClientRect().width));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    measure();
    return () => observer.disconnect();
  }, [container]);

  const bounds = () => {
    const box = container.current?.getBoundingClientRect();
    return { right: box?.right ?? window.innerWidth, max: Math.max(DETAIL_MIN, (box?.width ?? window.innerWidth) - LIST_MIN) };
  };
  const clamp = (w: number) => Math.round(Math.min(bounds().max, Math.max(DETAIL_MIN, w)));
  const current = () => width ?? container.current?.querySelector<HTMLElement>('[data-testid="api-call-detail"]')?.getBoundingClientRect().width ?? DETAIL_MIN;

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current) return;
    // The divider's middle follows the pointer: the detail takes what is right of it.
    onWidth(clamp(bounds().right - e.clientX - e.currentTarget.offsetWidth / 2));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = false;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = e.key === 'ArrowLeft' ? current() + STEP : e.key === 'ArrowRight' ? current() - STEP : e.key === 'Home' ? bounds().max : e.key === 'End' ? DETAIL_MIN : null;
    if (next === null) return;
    e.preventDefault();
    onWidth(clamp(next));
  };

  return (
    <div
      className="split-divider"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the call detail"
      aria-valuemin={DETAIL_MIN}
      aria-valuenow={Math.round(width ?? shown ?? DETAIL_MIN)}
      tabIndex={0}
      data-testid="api-call-split"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
