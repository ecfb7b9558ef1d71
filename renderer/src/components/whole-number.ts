/**
 * Whole-number fields as typed. They are text inputs (`inputMode="numeric"`), not `type="number"`: a
 * number input drops what it cannot read, so `1,000` reached the form as `1000` and `1,5` as `15`
 * without a word. Only digits (spaces around them allowed) read as a number; anything else is refused.
 */

/** The field's text as a whole number, or NaN when it is empty or not only digits (`1,000`, `1.5`, `3e2`, `-1`). */
export function wholeNumber(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Spaces a locale may write between digit groups: a space, a no-break space, a narrow no-break space, a thin space. */
const GROUP_SPACE = '[ \\u00a0\\u202f\\u2009]';
/** Digits in groups of three after the first (1,000 or 1 000 or 12,345,678), or digits alone; an optional fraction after a point. */
const COUNT_TEXT = new RegExp(`^(?:\\d+|\\d{1,3}(?:(?:,|${GROUP_SPACE})\\d{3})+)(?:\\.\\d+)?$`);

/**
 * A count as people write it (a record limit: 1000, 1,000, 1 000), for fields whose own words write numbers
 * with separators: the number, or null when the text is no number (`abc`, `1,00`, `1,0000`: a separator
 * out of place), so the field can say the text is not read rather than out of range. A fraction is read
 * (1.5) for the field to refuse as no whole number.
 */
export function countText(text: string): number | null {
  const t = text.trim();
  if (!COUNT_TEXT.test(t)) return null;
  return Number(t.replace(new RegExp(`,|${GROUP_SPACE}`, 'g'), ''));
}

/** What a whole-number field takes, in words: "Port: a whole number from 1 to 65535, without separators". */
export function wholeNumberHint(label: string, min: number, max: number): string {
  return `${label}: a whole number from ${min} to ${max}, without separators`;
}

/** Why the field's text is refused (the hint), or null when it is a whole number from `min` to `max`. */
export function wholeNumberProblem(label: string, text: string, min: number, max: number): string | null {
  const n = wholeNumber(text);
  return Number.isSafeInteger(n) && n >= min && n <= max ? null : wholeNumberHint(label, min, max);
}

/** The props of a whole-number text input. */
export const WHOLE_NUMBER_INPUT = { type: 'text', inputMode: 'numeric', autoComplete: 'off' } as const;
