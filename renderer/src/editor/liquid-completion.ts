/**
 * Where the cursor is in a Liquid-in-JSON template, for completions (pure: Monaco asks, this answers).
 * `line` is the current line up to the cursor; `before` the text up to the cursor over the last lines.
 */

/** Whether the cursor is inside a `{{ … }}` or `{% … %}` tag (opened after the last close). */
export function insideTag(before: string): boolean {
  return Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%')) > Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
}

/**
 * What to suggest: nothing (a space, dot or bar typed in the JSON between tags is just text), a row's
 * columns after `row.` or `previous.`, filters after `|`, tags after `{%`, else the variables.
 */
export function completionWanted(line: string, before: string, triggerCharacter: string | null): 'none' | 'columns' | 'filters' | 'tags' | 'variables' {
  if (!insideTag(before) && triggerCharacter !== null && triggerCharacter !== '%') return 'none';
  if (/\b(row|previous)\.\w*$/.test(line)) return 'columns';
  if (/\|\s*\w*$/.test(line)) return 'filters';
  if (/\{%-?\s*\w*$/.test(line)) return 'tags';
  return 'variables';
}
