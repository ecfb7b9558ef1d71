// The records of a request a cancel gave up before the destination answered it: one code and one set of
// words for every publisher (Kafka's, Kinesis', Firehose's), which the run counts as not tried again.
import { CANCEL_ABORTED } from '../../shared/config/run-arrival';
import { PublishError } from './publisher';

/** The words of an abort's own reason (a test record's "the test record was cancelled"); none for a bare `abort()`, the run's cancel. */
export function abortWords(signal: AbortSignal): string | undefined {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name !== 'AbortError' && reason.message ? reason.message : undefined;
}

/** Why the request's records failed: the run was cancelled, or given up for `why`; `service` may have written them. */
export function givenUpWords(service: string, why?: string): string {
  return why
    ? `Given up before ${service} answered this request (${why}): ${service} may have written its records`
    : `The run was cancelled before ${service} answered this request: ${service} may have written its records, and the next run sends them again`;
}

/** What the records of a request given up unanswered fail with (the SDK's own is "AbortError: Request aborted"). */
export function givenUpError(service: string, why?: string): PublishError {
  return new PublishError(CANCEL_ABORTED, givenUpWords(service, why), false);
}
