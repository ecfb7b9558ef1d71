import { z } from 'zod';

/**
 * Zod's own words for a broken rule ("Too big: expected number to be <=16", "Invalid input: expected 1") in
 * people's: "shards must be at most 16", "version must be 1". Pass it to a parse (`{ error: zodWords }`); a
 * schema's own message (`.max(16, '…')`) still wins. The field is the last key of the issue's path.
 */
export const zodWords: z.core.$ZodErrorMap = (issue) => {
  const field = fieldOf(issue.path);
  switch (issue.code) {
    case 'too_big':
      return tooBig(field, issue.origin, issue.maximum, issue.inclusive !== false);
    case 'too_small':
      return tooSmall(field, issue.origin, issue.minimum, issue.inclusive !== false);
    case 'invalid_type':
      if (issue.input === undefined) return `${field} is required`;
      // YAML reads `name: 2024` or `key: 42` as a number: say how to write it as text.
      if (issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean'))
        return `${field} must be text: put the value in quotes ("${String(issue.input)}", not ${String(issue.input)})`;
      return `${field} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `${field} must be ${shown(issue.values[0])}` : `${field} must be one of ${issue.values.map(shown).join(', ')}`;
    case 'invalid_union':
      return unionWords(field, issue);
    default:
      return undefined;
  }
};

/** The whole numbers from `min` to `max` (in `unit`, e.g. "seconds"), every way of missing them said as one sentence: "shards must be a whole number from 1 to 16". */
export function wholeNumber(what: string, min: number, max: number, unit?: string) {
  const message = wholeNumberWords(what, min, max, unit);
  // One check, so a number past every bound (1e20: no safe integer, and over the maximum) is said once.
  return z.number({ error: message }).refine((n) => Number.isInteger(n) && n >= min && n <= max, { message });
}

/** "Limit must be a whole number from 1 to 1,000"; the unit after the range ("… from 0 to 20 seconds"). */
export function wholeNumberWords(what: string, min: number, max: number, unit?: string): string {
  return `${what} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`;
}

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function fieldOf(path: readonly PropertyKey[] | undefined): string {
  const key = [...(path ?? [])].reverse().find((p): p is string => typeof p === 'string');
  return key ?? 'The value';
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/**
 * A discriminated union's field that names no option ("kind: mysql", a kind left out): the options, as an enum's are said
 * (it was zod's "Invalid discriminator value. Expected 'sqlite' | 'csv'"). Other unions keep their own words.
 */
function unionWords(field: string, issue: { input?: unknown; discriminator?: string | undefined; options?: readonly unknown[] }): string | undefined {
  if (issue.discriminator === undefined || !issue.options?.length) return undefined;
  const options = issue.options.map(shown).join(', ');
  // The issue's input is the object whose field it is.
  const given = typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)[issue.discriminator] : undefined;
  return given === undefined ? `${field} is required: one of ${options}` : `${field} must be one of ${options}`;
}

const SIZES: Record<string, string> = { string: 'characters', array: 'items', set: 'items', file: 'bytes' };

function tooBig(field: string, origin: string, maximum: number | bigint, inclusive: boolean): string | undefined {
  if (origin === 'int' && maximum === Number.MAX_SAFE_INTEGER) return `${field} is too big`;
  const unit = SIZES[origin];
  if (unit) return `${field} can have at most ${maximum.toLocaleString('en-US')} ${maximum === 1 ? unit.slice(0, -1) : unit}`;
  if (origin === 'number' || origin === 'int' || origin === 'bigint')
    return `${field} must be ${inclusive ? 'at most' : 'less than'} ${maximum.toLocaleString('en-US')}`;
  return undefined;
}

function tooSmall(field: string, origin: string, minimum: number | bigint, inclusive: boolean): string | undefined {
  if (origin === 'int' && minimum === Number.MIN_SAFE_INTEGER) return `${field} is too small`;
  const unit = SIZES[origin];
  if (unit)
    return minimum === 1 && origin === 'string'
      ? `${field} is required`
      : `${field} needs at least ${minimum.toLocaleString('en-US')} ${minimum === 1 ? unit.slice(0, -1) : unit}`;
  if (origin === 'number' || origin === 'int' || origin === 'bigint')
    return `${field} must be ${inclusive ? 'at least' : 'more than'} ${minimum.toLocaleString('en-US')}`;
  return undefined;
}
