/**
 * Characters no one sees (control and format characters — a zero-width space, a byte-order mark — and spaces
 * other than the space) written as their code points, "<U+200B>", so a message shows what is there.
 */
export function showInvisible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Z}]/gu, (ch) => (ch === ' ' ? ch : `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`));
}
