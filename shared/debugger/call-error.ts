// A recorded API call's error as the Debugger shows it. The Kafka client library's class names
// (KafkaJSNumberOfRetriesExceeded, KafkaJSConnectionError…), recorded as the code of a failure that had no
// code of Kafka's own, showed as the call's error code; its message says what happened
// ("Connection error: connect ECONNREFUSED …"). A destination's own code (SASL_AUTHENTICATION_FAILED,
// ProvisionedThroughputExceededException) and Sluice's (PartialFailure, AbortError) stay.
import { isClientLibraryCode } from '../config/ledger-reason';

type CallError = { errorCode: string | null; errorMessage: string | null };

/** The code the list's Error column shows: the call's code, or for a client class name its message. */
export function callErrorLabel(call: CallError): string {
  if (!call.errorCode) return '';
  return isClientLibraryCode(call.errorCode) ? (call.errorMessage ?? 'failed') : call.errorCode;
}

/** The detail's error: "CODE: message", or the message alone for a client class name. */
export function callErrorText(call: CallError): string {
  if (!call.errorCode) return call.errorMessage ?? '';
  return isClientLibraryCode(call.errorCode) ? (call.errorMessage ?? call.errorCode) : `${call.errorCode}: ${call.errorMessage ?? ''}`;
}
