/**
 * One line of about `max` characters at most: a longer text is cut after a word, never inside parentheses
 * (cut before one opened late, or closed when opened early), so what follows (" (e.g. key 1)") reads as
 * its own; it was cut mid-word, "…9093/9094/9096/… (e.g. key 1)".
 */
export function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.slice(0, max - 4);
  const boundary = cut.search(/[\s,;/](?=[^\s,;/]*$)/);
  if (boundary > max / 2) cut = cut.slice(0, boundary);
  const opened = unclosedParentheses(cut);
  if (opened.length === 0) return `${trimEnd(cut)} …`;
  if (opened[0]! > max / 2) return `${trimEnd(cut.slice(0, opened[0]))} …`;
  return `${trimEnd(cut)} …${')'.repeat(opened.length)}`;
}

/** Where the parentheses `text` leaves open open, outermost first. */
function unclosedParentheses(text: string): number[] {
  const opened: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') opened.push(i);
    else if (text[i] === ')') opened.pop();
  }
  return opened;
}

const trimEnd = (text: string) => text.replace(/[\s,;:/-]+$/, '');
