import { showInvisible } from '../../shared/format/invisible';
/** A name as people read it: without format characters (zero-width spaces, byte-order marks), spaces at its ends trimmed. */
const asRead = (name: string): string =>
  name
    .replace(/\p{Cf}/gu, '')
    .trim()
    .normalize('NFC');

/** Characters no one sees as their code points ("<U+200B>"); the name in quotes, so spaces at its ends show. */
const shown = (name: string): string => `"${showInvisible(name)}"`;

/**
 * For key columns the model does not have: a column that reads as one of them but is not, holding a character no one
 * sees or a space at an end (a spreadsheet's header "id ", a zero-width space pasted in). The refusal listed it as
 * "(its columns: id, name)", the same name to the eye (the first held a zero-width space). '' when there is none.
 */
export function lookalikeHint(missing: readonly string[], columns: readonly string[]): string {
  const hints: string[] = [];
  for (const name of missing) {
    const twin = columns.find((c) => c !== name && asRead(c) === asRead(name));
    if (twin === undefined) continue;
    const what = twin.trim() !== twin && asRead(twin) === twin.trim() ? 'a space at its start or end' : 'a character no one sees';
    hints.push(`the column ${shown(twin)} reads as "${name}" but holds ${what}: rename it where the model's columns are named (the file's header, the query)`);
  }
  const said = hints.join('; ');
  return said === '' ? '' : `. ${said[0]!.toUpperCase()}${said.slice(1)}`;
}
