// YAML text every YAML reader reads back alike. The yaml package writes some characters raw where readers
// disagree: NEXT LINE (U+0085) inside a double-quoted string, which YAML 1.1 readers (PyYAML, SnakeYAML)
// fold to a space as a line break; LINE and PARAGRAPH SEPARATOR (U+2028, U+2029) in a plain scalar, which
// they refuse or cut; and characters YAML does not allow raw (DEL, C1 controls, U+FFFE, U+FFFF, lone
// surrogates), which they refuse ("unacceptable character"). A string holding any of them is written
// double-quoted with each escaped: \N, \L, \P, \xXX, \uXXXX.
import { Document, isScalar, visit, type ToStringOptions } from 'yaml';

/** Line breaks YAML 1.1 knows beyond \n and \r, the BOM, and what YAML does not allow unescaped; C0 controls the package escapes itself. */
const UNEVEN = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;
const UNEVEN_ALL = new RegExp(UNEVEN.source, 'gu');

const NAMED: Record<string, string> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

function escapeOf(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `value` as YAML (as `stringify` writes it), strings holding such characters double-quoted with them escaped. */
export function stringifyEvenly(value: unknown, options: ToStringOptions): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === 'string' && UNEVEN.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Every such character is now inside a double-quoted scalar, where an escape stands for it.
  return doc.toString(options).replace(UNEVEN_ALL, escapeOf);
}
