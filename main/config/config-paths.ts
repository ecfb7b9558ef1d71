// Places in a configuration file: issue paths (`syncs.0.payload.template`) as they read in the YAML, and their lines.
import type { Document } from 'yaml';

export type PathPart = string | number;

/** A dotted issue path (`syncs.0.payload.template`) as it reads in the YAML: `syncs[0].payload.template`. */
export function yamlPath(path: string): string {
  return path
    .split('.')
    .filter((p) => p !== '')
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

export const toParts = (path: string): PathPart[] =>
  path
    .split('.')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
export const toPath = (parts: readonly PropertyKey[]): string => parts.map(String).join('.');

/**
 * The line of the YAML node at `parts`, else of its nearest ancestor that is in the file (a missing
 * field is reported on the line of the object that lacks it).
 */
export function lineOf(doc: Document, text: string, parts: PathPart[]): number | undefined {
  for (let n = parts.length; n > 0; n--) {
    const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return text.slice(0, node.range[0]).split('\n').length;
  }
  return undefined;
}
