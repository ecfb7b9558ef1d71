import { useState } from 'react';
import type { PreviewItem } from '../../../../shared/config/payload-preview';
import type { Payload } from '../../../../shared/config/sync';
import type { TestRecord } from '../../../../shared/ipc/channels/streams';
import { useSession } from '../../api/context';
import { ErrorBanner } from '../../components/ErrorBanner';
import type { InspectedRecord, SentRecord } from '../../../../shared/config/inspector';
import { recordsOf, wireOf } from '../../destinations/kinds/registry';
import type { MessageProps } from './message-props';

/**
 * "Send this row as a test record" on a previewed row: the record a run would send (with the editor's
 * current payload and message properties) goes to the sync's destination; the answer says where it
 * landed and whether the bytes read back match. Not part of any run: no snapshot, no ledger.
 */
export function SendTestRecord({
  sync,
  destination,
  payload,
  props,
  item,
}: {
  sync: string;
  destination: string;
  payload: Payload;
  props: MessageProps;
  item: PreviewItem;
}) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestRecord | null>(null);
  const [error, setError] = useState<unknown>(null);

  const send = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await api.sendTestRecord({
          sync,
          payload,
          partitionKey: props.partitionKey,
          ...(props.explicitHashKey ? { explicitHashKey: props.explicitHashKey } : {}),
          ...(props.kafka ? { kafka: props.kafka } : {}),
          ...(props.firehose ? { firehose: props.firehose } : {}),
          key: item.key,
          event: item.event,
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="test-record" data-testid="test-record">
      <button
        type="button"
        className="ghost small"
        disabled={busy}
        onClick={() => void send()}
        title={`Sends this one record to ${destination} now. It is not part of any run: the sync's history and snapshot are not changed.`}
      >
        {busy ? 'Sending…' : 'Send this row as a test record'}
      </button>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {result && <Landed result={result} />}
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
