/** What acts when clicked: a button, a link, a tab, a disclosure. */
const ACTIONS = 'button, a[href], [role="button"], [role="tab"], summary';

/** An event's target as far as `movesOn` asks it (an element). */
interface Place {
  closest(selector: string): unknown;
}

/**
 * Whether an event means the user moved on from a notice: an edit (`input`, `change`) or a click on
 * something that acts, anywhere outside the notice (its own × dismisses it anyway). Clicks on plain text,
 * scrolling and focus leave it be.
 */
export function movesOn(type: string, target: unknown, inNotice: (target: Place) => boolean): boolean {
  if (!isPlace(target) || inNotice(target)) return false;
  if (type === 'input' || type === 'change') return true;
  return type === 'click' && target.closest(ACTIONS) !== null;
}

function isPlace(target: unknown): target is Place {
  return typeof target === 'object' && target !== null && typeof (target as Partial<Place>).closest === 'function';
}
