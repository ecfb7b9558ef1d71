// Why a record was not sent, in words: the ledger's error code and message as the app and the CLI say them.
import { CANCEL_ABORTED } from './run-arrival';

/**
 * The codes Sluice gives the records it refuses or gives up itself (the ledger's `error_code`): the names of
 * its own error classes (RenderError: the record could not be made; RecordTooLarge), a cancel's AbortError,
 * and the bare "Error" of a failure that had no code. A person reads their message alone, which says what
 * happened; a destination's code (MESSAGE_TOO_LARGE, ProvisionedThroughputExceededException) is its API's
 * word for the answer, kept before the message.
 */
const SLUICE_CODES: ReadonlySet<string> = new Set(['RenderError', 'RecordTooLarge', CANCEL_ABORTED, 'Error']);

/** Why, in words: "MESSAGE_TOO_LARGE: the broker refuses …", "The template output is not valid JSON: …", or "(no reason recorded)" (the app's run page and the CLI's report). */
export function failureReasonWhy(r: { errorCode: string | null; errorMessage: string | null }): string {
  const message = r.errorMessage?.trim() || null;
  if (r.errorCode !== null && SLUICE_CODES.has(r.errorCode)) return message ? `${message.charAt(0).toUpperCase()}${message.slice(1)}` : '(no reason recorded)';
  return [r.errorCode, message].filter(Boolean).join(': ') || '(no reason recorded)';
}
