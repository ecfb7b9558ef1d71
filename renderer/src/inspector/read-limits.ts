import { INSPECT_MAX_RECORDS, INSPECT_MAX_WAIT_MS, INSPECT_WAIT_WORDS } from '../../../shared/config/inspector';
import { contract } from '../../../shared/ipc/contract';
import { SluiceError } from '../../../shared/ipc/errors';
import { wholeNumberWords } from '../../../shared/zod-words';
import { countText } from '../components/whole-number';

/** What the read form's numbers say when out of range: the engine's own words, in the form's units. */
export const LIMIT_WORDS = wholeNumberWords('Limit', 1, INSPECT_MAX_RECORDS);
export const WAIT_WORDS = INSPECT_WAIT_WORDS;

/**
 * The form's Limit as typed, as a number: written as its own words write it (1,000), or with spaces
 * between the digit groups (1 000), or bare (1000); null when it is no number (see `readLimitProblems`).
 */
export function readLimit(limit: string): number | null {
  return countText(limit);
}

/** What the Limit field says of text that is no number: the text itself, then what it takes. */
function notANumber(limit: string): string {
  const shown = limit.trim().length > 20 ? `${limit.trim().slice(0, 20)}…` : limit.trim();
  return `"${shown}" is not a number. ${LIMIT_WORDS}`;
}

/**
 * The form's Limit and "Listen for new records (s)" as typed: each one's problem (null: fine), so the form
 * refuses a read the engine would refuse, saying the range in the field's unit before asking. A limit that
 * is no number at all (`abc`, `1,00`) is said to be none.
 */
export function readLimitProblems(limit: string, waitSeconds: string): { limit: string | null; wait: string | null } {
  const n = readLimit(limit);
  const s = Number(waitSeconds);
  const limitOk = n !== null && Number.isInteger(n) && n >= 1 && n <= INSPECT_MAX_RECORDS;
  const waitOk = waitSeconds.trim() !== '' && Number.isFinite(s) && s >= 0 && Math.round(s * 1000) <= INSPECT_MAX_WAIT_MS;
  const limitProblem = limitOk ? null : n === null && limit.trim() !== '' ? notANumber(limit) : LIMIT_WORDS;
  return { limit: limitProblem, wait: waitOk ? null : WAIT_WORDS };
}

/**
 * A read's refusal headed with what the destination's kind reads ("Could not read records from the topic"),
 * where the engine says the channel's generic words ("… from the stream"); `noun` from the kind's UI.
 */
export function readErrorFor(error: unknown, noun: string): unknown {
  const generic = `Could not ${contract.inspectRead.does}`;
  if (!(error instanceof SluiceError) || !error.message.startsWith(generic)) return error;
  return new SluiceError(error.code, `Could not read records from the ${noun}${error.message.slice(generic.length)}`, error.issues);
}
