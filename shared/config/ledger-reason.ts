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

/**
 * The Kafka client library's class names (KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded,
 * KafkaJSRequestTimeoutError…), which Sluice records as the code of a failure with no code of Kafka's own:
 * they are no word of the destination's (a broker's answer is MESSAGE_TOO_LARGE, NOT_LEADER_OR_FOLLOWER),
 * and their message says what happened ("Connection error: connect ECONNREFUSED …").
 */
const LIBRARY_CODE = /^KafkaJS[A-Za-z]*$/;

/** Whether a recorded code is the Kafka client library's class name (`LIBRARY_CODE`), no code of the destination's or of Sluice's. */
export function isClientLibraryCode(code: string | null | undefined): boolean {
  return !!code && LIBRARY_CODE.test(code);
}

/** A failure's code as a person is shown it: the destination's own, else null (Sluice's, or its Kafka client's: the message says it). */
export function shownErrorCode(code: string | null | undefined): string | null {
  if (!code || SLUICE_CODES.has(code) || isClientLibraryCode(code)) return null;
  return code;
}

/** A failure in words, its code first when it is the destination's: "MESSAGE_TOO_LARGE: the broker refuses …", "Connection error: connect ECONNREFUSED …". */
export function codeAndMessage(code: string | null | undefined, message: string): string {
  const shown = shownErrorCode(code);
  return shown ? `${shown}: ${message}` : message;
}

/** Why, in words: "MESSAGE_TOO_LARGE: the broker refuses …", "The template output is not valid JSON: …", or "(no reason recorded)" (the app's run page and the CLI's report). */
export function failureReasonWhy(r: { errorCode: string | null; errorMessage: string | null }): string {
  const message = r.errorMessage?.trim() || null;
  const code = shownErrorCode(r.errorCode);
  if (code === null && r.errorCode) return message ? `${message.charAt(0).toUpperCase()}${message.slice(1)}` : '(no reason recorded)';
  return [code, message].filter(Boolean).join(': ') || '(no reason recorded)';
}
