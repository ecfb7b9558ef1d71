// Where a template problem is: a range of 1-based lines and columns, from offsets in the template text.
import { positionOf } from '../json/errors';

export type DiagnosticSeverity = 'error' | 'warning';

/** A problem at a range of the template (1-based lines and columns; the end column is exclusive). */
export interface TemplateDiagnostic {
  severity: DiagnosticSeverity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function rangeOf(template: string, start: number, end: number, severity: DiagnosticSeverity, message: string): TemplateDiagnostic {
  const from = positionOf(template, start);
  const to = positionOf(template, Math.max(end, start + 1));
  return { severity, message, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

/** Offset of a 1-based line and column. */
export function offsetOf(template: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = template.indexOf('\n', offset);
    if (next < 0) return template.length;
    offset = next + 1;
  }
  return Math.min(template.length, offset + column - 1);
}

/** The end of the rest of the line from `start` (or of the text). */
export function lineEnd(template: string, start: number): number {
  const nl = template.indexOf('\n', start);
  return nl < 0 ? template.length : nl;
}
