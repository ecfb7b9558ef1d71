import type { PreviewItem } from '../../../../shared/config/payload-preview';
import type { Payload } from '../../../../shared/config/sync';
import { TEST_RECORD_WAIT_MS, type TestRecord } from '../../../../shared/ipc/channels/streams';
import { ErrorBanner } from '../../components/ErrorBanner';
import type { InspectedRecord, SentRecord } from '../../../../shared/config/inspector';
import { recordsOf, wireOf } from '../../destinations/kinds/registry';
import type { MessageProps } from './message-props';
import { EARLIER } from './PreviewPane';
import { useSecondsSince, useTestRecordSend } from './use-test-record-send';

/**
 * "Send this row as a test record" on a previewed row: the record a run would send (with the editor's
 * current payload and message properties) goes to the sync's destination; the answer says where it
 * landed and whether the bytes read back match. Not part of any run: no snapshot, no ledger. While it
 * waits for the destination, the button is a Cancel with the seconds waited (the engine gives up after
 * TEST_RECORD_WAIT_MS, with an error naming the destination).
 */
export function SendTestRecord({
  sync,
  destination,
  payload,
  props,
  item,
  earlier,
}: {
  sync: string;
  destination: string;
  payload: Payload;
  props: MessageProps;
  item: PreviewItem;
  /** The row is an earlier payload's preview: the button is off until the preview of this one answers. */
  earlier: boolean;
}) {
  const { state, send, cancel, dismiss } = useTestRecordSend();
  const request = () => ({
    sync,
    payload,
    partitionKey: props.partitionKey,
    ...(props.explicitHashKey ? { explicitHashKey: props.explicitHashKey } : {}),
    ...(props.kafka ? { kafka: props.kafka } : {}),
    ...(props.firehose ? { firehose: props.firehose } : {}),
    key: item.key,
    event: item.event,
  });

  return (
    <div className="test-record" data-testid="test-record">
      {state.step === 'sending' ? (
        <Waiting destination={destination} startedAt={state.startedAt} cancelling={state.cancelling} onCancel={cancel} />
      ) : (
        <button
          type="button"
          className="ghost small"
          disabled={earlier}
          onClick={() => void send(request())}
          title={earlier ? EARLIER : `Sends this one record to ${destination} now. It is not part of any run: the sync's history and snapshot are not changed.`}
        >
          Send this row as a test record
        </button>
      )}
      {state.step === 'failed' && <ErrorBanner error={state.error} onDismiss={dismiss} />}
      {state.step === 'cancelled' && (
        <div className="test-record-result cancelled muted" role="status" aria-label="Test record cancelled" data-testid="test-record-cancelled">
          {state.message}
        </div>
      )}
      {state.step === 'landed' && <Landed result={state.result} />}
    </div>
  );
}

/** A test record on its way: the seconds waited against the engine's bound, and a Cancel. */
function Waiting({ destination, startedAt, cancelling, onCancel }: { destination: string; startedAt: number; cancelling: boolean; onCancel: () => void }) {
  const seconds = useSecondsSince(startedAt);
  return (
    <div className="test-record-waiting" role="status" aria-label="Sending the test record">
      <button type="button" className="ghost small" disabled={cancelling} onClick={onCancel} title="Stops waiting for the destination">
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
      <span className="muted small" data-testid="test-record-waiting">
        Waiting for {destination}… {seconds} s <span className="muted">(gives up after {TEST_RECORD_WAIT_MS / 1000} s)</span>
      </span>
    </div>
  );
}

function Landed({ result }: { result: TestRecord }) {
  const l = result.landed;
  const verdict = result.readBack.match === true ? '✓' : result.readBack.match === false ? '✗' : '–';
  const read = result.readBack.read;
  // The bytes read back as text, as the record's kind shows them (a Firehose record is not read back).
  const readText = read ? (recordsOf(read.kind)?.text(read as Exclude<InspectedRecord, SentRecord>) ?? null) : null;
  const wire = wireOf(l.kind);
  return (
    <div className="test-record-result" role="status" aria-label="Test record result">
      <div data-testid="test-record-landed">
        Sent to <strong>{result.destination}</strong>: <wire.Landed landed={l} />
      </div>
      <div className={result.readBack.match === false ? 'danger' : 'readback-ok'} data-testid="test-record-readback" data-match={String(result.readBack.match)}>
        {verdict} Read back: {result.readBack.detail}
      </div>
      {readText !== null && (
        <details>
          <summary>Bytes read back</summary>
          <pre className="code wire">{readText}</pre>
        </details>
      )}
      <div className="muted small">
        Not part of any run: the sync’s snapshot and history are unchanged. The calls are in the Debugger (context test-record).
      </div>
    </div>
  );
}
