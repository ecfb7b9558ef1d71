/**
 * Template problems found while editing, in words a person understands, at the template's line and
 * column: Liquid syntax errors (liquidjs' messages rewritten), variables the model does not have
 * (with the closest column as a suggestion), and output that is not JSON for a previewed row, mapped
 * back from the output to the part of the template that wrote it.
 *
 * Pure: liquidjs only parses and analyses here (no rendering, no file system); the rows are rendered
 * by the engine, which renders `outputProbe`'s template so the output of each part can be told apart.
 */
import type { Template } from 'liquidjs';
import { liquid } from './liquid-engine';
import { parseTemplate, quote } from './liquid-syntax-errors';
import { closestName } from './name-suggestions';
import { offsetOf, rangeOf, type TemplateDiagnostic } from './template-ranges';

export { editDistance, closestName } from './name-suggestions';
export { offsetOf, type DiagnosticSeverity, type TemplateDiagnostic } from './template-ranges';
export { explainSyntaxError, parseTemplate } from './liquid-syntax-errors';
export { locateOutputError, outputProbe, probeParts, templateSegments, type TemplateSegment } from './output-errors';

/** The names a payload template starts from (the engine's RenderContext). */
export const TEMPLATE_ROOTS = ['row', 'previous', 'event', 'key', 'run'] as const;
const RUN_FIELDS = ['id', 'sync', 'startedAt'];
/** Properties liquidjs answers on any object (sizes, first and last elements). */
const SPECIAL = new Set(['size', 'first', 'last']);

const PATH = /^[A-Za-z_][\w-]*(?:\s*\.\s*[A-Za-z_][\w-]*|\s*\[[^\]\n]*\])*/;

/**
 * The columns `previous` has: the row as last delivered (the snapshot's, with the columns it had then),
 * null when the row has none (added: never delivered), undefined when not known (the editor: any row).
 */
export type PreviousColumns = readonly string[] | null | undefined;

/**
 * Variables the template reads that the row does not have (`row.fullname` when the model has
 * `full_name`), `previous.` ones judged against the row as last delivered (see `previousProblem`), and
 * names that are not the template's (`rows.id`), each with a suggestion when one is close. Local names
 * (assign, capture, for) are not warned about.
 */
export function unknownVariables(
  template: string,
  templates: Template[],
  columns: readonly string[],
  of: 'model' | 'row' = 'model',
  previous?: PreviousColumns,
): TemplateDiagnostic[] {
  const analysis = liquid().analyzeSync(templates, { partials: false });
  const out: TemplateDiagnostic[] = [];
  const warn = (line: number, col: number, message: string) => {
    const start = offsetOf(template, line, col);
    const path = PATH.exec(template.slice(start, start + 300))?.[0] ?? 'x';
    out.push(rangeOf(template, start, start + path.length, 'warning', message));
  };
  for (const [root, uses] of Object.entries(analysis.globals)) {
    for (const use of uses) {
      const { row, col } = use.location;
      const field = use.segments[1];
      if (root === 'previous') {
        if (typeof field !== 'string' || SPECIAL.has(field)) continue;
        const problem = previousProblem(field, columns, previous);
        if (problem) warn(row, col, problem);
      } else if (root === 'row') {
        if (typeof field !== 'string' || columns.length === 0 || columns.includes(field) || SPECIAL.has(field)) continue;
        const guess = closestName(field, columns);
        warn(row, col, notIn(`${root}.${field}`, guess && `${root}.${guess}`, of));
      } else if (root === 'run') {
        if (typeof field !== 'string' || RUN_FIELDS.includes(field)) continue;
        const guess = closestName(field, RUN_FIELDS);
        warn(row, col, `run has no ${quote(field)} (it has id, sync and startedAt)${guess ? `: did you mean run.${guess}?` : ''}`);
      } else if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
        const guess = closestName(root, TEMPLATE_ROOTS);
        warn(
          row,
          col,
          `${root} is not defined, so it renders as nothing${guess ? `: did you mean ${guess}?` : ' (a template reads row, previous, event, key and run)'}`,
        );
      }
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * A variable the columns lack: of the model (the editor), or of the row rendered (a run's, a template
 * test's own row, which may leave a column out).
 */
function notIn(variable: string, guess: string | undefined, of: 'model' | 'row'): string {
  const where = of === 'model' ? 'a column of this model' : 'in this row';
  return guess ? `${variable} is not ${where}: did you mean ${guess}?` : `${variable} is not ${where}, so it renders as nothing`;
}

/**
 * What is wrong with `previous.<field>`. `previous` is the row as last delivered, which keeps the columns
 * it had then (a column since renamed or dropped is still there), so the model's columns do not say what
 * it has: with its own columns known (a run's row) it is judged by them; without (the editor), only a
 * near miss of a model column is pointed out, never that the column does not exist.
 */
function previousProblem(field: string, columns: readonly string[], previous: PreviousColumns): string | null {
  const variable = `previous.${field}`;
  if (previous === null) return `${variable} renders as nothing: this row has no previous (it was not delivered before)`;
  if (previous !== undefined) {
    if (previous.includes(field)) return null;
    const guess = closestName(field, previous);
    return guess
      ? `${variable} is not in the row as last delivered: did you mean previous.${guess}?`
      : `${variable} is not in the row as last delivered, so it renders as nothing`;
  }
  if (columns.includes(field)) return null;
  const guess = closestName(field, columns);
  return guess
    ? `${variable}: did you mean previous.${guess}? (previous is the row as last delivered: it may also hold columns this model no longer has)`
    : null;
}

/** Everything wrong with a template that can be known without rendering it; `of`: whose columns these are (see `notIn`). */
export function diagnoseTemplate(
  template: string,
  columns: readonly string[],
  of: 'model' | 'row' = 'model',
  previous?: PreviousColumns,
): { syntax: TemplateDiagnostic | null; warnings: TemplateDiagnostic[] } {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return { syntax: parsed.error, warnings: [] };
  return { syntax: null, warnings: unknownVariables(template, parsed.templates, columns, of, previous) };
}
