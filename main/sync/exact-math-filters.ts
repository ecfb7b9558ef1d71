/**
 * Liquid's math filters, exact for integers past ±2^53. A row carries such an integer as its text
 * (shared/json/number-text.ts), and liquidjs made a JavaScript number of it before adding:
 * `{{ row.n | plus: 1 }}` with n = 9007199254740993 gave 9007199254740992, and
 * `-9223372036854775808 | plus: 1` gave -9223372036854776000. When every operand is an integer (a
 * safe-integer number, or an integer's text) and one of them, or the result, is past ±2^53, the filter
 * computes with BigInt and gives the result as its text, which Liquid writes as it writes `{{ row.n }}`
 * (unquoted); a result within ±2^53 is a number. Anything else is liquidjs' own filter, unchanged.
 */
import { toValue, type FilterImplOptions, type Liquid } from 'liquidjs';

type Exact = (args: readonly unknown[]) => bigint | undefined;

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/**
 * An integer's text of at most 1,000 digits: longer ones are liquidjs' (a number, Infinity), so a template
 * multiplying a value by itself in a loop cannot grow it without end (BigInt would take the memory and
 * time liquidjs' limits count only between filters).
 */
const INTEGER_TEXT = /^[+-]?\d{1,1000}$/;

const isUnsafe = (n: bigint): boolean => n > SAFE || n < -SAFE;

/** The value as a BigInt when it is an integer Sluice can hold exactly: a safe-integer number or an integer's text. */
function integerOf(value: unknown): bigint | undefined {
  const v: unknown = toValue(value);
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v === 'string' && INTEGER_TEXT.test(v)) return BigInt(v);
  return undefined;
}

/** liquidjs' reading of a filter argument as a number (its `toNumber`). */
const liquidNumber = (value: unknown): number => Number(toValue(value)) || 0;

/** `fn` over the operands when all are integers, and only when one operand or the result is past ±2^53. */
function binary(fn: (a: bigint, b: bigint) => bigint | undefined): Exact {
  return ([value, arg]) => {
    const a = integerOf(value);
    const b = integerOf(arg);
    if (a === undefined || b === undefined) return undefined;
    const result = fn(a, b);
    if (result === undefined) return undefined;
    return isUnsafe(a) || isUnsafe(b) || isUnsafe(result) ? result : undefined;
  };
}

/** `fn` over one integer past ±2^53 (a result of one within it stays liquidjs'). */
function unary(fn: (a: bigint, args: readonly unknown[]) => bigint | undefined): Exact {
  return ([value, ...args]) => {
    const a = integerOf(value);
    return a !== undefined && isUnsafe(a) ? fn(a, args) : undefined;
  };
}

/** Math.floor(a / b) in integers. */
function floorDivide(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** liquidjs' round to `digits` places: an integer is itself, unless the places are left of the point (-2: hundreds), half away from zero. */
function roundInteger(a: bigint, digits: number): bigint | undefined {
  if (!Number.isInteger(digits)) return undefined;
  if (digits >= 0) return a;
  const magnitude = a < 0n ? -a : a;
  // A unit past the number's own digits rounds it to 0 (and 10n ** 1e9 would not end).
  if (-digits > magnitude.toString().length) return 0n;
  const unit = 10n ** BigInt(-digits);
  const rounded = ((magnitude + unit / 2n) / unit) * unit;
  return a < 0n ? -rounded : rounded;
}

/** Whether liquidjs' `at_least` or `at_most` gets a second operand. */
const withArg = (args: readonly unknown[]): boolean => args.length > 1;

const EXACT: Record<string, Exact> = {
  plus: binary((a, b) => a + b),
  minus: binary((a, b) => a - b),
  times: binary((a, b) => a * b),
  // liquidjs' modulo takes the sign of the divisor.
  modulo: binary((a, b) => (b === 0n ? undefined : ((a % b) + b) % b)),
  at_least: (args) => (withArg(args) ? binary((a, b) => (a > b ? a : b))(args) : unary((a) => a)(args)),
  at_most: (args) => (withArg(args) ? binary((a, b) => (a < b ? a : b))(args) : unary((a) => a)(args)),
  // liquidjs divides as floats unless its third argument asks for integer arithmetic (then it floors):
  // exact when that is asked or the division leaves no remainder; else a float, as liquidjs gives it.
  divided_by: (args) =>
    binary((a, b) => {
      if (b === 0n) return undefined;
      if (liquidNumber(args[2])) return floorDivide(a, b);
      return a % b === 0n ? a / b : undefined;
    })(args),
  abs: unary((a) => (a < 0n ? -a : a)),
  ceil: unary((a) => a),
  floor: unary((a) => a),
  round: unary((a, [digits]) => roundInteger(a, liquidNumber(digits))),
};

/** The result as Liquid gets it: the text of an integer past ±2^53, else the number. */
const asLiquid = (n: bigint): number | string => (isUnsafe(n) ? n.toString() : Number(n));

/** Makes `liquid`'s math filters exact for integers past ±2^53 (before it parses a template: filters are bound then). */
export function registerExactMathFilters(liquid: Liquid): void {
  for (const [name, exact] of Object.entries(EXACT)) {
    const builtin: FilterImplOptions | undefined = liquid.filters[name];
    if (builtin === undefined) continue;
    const original = typeof builtin === 'function' ? builtin : builtin.handler;
    liquid.registerFilter(name, function (this: unknown, ...args: unknown[]): unknown {
      const result = exact(args);
      return result === undefined ? (original as (...a: unknown[]) => unknown).apply(this, args) : asLiquid(result);
    });
  }
}
