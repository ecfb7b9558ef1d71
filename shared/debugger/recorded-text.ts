/**
 * Characters of a Kafka key or header value (or of record data) the Debugger keeps (`main/recorder/summarise.ts`): a longer one is
 * recorded as its first 200 and "…", so a recorded one of 201 characters ending in "…" is such a shortened one
 * (one kept whole has 200 at most). A value that is no clean UTF-8 text is recorded as `base64:…`.
 */
export const RECORDED_CHARS = 200;

/**
 * A recorded key or header value as a kcat command can send it, with a note in `notes` when that is not what Sluice
 * sent: a binary one (kcat takes text), or one recorded shortened (the command sends its first 200 characters; it
 * sent them with a "…" and said nothing, so the copied command produced another key, on another partition).
 * `what` names it ("Message 1's key"), `flag` is kcat's option for it (-k, -H).
 */
export function recordedText(text: string, what: string, flag: string, notes: Set<string>): string {
  if (text.startsWith('base64:')) {
    notes.add(`${what} is binary (${text.slice(0, 24)}…): kcat ${flag} takes text, set it by hand.`);
    return text;
  }
  if (text.length !== RECORDED_CHARS + 1 || !text.endsWith('…')) return text;
  notes.add(`${what} was recorded as its first ${RECORDED_CHARS} characters: the command sends those, not the whole of it; set it by hand (${flag}).`);
  return text.slice(0, -1);
}
