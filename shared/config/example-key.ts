/** Characters of an example key a reason shows: the key is an example there, and one may be thousands of characters long. */
const SHOWN = 100;

/**
 * A failure reason's example key in words: "e.g. key 100", and "e.g. an empty key" for an empty one (it read "(e.g. key )").
 * A key past 100 characters shows its first 100 and "…" (a 5,000-character key filled 40 lines of `sluice sync run`'s
 * report, once per reason); the run's records list each key whole.
 */
export function exampleKeyWords(key: string): string {
  if (key === '') return 'e.g. an empty key';
  const chars = Array.from(key);
  return chars.length > SHOWN ? `e.g. key ${chars.slice(0, SHOWN).join('')}…` : `e.g. key ${key}`;
}
