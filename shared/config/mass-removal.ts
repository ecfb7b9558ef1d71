// The mass-removal guard: a run that would remove more than the sync's share of its delivered rows stops, saying so.

export const DEFAULT_MAX_REMOVAL_PERCENT = 50;
/** A run stopped by the mass-removal guard has an error starting with this (the app offers to confirm). */
export const MASS_REMOVAL_PREFIX = 'Mass removal:';

/** A percent as a plain decimal, never in exponent notation (a limit of 0.0000001 read "1e-7"): the same number, every digit kept. */
export function plainPercent(percent: number): string {
  const [mantissa = '', exponent] = String(percent).split('e');
  if (exponent === undefined) return mantissa;
  const sign = mantissa.startsWith('-') ? '-' : '';
  const [whole = '', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return point >= digits.length ? sign + digits + '0'.repeat(point - digits.length) : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The share removed, with one decimal (two significant digits below 1%) or as many more as it takes to show it above the limit: rounded to one,
 * 11 of 2,000 rows (0.55%) said "(0.5%), more than its limit of 0.5%", and 1 of 2,000 "(0%) … of 0%".
 */
function sharePast(percent: number, limit: number): string {
  if (percent >= 99.95) return '100';
  let digits = Math.max(1, 1 - Math.floor(Math.log10(percent))); // two significant digits below 1%: 0.05%, not 0.1%
  while (digits < 20 && Number(percent.toFixed(digits)) <= limit) digits++;
  return percent
    .toFixed(digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** The guard's verdict: the message that stops the run, or null when the removals may go. */
export function massRemovalStop(removed: number, snapshot: number, maxPercent: number = DEFAULT_MAX_REMOVAL_PERCENT, added = 0): string | null {
  if (removed === 0 || snapshot === 0 || maxPercent >= 100) return null;
  const percent = (removed / snapshot) * 100;
  if (percent <= maxPercent) return null;
  const head = `${MASS_REMOVAL_PREFIX} this run would remove ${removed.toLocaleString('en-US')} of the ${snapshot.toLocaleString('en-US')} rows the sync last delivered (${sharePast(percent, maxPercent)}%), more than its limit of ${plainPercent(maxPercent)}%. Nothing was sent or changed.`;
  // As many rows new as gone: the rows are most likely all there under other keys.
  if (added >= removed * 0.8) {
    return `${head} At the same time ${added.toLocaleString('en-US')} rows are new: this is what a changed primary key (or changed key values) looks like, the old keys gone and new ones added. If so, sending the removals would delete the old keys' records downstream before the new ones arrive; to send every row under its new key without removals, reset the sync (\`sluice sync reset\`, or "Resend everything on the next run" in the app) instead. If the rows really were replaced, confirm the removals (--allow-mass-removal, or "Send the removals" in the app).`;
  }
  return `${head} If the model really lost these rows, confirm the removals (--allow-mass-removal, or "Send the removals" in the app); if not, check the model's source (an empty or half-written file, a dropped table).`;
}
