import { JsonSyntaxError, parseLossless } from './lossless';

/** Line and column (1-based) of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Finds where JSON text first goes wrong. JSON.parse's messages differ between engines and often
 * give no position; the lossless parser always does. Returns undefined for valid JSON.
 */
export function findJsonError(text: string): { offset: number; message: string } | undefined {
  try {
    parseLossless(text);
    return undefined;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { offset: err.offset, message: err.reason };
    throw err;
  }
}

/** "unexpected "person" at line 1, column 23" — for any JSON text that does not parse. */
export function describeJsonError(text: string): string {
  const error = findJsonError(text);
  if (!error) return 'it is valid JSON';
  const { line, column } = positionOf(text, error.offset);
  return `${error.message} at line ${line}, column ${column}`;
}
